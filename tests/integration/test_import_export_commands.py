"""`app.py import` and `app.py export` as a person runs them (SPEC §8): output lines, exit codes, JSON and CSV."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from tests.integration.ingest_helpers import csv, half_hours, registry
from tests.integration.test_command_line import run

DAY = date(2026, 3, 29)  # Berlin's spring clock change: a day of 23 hours
REGISTRY = registry('7701;Berlin, Hauptstr. 1;A;CLI-1;2;30;2026-01-01;690000000000001')


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(('KABINET_', 'PYTEST_', 'NICEGUI_'))}
    clean.update(
        KABINET_DATABASE_URL=database_url, KABINET_MODE='test', KABINET_TIMEZONE='Europe/Berlin',
        KABINET_INBOX_DIR=str(tmp_path / 'in'),
    )  # fmt: skip
    return clean


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    from zoneinfo import ZoneInfo

    files = tmp_path / 'files'
    (files / 'sub').mkdir(parents=True)
    (files / 'a-registry.csv').write_bytes(REGISTRY)
    day = half_hours('CLI-1', DAY, ['0,1'] * 46, tz=ZoneInfo('Europe/Berlin'))  # 23 hours × 2
    (files / 'sub' / 'b-day.csv').write_bytes(csv(*day))
    (files / '.hidden.csv').write_bytes(b'junk')
    return files


def test_a_folder_imports_in_sorted_order_and_exits_0(env: dict[str, str], folder: Path) -> None:
    result = run('import', str(folder), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[:2] == ['a-registry.csv: imported 1 rows', 'b-day.csv: imported 46 rows']


def test_any_rejected_file_makes_the_exit_status_1(env: dict[str, str], folder: Path) -> None:
    (folder / 'c-bad.csv').write_bytes(csv('CLI-1;1.0.1.29.0.255;soon;;1;Wh;'))
    result = run('import', str(folder), env=env)
    assert result.returncode == 1
    assert "c-bad.csv: line 2: start 'soon' is not an ISO 8601 timestamp" in result.stdout


def test_a_zero_tariff_rate_is_refused_by_the_command_line_with_the_english_reason(
    env: dict[str, str], tmp_path: Path
) -> None:
    rates = tmp_path / 'rates.csv'
    rates.write_text('tariff_group;tariff_zones;zone;rub_per_kwh;valid_from\n;1;T1;0;2026-07-01\n', encoding='utf-8')
    result = run('import', str(rates), env=env)
    assert (result.returncode, result.stdout) == (1, 'rates.csv: line 2: the rate must be above zero, e.g. 5.62\n')


def test_export_prints_the_23_hours_of_a_spring_day_as_json(env: dict[str, str], folder: Path) -> None:
    run('import', str(folder), env=env)
    args = ('--meter', 'CLI-1', '--energy', 'A+', '--interval', 'hour', '--from', '2026-03-29', '--to', '2026-03-29')
    result = run('export', *args, env=env)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert {k: document[k] for k in ('meter', 'energy', 'unit', 'interval', 'period', 'timezone')} == {
        'meter': 'CLI-1', 'energy': 'A+', 'unit': 'kWh', 'interval': 'hour', 'period': 'calendar',
        'timezone': 'Europe/Berlin',
    }  # fmt: skip
    rows = document['rows']
    assert len(rows) == 23 and '2026-03-29T02:00' not in [r['label'] for r in rows]
    assert rows[2] == {  # 00:00, 01:00, then 03:00
        'label': '2026-03-29T03:00',
        'start': '2026-03-29T03:00:00+02:00',
        'end': '2026-03-29T04:00:00+02:00',
        'total': 0.2,
        'zones': {'T1': 0.0, 'T2': 0.2},
        'complete': True,
        'missing': 0,
        'estimated': 0,
    }  # fmt: skip  (two half hours of 100 Wh at night)


def test_export_as_csv_has_a_column_per_zone(env: dict[str, str], folder: Path) -> None:
    run('import', str(folder), env=env)
    args = ('--meter', 'CLI-1', '--energy', 'A+', '--interval', 'day', '--from', '2026-03-29', '--to', '2026-03-30')
    lines = run('export', *args, '--format', 'csv', env=env).stdout.splitlines()
    assert lines[0] == 'label;start;end;total;T1;T2;complete;missing;estimated'
    # 46 half hours of 100 Wh: 32 in the day zone 07–23, 14 at night (the clock skips 02:00–03:00)
    assert lines[1] == '2026-03-29;2026-03-29T00:00:00+01:00;2026-03-30T00:00:00+02:00;4.6;3.2;1.4;true;0;0'
    assert lines[2].startswith('2026-03-30;') and ';0.0;' in lines[2]


def test_export_of_an_unknown_meter_exits_2_with_a_clear_message(env: dict[str, str]) -> None:
    args = ('--meter', 'NOPE', '--energy', 'A+', '--interval', 'day', '--from', '2026-03-01', '--to', '2026-03-02')
    result = run('export', *args, env=env)
    assert result.returncode == 2
    assert 'unknown meter NOPE' in result.stderr
