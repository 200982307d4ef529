"""`app.py rebuild` and the set-based roll-ups: many meters at once give what one meter at a time gives."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from services.core.system import System
from services.ingest import maintenance
from services.metering import rollups
from tests.integration.ingest_helpers import MSK, csv, half_hours, load, registry, snapshot
from tests.integration.test_command_line import run

DAY = date(2026, 3, 10)
REGISTRY = registry(
    '7701;Тверь, ул. Мира, д. 1;А;RB-1;2;30;2026-01-01;',
    '7702;Тверь, ул. Мира, д. 2;Б;RB-2;3;30;2026-03-11;',
    '7703;Тверь, ул. Мира, д. 3;В;RB-3;1;30;;',
)


def fill(system: System) -> None:
    lines = []
    for n, serial in enumerate(('RB-1', 'RB-2', 'RB-3')):
        for day in (DAY, date(2026, 3, 11), date(2026, 3, 31), date(2026, 4, 1)):
            lines += half_hours(serial, day, [f'0,{100 + n + k:03d}' for k in range(48)])
    assert all(report.ok for report in load(system, ('r.csv', REGISTRY), ('d.csv', csv(*lines))))


def wipe_rollups(system: System) -> None:
    with system.engine.begin() as conn:
        conn.execute(text('DELETE FROM energy_rollup'))


def test_a_set_based_rebuild_of_three_meters_equals_the_roll_ups_of_the_import(system: System) -> None:
    fill(system)
    imported = snapshot(system)['energy_rollup']
    wipe_rollups(system)
    rebuilt = maintenance.rebuild_range(
        system.engine, first=date(2026, 3, 1), last=date(2026, 4, 30), tz=MSK, default_reading_day=25, batch=2
    )
    assert rebuilt == 3
    assert snapshot(system)['energy_rollup'] == imported
    assert len(imported) > 3 * 4 * 24  # hours, days, months, billing periods, years of three meters


def test_refreshing_meters_together_equals_refreshing_them_one_by_one(system: System) -> None:
    fill(system)
    wipe_rollups(system)
    days = [DAY, date(2026, 3, 31), date(2026, 4, 1)]
    with system.engine.begin() as conn:
        meters = maintenance.lives(conn, [1, 2, 3], default_reading_day=25)
        for meter in meters.values():
            rollups.refresh(conn, meter=meter, energy=1, days=days, tz=MSK)
    one_by_one = snapshot(system)['energy_rollup']
    wipe_rollups(system)
    with system.engine.begin() as conn:
        rollups.refresh_many(conn, meters=meters, touched={(m, 1): days for m in meters}, tz=MSK)
    assert snapshot(system)['energy_rollup'] == one_by_one


def test_progress_is_reported_after_each_batch_of_meters(system: System) -> None:
    fill(system)
    heard: list[tuple[int, int]] = []
    maintenance.rebuild_range(
        system.engine, first=DAY, last=DAY, tz=MSK, default_reading_day=25, batch=2,
        progress=lambda done, total: heard.append((done, total)),
    )  # fmt: skip
    assert heard == [(2, 3), (3, 3)]


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(('KABINET_', 'PYTEST_', 'NICEGUI_'))}
    clean.update(KABINET_DATABASE_URL=database_url, KABINET_MODE='test', KABINET_TIMEZONE='Europe/Moscow')
    return clean


def test_the_rebuild_command_restores_lost_roll_ups_of_one_meter(system: System, env: dict[str, str]) -> None:
    fill(system)
    imported = snapshot(system)['energy_rollup']
    wipe_rollups(system)
    result = run('rebuild', '--from', '2026-03-01', '--to', '2026-04-30', '--meter', 'RB-2', env=env)
    assert result.returncode == 0, result.stderr
    assert 'of 1 meter(s) rebuilt' in result.stdout
    assert '[' + '#' * 30 + '] 1/1 meters' in result.stderr  # the progress bar, one line per step off a terminal
    assert snapshot(system)['energy_rollup'] == [row for row in imported if row[0] == 2]


def test_the_rebuild_command_refuses_an_unknown_meter_and_reversed_dates(env: dict[str, str]) -> None:
    unknown = run('rebuild', '--from', '2026-03-01', '--to', '2026-03-02', '--meter', 'NOPE', env=env)
    reversed_ = run('rebuild', '--from', '2026-03-02', '--to', '2026-03-01', env=env)
    assert (unknown.returncode, reversed_.returncode) == (2, 2)
    assert 'unknown meter NOPE' in unknown.stderr
    assert 'is before' in reversed_.stderr
