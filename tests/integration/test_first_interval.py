"""A meter without an installation date expects intervals from its first stored one (SPEC §5): the probe that finds
it reads one day, and falls back to the whole history when the roll-ups do not match the intervals."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from services.core.system import System
from services.metering.series import first_interval
from tests.integration.ingest_helpers import MSK, csv, days, half_hours, load, registry

DAY = date(2026, 3, 10)
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=MSK)
REGISTRY = registry('7701;г. Тверь, ул. Мира, д. 1;Иванова А. А.;M-1;1;30;;690000000000001')


@pytest.fixture
def loaded(system: System) -> System:
    (report,) = load(system, ('registry.csv', REGISTRY))
    assert report.ok, report.message()
    return system


def _first(system: System) -> tuple[int | None, int | None]:
    """The probe's answer and a plain MIN over every interval of the meter."""
    with system.engine.connect() as conn:
        meter_id = conn.execute(text("SELECT id FROM meter WHERE serial = 'M-1'")).scalar_one()
        plain = conn.execute(text('SELECT MIN(start) FROM interval_energy WHERE meter_id = :m'), {'m': meter_id})
        return first_interval(conn, meter_id), plain.scalar()


def _afternoon(values: int) -> list[str]:
    """`values` half hours of A+ from 12:00 local of DAY."""
    return half_hours('M-1', DAY, ['0,1'] * (24 + values))[24:]


def test_a_meter_without_data_has_no_first_interval(loaded: System) -> None:
    assert _first(loaded) == (None, None)


def test_the_first_interval_is_found_inside_its_day(loaded: System) -> None:
    load(loaded, ('a.csv', csv(*_afternoon(6))), ('b.csv', csv(*half_hours('M-1', date(2026, 3, 12), ['0,1'] * 48))))
    assert _first(loaded) == (int(NOON.astimezone(UTC).timestamp()),) * 2
    (first_day,) = days(loaded, 'M-1', DAY, DAY)
    assert (first_day.present, first_day.missing) == (6, 18)  # expected from 12:00 on, not from midnight


def test_an_earlier_interval_of_another_energy_type_counts(loaded: System) -> None:
    reactive = '\n'.join(
        line.replace('1.0.1.29.0.255', '1.0.3.29.0.255').replace('kWh', 'kvarh')
        for line in half_hours('M-1', date(2026, 3, 9), ['0,1'] * 48)[46:]
    )
    (report,) = load(loaded, ('a.csv', csv(*_afternoon(6))), ('r.csv', csv(reactive)))[1:]
    assert report.ok, report.message()
    ours, plain = _first(loaded)
    assert ours == plain == int(datetime(2026, 3, 9, 23, 0, tzinfo=MSK).timestamp())


def test_without_roll_ups_the_whole_history_is_read(loaded: System) -> None:
    load(loaded, ('a.csv', csv(*_afternoon(6))))
    with loaded.engine.begin() as conn:
        conn.execute(text('DELETE FROM energy_rollup'))
    ours, plain = _first(loaded)
    assert ours == plain == int(NOON.timestamp())


def test_a_first_day_roll_up_without_its_intervals_falls_back_to_the_history(loaded: System) -> None:
    load(loaded, ('a.csv', csv(*_afternoon(6))), ('b.csv', csv(*half_hours('M-1', date(2026, 3, 12), ['0,1'] * 48))))
    with loaded.engine.begin() as conn:  # the intervals of the first day are gone, its roll-up not yet rebuilt
        conn.execute(text('DELETE FROM interval_energy WHERE start < :t'), {'t': int(NOON.timestamp()) + 86400})
    ours, plain = _first(loaded)
    assert ours == plain == int(datetime(2026, 3, 12, 0, 0, tzinfo=MSK).timestamp())
