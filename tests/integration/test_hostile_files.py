"""Every file of tests/fixtures/hostile through the whole import on a real database: rejected at its line or
element, nothing of it stored, and the good file after it imported (SPEC §6: the other files go on)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from services.core.system import System
from tests.integration.ingest_helpers import load, registry, snapshot

HOSTILE = Path(__file__).parents[1] / 'fixtures' / 'hostile'
FILES = sorted(path.name for path in HOSTILE.iterdir() if path.suffix in ('.csv', '.xml'))
POINT = '690000000000001'
REGISTRY = registry(f'7701;г. Тверь, ул. Мира, д. 1;Иванова А. А.;HOST-1;1;30;2026-01-01;{POINT}')
GOOD = (
    b'meter;obis;start;end;value;unit;status\n'
    b'HOST-1;1.0.1.29.0.255;2026-03-02T00:00:00+03:00;2026-03-02T00:30:00+03:00;0,25;kWh;\n'
)
LOCATED = re.compile(r'^(?P<file>[^:]+): ((line \d+|element [^:]+): )?\S')


def test_the_corpus_has_the_hostile_files_of_every_format() -> None:
    assert len(FILES) >= 40
    assert {name.split('-')[0] for name in FILES} == {'obis', '80020', 'greenbutton', 'registry', 'tariffs'}


@pytest.mark.parametrize('name', FILES)
def test_a_hostile_file_is_rejected_at_its_place_stores_nothing_and_the_next_file_imports(
    system: System, name: str
) -> None:
    load(system, ('registry.csv', REGISTRY))
    before = snapshot(system)
    hostile, good = load(system, (name, (HOSTILE / name).read_bytes()), ('good.csv', GOOD))
    assert hostile.status == 'rejected', hostile.message()
    message = hostile.message()
    assert LOCATED.match(message) and message.startswith(f'{name}: '), message
    assert 'internal error' not in message  # every hostile value is a known reason, never a surprise
    assert len(message) < 400  # a 5,000-digit field is quoted clipped
    after = snapshot(system)
    changed = {table for table in before if before[table] != after[table]}
    assert changed <= {'interval_energy', 'energy_rollup'}, changed
    assert good.ok, good.message()
    assert [row[3] for row in after['interval_energy']] == [250]  # only the good file's value
