"""Roll-ups and series against an independent brute-force computation (SPEC §5), incrementally maintained.

Random data around clock changes (Berlin's 23- and 25-hour days), billing boundaries (reading days 20, 25,
28, 30, 31 and 1, and February), 1/2/3-zone tariffs (also a schedule with half-hour boundaries), 15/30/60-minute
profiles, gaps, estimated values, late corrections and a `now` inside the data.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.engine import Engine

from services.core.db import make_engine, migrate
from services.metering import rollups
from services.metering.periods import DEFAULT_SCHEDULE
from services.metering.rollups import MeterLife
from services.metering.series import series

WINDOW = 12
SHIFTED = {  # boundaries at half hours: the roll-ups must fold these interval by interval
    1: ((0, 1440, 1),),
    2: ((0, 450, 2), (450, 1410, 1), (1410, 1440, 2)),
    3: ((0, 450, 2), (450, 630, 1), (630, 1050, 3), (1050, 1290, 1), (1290, 1410, 3), (1410, 1440, 2)),
}


@pytest.fixture(scope='module')
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f'sqlite:///{tmp_path_factory.mktemp("prop") / "p.db"}')
    migrate(engine)
    yield engine
    engine.dispose()


def household_zone(tariff_zones: int, local: datetime) -> int:
    """SPEC §5 written out: day 07–23 / night; peak 07–10 and 17–21, night 23–07, half-peak otherwise."""
    h = local.hour
    if tariff_zones == 1:
        return 1
    if tariff_zones == 2:
        return 1 if 7 <= h < 23 else 2
    if h >= 23 or h < 7:
        return 2
    return 1 if 7 <= h < 10 or 17 <= h < 21 else 3


def billing_label(day: date, reading_day: int) -> tuple[int, int]:
    """The month whose reading day (clamped to the month's end) is on or after `day`, else the next month."""
    if day.day <= min(reading_day, calendar.monthrange(day.year, day.month)[1]):
        return day.year, day.month
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def bucket(interval: str, period: str, start: int, tz: ZoneInfo, reading_day: int) -> object:
    local = datetime.fromtimestamp(start, tz)
    if interval == 'hour':
        return start - local.minute * 60 - local.second
    if interval == 'day':
        return local.date()
    label = billing_label(local.date(), reading_day) if period == 'billing' else (local.year, local.month)
    return label if interval == 'month' else label[0]


def row_key(interval: str, period: str, row_start: int, tz: ZoneInfo, reading_day: int) -> object:
    if interval in ('hour', 'day'):
        return bucket(interval, period, row_start, tz, reading_day)
    # a month or billing period is known by its label: its last day decides it
    return bucket(interval, period, row_start, tz, reading_day) if period == 'calendar' else None


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, object]:
    return {
        'tz': ZoneInfo(draw(st.sampled_from(['Europe/Berlin', 'Europe/Moscow']))),
        'first': draw(st.sampled_from([date(2026, 3, 22), date(2026, 10, 20), date(2026, 2, 20), date(2025, 12, 26)])),
        'reading_day': draw(st.sampled_from([20, 25, 28, 30, 31, 1])),
        'zones': draw(st.sampled_from([1, 2, 3])),
        'shifted': draw(st.booleans()),
        'profile': draw(st.sampled_from([15, 30, 60])),
        'installed': draw(st.sampled_from([None, 0, 4])),
        'density': draw(st.floats(0.2, 1.0)),
        'now_hours': draw(st.integers(1, (WINDOW + 1) * 24)),
        'seed': draw(st.integers(0, 2**32)),
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.large_base_example],
)
@given(case=scenarios())
def test_series_equal_a_brute_force_computation_after_incremental_refreshes(engine: Engine, case: dict) -> None:
    tz, first, profile = case['tz'], case['first'], case['profile']
    rng = random.Random(case['seed'])
    schedule = SHIFTED if case['shifted'] else DEFAULT_SCHEDULE
    installed = first + timedelta(days=case['installed']) if case['installed'] is not None else None
    meter = MeterLife(1, case['zones'], profile, case['reading_day'], installed, None)
    lo = int(datetime(first.year, first.month, first.day, tzinfo=tz).timestamp())
    last = first + timedelta(days=WINDOW - 1)
    hi = int(datetime.combine(last + timedelta(days=1), datetime.min.time(), tz).timestamp())
    now = lo + case['now_hours'] * 3600
    # Only intervals that have ended by `now`: a meter does not report the future, and `missing` is counted
    # from the roll-ups as expected − present.
    slots = [s for s in range(lo, hi, profile * 60) if s + profile * 60 <= now]
    batch_a = {s: (rng.randint(0, 3000), int(rng.random() < 0.1)) for s in slots if rng.random() < case['density']}
    batch_b = {s: (rng.randint(0, 3000), int(rng.random() < 0.1)) for s in slots if rng.random() < 0.15}
    stored = {**batch_a, **batch_b}
    with engine.begin() as conn:
        conn.execute(text('DELETE FROM interval_energy'))
        conn.execute(text('DELETE FROM energy_rollup'))
        for batch in (batch_a, batch_b):  # the second batch corrects some values and fills some gaps, late
            if not batch:
                continue
            conn.execute(
                text(
                    'INSERT INTO interval_energy (meter_id, energy, start, wh, flags) VALUES (1, 1, :s, :wh, :f) '
                    'ON CONFLICT (meter_id, energy, start) DO UPDATE SET wh = excluded.wh, flags = excluded.flags'
                ),
                [{'s': s, 'wh': wh, 'f': f} for s, (wh, f) in batch.items()],
            )
            touched = {datetime.fromtimestamp(s, tz).date() for s in batch}
            rollups.refresh(conn, meter=meter, energy=1, days=touched, tz=tz, schedule=schedule)
    life_start = (
        int(datetime.combine(installed, datetime.min.time(), tz).timestamp())
        if installed
        else min(stored, default=None)
    )
    step = profile * 60
    expected_slots = [s for s in range(life_start, now - step + 1, step)] if life_start else []

    def zone_of(start: int) -> int:
        local = datetime.fromtimestamp(start, tz)
        if not case['shifted']:
            return household_zone(case['zones'], local)
        minute = local.hour * 60 + local.minute
        return next(z for a, b, z in SHIFTED[case['zones']] if a <= minute < b)

    for interval, period in [('hour', 'calendar'), ('day', 'calendar'), ('month', 'calendar'), ('month', 'billing'),
                             ('year', 'calendar'), ('year', 'billing')]:  # fmt: skip
        with engine.connect() as conn:
            rows = series(
                conn, meter=meter, energy=1, interval=interval, period=period, first=first, last=last, tz=tz, now=now
            )
        for row in rows:
            key = _key_of(row, interval, period, tz, case['reading_day'])
            inside = [s for s in stored if bucket(interval, period, s, tz, case['reading_day']) == key]
            zones: dict[int, int] = {}
            for s in inside:
                zones[zone_of(s)] = zones.get(zone_of(s), 0) + stored[s][0]
            expected = [s for s in expected_slots if bucket(interval, period, s, tz, case['reading_day']) == key]
            assert {z: wh for z, wh in row.zones.items() if wh} == {z: wh for z, wh in zones.items() if wh}, (
                interval,
                period,
                row.label,
            )
            assert row.estimated == sum(stored[s][1] for s in inside), (interval, period, row.label)
            assert row.missing == len([s for s in expected if s not in stored]), (interval, period, row.label)
    # some hours of each day only (the nights of the «always on» insight): the same rows as the whole series has
    chosen = set(rng.sample(range(24), rng.randint(1, 6)))
    with engine.connect() as conn:
        every, some = (
            series(conn, meter=meter, energy=1, interval='hour', period='calendar', first=first, last=last, tz=tz,
                   now=now, hours=hours)
            for hours in (None, chosen)
        )  # fmt: skip
    assert some == [row for row in every if int(row.label[11:13]) in chosen], sorted(chosen)


def _key_of(row: object, interval: str, period: str, tz: ZoneInfo, reading_day: int) -> object:
    """The brute-force bucket a series row stands for: from its start, or for months and years from its label."""
    if interval in ('hour', 'day'):
        return bucket(interval, period, row.start, tz, reading_day)  # type: ignore[attr-defined]
    label = row.label  # type: ignore[attr-defined]
    return (int(label[:4]), int(label[5:7])) if interval == 'month' else int(label)
