"""Whole-file imports: atomic, idempotent, the last value wins, missing never erases (SPEC §5, §6)."""

from __future__ import annotations

from datetime import date

import pytest

from services.core.system import System
from tests.integration.ingest_helpers import count, csv, days, half_hours, load, registry, snapshot

DAY = date(2026, 3, 10)
REGISTRY = registry(
    '7701;г. Тверь, ул. Мира, д. 1;Иванова А. А.;M-1;2;30;2026-01-01;690000000000001',
    '7702;г. Тверь, ул. Мира, д. 2;Петров Б. Б.;M-2;1;30;2026-01-01;690000000000002',
)


@pytest.fixture
def loaded(system: System) -> System:
    (report,) = load(system, ('registry.csv', REGISTRY))
    assert report.ok, report.message()
    return system


def test_a_day_of_half_hours_rolls_up_into_its_day_with_night_and_day_zones(loaded: System) -> None:
    (report,) = load(loaded, ('day.csv', csv(*half_hours('M-1', DAY, ['0,1'] * 48))))
    assert report.ok and report.rows == 48
    (row,) = days(loaded, 'M-1', DAY, DAY)
    # 48 × 100 Wh; day zone 07–23 is 32 half hours = 3,200 Wh, night 16 = 1,600 Wh
    assert row.zones == {1: 3200, 2: 1600}
    assert row.complete and row.missing == 0 and row.estimated == 0


def test_a_bad_line_in_the_middle_stores_nothing_names_the_line_and_the_other_files_go_on(loaded: System) -> None:
    lines = half_hours('M-1', DAY, ['0,1'] * 6)
    lines[3] = lines[3].replace('0,1;kWh', 'lots;kWh')  # line 5 of the file: the header is line 1
    reports = load(
        loaded,
        ('first.csv', csv(*half_hours('M-2', DAY, ['0,2'] * 2))),
        ('bad.csv', csv(*lines)),
        ('last.csv', csv(*half_hours('M-2', date(2026, 3, 11), ['0,2'] * 2))),
    )
    assert [r.status for r in reports] == ['imported', 'rejected', 'imported']
    assert reports[1].message().startswith('bad.csv: line 5: ')
    assert reports[1].message('ru').startswith('bad.csv: строка 5: ')
    assert days(loaded, 'M-1', DAY, DAY)[0].total == 0
    assert count(loaded, 'interval_energy') == 4  # 2 + 2 half hours of the good files


def test_importing_the_same_file_twice_changes_nothing(loaded: System) -> None:
    data = ('day.csv', csv(*half_hours('M-1', DAY, [f'0,{n % 9 + 1}' for n in range(48)])))
    load(loaded, data)
    before = snapshot(loaded)
    (again,) = load(loaded, data)
    assert again.ok
    assert snapshot(loaded) == before


def test_a_later_value_replaces_the_stored_one_and_the_roll_ups_follow(loaded: System) -> None:
    load(loaded, ('day.csv', csv(*half_hours('M-2', DAY, ['0,1'] * 48))))
    load(loaded, ('fix.csv', csv(*half_hours('M-2', DAY, ['1,1']))))  # the first half hour is now 1,100 Wh
    assert days(loaded, 'M-2', DAY, DAY)[0].total == 47 * 100 + 1100
    march = days(loaded, 'M-2', DAY, DAY, interval='month')[0]
    assert march.total == 47 * 100 + 1100


def test_a_missing_row_never_erases_a_stored_value(loaded: System) -> None:
    load(loaded, ('day.csv', csv(*half_hours('M-2', DAY, ['0,1'] * 48))))
    (report,) = load(loaded, ('gap.csv', csv(*half_hours('M-2', DAY, [''] * 4, status='missing'))))
    assert report.ok
    assert days(loaded, 'M-2', DAY, DAY)[0].total == 4800  # 48 × 100 Wh, untouched


def test_missing_intervals_of_a_day_are_counted(loaded: System) -> None:
    load(loaded, ('part.csv', csv(*half_hours('M-2', DAY, ['0,1'] * 40))))
    (row,) = days(loaded, 'M-2', DAY, DAY)
    assert (row.missing, row.complete) == (8, False)  # 48 expected − 40 stored


def test_an_unknown_meter_rejects_the_file_at_its_line(loaded: System) -> None:
    lines = [*half_hours('M-1', DAY, ['0,1']), *half_hours('NOPE', DAY, ['0,1'])]
    (report,) = load(loaded, ('x.csv', csv(*lines)))
    assert report.message() == 'x.csv: line 3: unknown meter NOPE (not in the registry)'
    assert count(loaded, 'interval_energy') == 0


def test_an_hourly_value_is_spread_exactly_over_two_half_hours_and_marked_estimated(loaded: System) -> None:
    line = 'M-2;1.0.1.29.0.255;2026-03-10T10:00:00+03:00;2026-03-10T11:00:00+03:00;0,101;kWh;'
    (report,) = load(loaded, ('hourly.csv', csv(line)))
    assert report.ok and report.rows == 2
    assert any('spread over 2 intervals' in w for w in report.warnings)
    hour = days(loaded, 'M-2', DAY, DAY, interval='hour')[10]
    assert (hour.total, hour.estimated) == (101, 2)  # 51 + 50 Wh, both estimated


def test_an_interval_that_is_not_a_whole_multiple_of_the_profile_rejects_the_file(loaded: System) -> None:
    line = 'M-2;1.0.1.29.0.255;2026-03-10T10:00:00+03:00;2026-03-10T10:45:00+03:00;0,1;kWh;'
    (report,) = load(loaded, ('odd.csv', csv(line)))
    assert report.message().startswith('odd.csv: line 2: an interval of 45 minutes is not a whole multiple')


def test_registers_instant_values_and_events_are_stored_once(loaded: System) -> None:
    lines = [
        'M-1;1.0.1.8.0.255;2026-03-10T00:00:00+03:00;;12345,678;kWh;',
        'M-1;1.0.32.7.0.255;2026-03-10T12:00:00+03:00;;229,5;V;',
        'M-1;0.0.96.3.10.255;2026-03-10T12:00:00+03:00;;0;;',
        'M-1;0.0.96.11.4.255;2026-03-10T12:05:00+03:00;;1;;',
    ]
    (report,) = load(loaded, ('misc.csv', csv(*lines)))
    assert report.ok and report.rows == 4
    load(loaded, ('misc.csv', csv(*lines)))
    assert (count(loaded, 'register_reading'), count(loaded, 'instant_value'), count(loaded, 'meter_event')) == (
        1,
        2,
        1,
    )
    events = snapshot(loaded)['meter_event']
    assert events[0][2:] == (4, 1, 'critical')  # journal 4 code 1: magnetic field


def test_every_file_gets_a_line_in_the_import_log(loaded: System) -> None:
    load(loaded, ('good.csv', csv(*half_hours('M-1', DAY, ['0,1']))), ('bad.csv', b'nonsense'))
    assert count(loaded, 'import_log') == 3  # the registry, then these two


def test_a_failure_after_the_intervals_were_written_rolls_the_whole_file_back(loaded: System) -> None:
    lines = [*half_hours('M-1', DAY, ['0,1'] * 48), 'GHOST;1.0.1.8.0.255;2026-03-10T00:00:00+03:00;;5;kWh;']
    (report,) = load(loaded, ('late.csv', csv(*lines)))
    assert report.message() == 'late.csv: line 50: unknown meter GHOST (not in the registry)'  # 48 values + header
    assert count(loaded, 'interval_energy') == 0
    assert count(loaded, 'energy_rollup') == 0
