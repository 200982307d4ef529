"""One bad file never stops the others: the command line, the pipeline and the inbox as a person meets them.

Hostile files come from tests/fixtures/hostile (each crashed the import before: an overflow, a year 9999, a
30-digit number). An unexpected failure is injected below our code, in the database driver's path, the way a
fault injector would: the file is rejected as an internal error with a reference to the logged traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from cli import commands
from services.core.settings import Settings
from services.core.system import System
from services.ingest.inbox import scan_inbox
from tests.integration.ingest_helpers import count, load
from tests.integration.test_command_line import run
from tests.integration.test_hostile_files import GOOD, HOSTILE, REGISTRY

POISON = ('obis-1e300-kwh.csv', '80020-day-99991231.xml', 'greenbutton-30-digit-start.xml', 'obis-25-digit-wh.csv')
REFERENCE = re.compile(r'internal error while reading the file \(reference ([0-9a-f]{8}) in the server log\)')


@pytest.fixture
def fault() -> Iterator[list[str]]:
    """Once armed (`fault.append('armed')`), the next meter lookup of any engine fails with an error nobody
    foresaw, once."""
    state: list[str] = []

    def fail_once(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if state == ['armed'] and 'meter.serial IN' in statement:
            state.append('spent')
            raise RuntimeError('a fault nobody foresaw')

    event.listen(Engine, 'before_cursor_execute', fail_once)
    yield state
    event.remove(Engine, 'before_cursor_execute', fail_once)


def folder_of_files(tmp_path: Path) -> Path:
    files = tmp_path / 'files'
    files.mkdir()
    (files / '0-registry.csv').write_bytes(REGISTRY)
    for name in POISON:
        shutil.copy(HOSTILE / name, files / name)
    (files / 'z-good.csv').write_bytes(GOOD)
    return files


def test_the_command_line_rejects_each_hostile_file_goes_on_and_exits_1(database_url: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(('KABINET_', 'PYTEST_', 'NICEGUI_'))}
    env.update(KABINET_DATABASE_URL=database_url, KABINET_MODE='test', KABINET_INBOX_DIR=str(tmp_path / 'in'))
    result = run('import', str(folder_of_files(tmp_path)), env=env)
    assert result.returncode == 1
    assert 'Traceback' not in result.stderr, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == '0-registry.csv: imported 1 rows'
    assert lines[-1] == 'z-good.csv: imported 1 rows'
    assert "obis-1e300-kwh.csv: line 3: value '1e300' is too large" in lines
    assert "obis-25-digit-wh.csv: line 3: value '1111111111111111111111111' is too large" in lines
    assert (
        "80020-day-99991231.xml: element message/datetime/day: date '99991231' is too far in the past or the future"
        in lines
    )
    assert (
        'greenbutton-30-digit-start.xml: element entry[2]/content/IntervalBlock[1]/IntervalReading[1]: '
        "timePeriod/start '111111111111111111111111111111' has too many digits"
    ) in lines


def test_an_unforeseen_failure_is_a_rejection_with_a_reference_to_the_logged_traceback(
    settings: Settings, tmp_path: Path, fault: list[str], caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    files = tmp_path / 'files'
    files.mkdir()
    (files / 'a-poison.csv').write_bytes(GOOD)
    (files / 'b-good.csv').write_bytes(GOOD.replace(b'0,25', b'0,5'))
    registry = tmp_path / 'registry.csv'
    registry.write_bytes(REGISTRY)
    args = argparse.Namespace(command='import', paths=[str(registry)], meter=None)
    assert commands.run(args, settings) == 0
    fault.append('armed')
    capsys.readouterr()
    with caplog.at_level(logging.ERROR):
        status = commands.run(argparse.Namespace(command='import', paths=[str(files)], meter=None), settings)
    assert status == 1
    poisoned, good = capsys.readouterr().out.splitlines()
    match = REFERENCE.fullmatch(poisoned.removeprefix('a-poison.csv: '))
    assert match, poisoned
    assert good == 'b-good.csv: imported 1 rows'
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert match[1] in record.getMessage() and 'a-poison.csv' in record.getMessage()
    assert record.exc_info is not None and 'a fault nobody foresaw' in str(record.exc_info[1])


def test_the_pipeline_stores_nothing_of_a_file_that_failed_unexpectedly_and_logs_its_rejection(
    system: System, fault: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    load(system, ('r.csv', REGISTRY))
    fault.append('armed')
    with caplog.at_level(logging.ERROR):
        poisoned, good = load(system, ('a.csv', GOOD), ('b.csv', GOOD))
    assert poisoned.status == 'rejected' and REFERENCE.search(poisoned.message())
    assert poisoned.error is not None and poisoned.error.localized('ru').startswith(
        'a.csv: внутренняя ошибка при разборе файла (ссылка '
    )
    assert good.ok
    assert count(system, 'import_log') == 3


def drop(inbox: Path, name: str, data: bytes) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / name).write_bytes(data)
    past = time.time() - 60
    os.utime(inbox / name, (past, past))


def test_the_inbox_files_hostile_files_away_as_rejected_and_imports_the_next_ones(system: System) -> None:
    inbox = Path(system.settings.inbox_dir)
    load(system, ('r.csv', REGISTRY))
    for name in POISON:
        drop(inbox, name, (HOSTILE / name).read_bytes())
    drop(inbox, 'z-good.csv', GOOD)
    reports = scan_inbox(system=system, now=system.now())
    assert [(r.file, r.status) for r in reports] == [
        *sorted([(n, 'rejected') for n in POISON]),
        ('z-good.csv', 'imported'),
    ]
    assert sorted(p.name for p in (inbox / 'rejected').iterdir()) == sorted(
        [*POISON, *(f'{n}.error.txt' for n in POISON)]
    )
    error = (inbox / 'rejected' / 'obis-1e300-kwh.csv.error.txt').read_text(encoding='utf-8')
    assert error == "obis-1e300-kwh.csv: line 3: value '1e300' is too large\n"
    assert [p.name for p in (inbox / 'done').iterdir()] == ['z-good.csv']
    assert scan_inbox(system=system, now=system.now()) == []  # nothing left behind to fail again


def test_the_inbox_rejects_a_file_that_failed_unexpectedly_and_goes_on(
    system: System, fault: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    inbox = Path(system.settings.inbox_dir)
    load(system, ('r.csv', REGISTRY))
    fault.append('armed')
    drop(inbox, 'a.csv', GOOD)
    drop(inbox, 'b.csv', GOOD)
    with caplog.at_level(logging.ERROR):
        reports = scan_inbox(system=system, now=system.now())
    assert [(r.file, r.status) for r in reports] == [('a.csv', 'rejected'), ('b.csv', 'imported')]
    error = (inbox / 'rejected' / 'a.csv.error.txt').read_text(encoding='utf-8')
    assert REFERENCE.search(error), error
    assert (inbox / 'done' / 'b.csv').exists()
