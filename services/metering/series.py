"""Consumption series read from the roll-ups (never from raw intervals beyond one day): SPEC §5 and §8."""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import Connection

from models import ENERGY_CODES, Grain
from services.metering import periods
from services.metering.periods import Period
from services.metering.rollups import MeterLife

INTERVALS = ('hour', 'day', 'month', 'year')
PERIOD_TYPES = ('calendar', 'billing')
LONGEST_DAY = 25 * 3600  # a local day with the clock turned back


@dataclass(frozen=True)
class SeriesRow:
    """One bar: energy in Wh (varh) per tariff zone, and how complete it is."""

    label: str
    start: int  # epoch seconds, UTC
    end: int
    zones: dict[int, int] = field(default_factory=dict)  # zone 1..3 -> Wh
    present: int = 0
    estimated: int = 0
    expected: int = 0

    @property
    def total(self) -> int:
        return sum(self.zones.values())

    @property
    def missing(self) -> int:
        return max(0, self.expected - self.present)

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.missing == 0


def buckets(*, interval: str, period: str, first: date, last: date, reading_day: int, tz: ZoneInfo) -> list[Period]:
    """The periods of a series: every local hour or day of first..last, or every month/year label between."""
    if interval == 'hour':
        return [h for d in periods.days(first, last) for h in periods.hours_of_day(d, tz)]
    if interval == 'day':
        return [periods.day_period(d, tz) for d in periods.days(first, last)]
    if interval == 'month':
        if period == 'billing':
            return [periods.billing_period(y, m, reading_day, tz) for y, m in periods.months(first, last)]
        return [periods.month_period(y, m, tz) for y, m in periods.months(first, last)]
    if interval == 'year':
        if period == 'billing':
            return [periods.billing_year_period(y, reading_day, tz) for y in range(first.year, last.year + 1)]
        return [periods.year_period(y, tz) for y in range(first.year, last.year + 1)]
    raise ValueError(f'unknown interval {interval!r}')


def grain_of(interval: str, period: str) -> Grain:
    if interval in ('hour', 'day'):
        return Grain.hour if interval == 'hour' else Grain.day
    billing = period == 'billing'
    if interval == 'month':
        return Grain.billing if billing else Grain.month
    return Grain.billing_year if billing else Grain.year


def series(
    conn: Connection,
    *,
    meter: MeterLife,
    energy: int,
    interval: str,
    period: str,
    first: date,
    last: date,
    tz: ZoneInfo,
    now: int,
    hours: Container[int] | None = None,
) -> list[SeriesRow]:
    """Rows of `interval` for local dates first..last (labels as SPEC §8), with zones and completeness; for hours,
    only those whose local hour of the day is in `hours` when it is given (the nights of two weeks, say)."""
    (found,) = series_many(
        conn, asks=[Ask(meter, first, last)], energy=energy, interval=interval, period=period, tz=tz, now=now,
        hours=hours,
    )  # fmt: skip
    return found


@dataclass(frozen=True)
class Ask:
    """One series of `series_many`: a meter and its local dates first..last."""

    meter: MeterLife
    first: date
    last: date


def series_many(
    conn: Connection,
    *,
    asks: Sequence[Ask],
    energy: int,
    interval: str,
    period: str,
    tz: ZoneInfo,
    now: int,
    hours: Container[int] | None = None,
) -> list[list[SeriesRow]]:
    """`series` of each ask (same energy, interval and period), read from the roll-ups in one statement."""
    spans = [
        buckets(interval=interval, period=period, first=a.first, last=a.last, reading_day=a.meter.reading_day, tz=tz)
        for a in asks
    ]
    if hours is not None and interval == 'hour':
        spans = [[h for h in s if int(h.label[11:13]) in hours] for s in spans]
    ranges = {(a.meter.id, lo, hi) for a, s in zip(asks, spans, strict=True) for lo, hi in _stretches(s)}
    found = _rollups(conn, sorted(ranges), energy, grain_of(interval, period))
    lives = {a.meter.id: life_span(conn, meter=a.meter, tz=tz) for a, s in zip(asks, spans, strict=True) if s}
    return [
        _rows(a.meter, s, found.get(a.meter.id, {}), lives[a.meter.id], now) if s else []
        for a, s in zip(asks, spans, strict=True)
    ]


def _stretches(spans: list[Period]) -> list[tuple[int, int]]:
    """[lo, hi) of each run of back-to-back periods: one for a whole series, one per night for nights only."""
    found: list[tuple[int, int]] = []
    for span in spans:
        if found and found[-1][1] == span.start:
            found[-1] = (found[-1][0], span.end)
        else:
            found.append((span.start, span.end))
    return found


def _rollups(
    conn: Connection, ranges: list[tuple[int, int, int]], energy: int, grain: Grain
) -> dict[int, dict[int, tuple[dict[int, int], int, int]]]:
    """Per meter and period start: Wh per zone, present and estimated counts, of each (meter, lo, hi) range."""
    found: dict[int, dict[int, tuple[dict[int, int], int, int]]] = {}
    if not ranges:
        return found
    where = ' OR '.join(  # each term a range of the primary key, so that both databases seek it
        f'(meter_id = :m{i} AND energy = :e AND grain = :g AND start >= :lo{i} AND start < :hi{i})'
        for i in range(len(ranges))
    )
    params: dict[str, int] = {'e': energy, 'g': int(grain)}
    for i, (meter_id, lo, hi) in enumerate(ranges):
        params.update({f'm{i}': meter_id, f'lo{i}': lo, f'hi{i}': hi})
    for meter_id, start, zone, wh, present, estimated in conn.execute(
        text(f'SELECT meter_id, start, zone, wh, present, estimated FROM energy_rollup WHERE {where}'),
        params,
    ):
        by_start = found.setdefault(meter_id, {})
        zones, p, est = by_start.get(start, ({}, 0, 0))
        zones[zone] = zones.get(zone, 0) + wh
        by_start[start] = (zones, p + present, est + estimated)
    return found


def _rows(
    meter: MeterLife,
    spans: list[Period],
    found: dict[int, tuple[dict[int, int], int, int]],
    life: tuple[int | None, int | None],
    now: int,
) -> list[SeriesRow]:
    rows = []
    for span in spans:
        zones, present, estimated = found.get(span.start, ({}, 0, 0))
        full = {z: zones.get(z, 0) for z in range(1, meter.tariff_zones + 1)}
        for zone, wh in zones.items():  # data in a zone the tariff does not have still counts
            full.setdefault(zone, wh)
        rows.append(
            SeriesRow(
                label=span.label,
                start=span.start,
                end=span.end,
                zones=full,
                present=present,
                estimated=estimated,
                expected=expected_count(span, life, meter.profile_minutes, now),
            )
        )
    return rows


def life_span(conn: Connection, *, meter: MeterLife, tz: ZoneInfo) -> tuple[int | None, int | None]:
    """[start, end) of the meter's expected intervals: its installation, else its first stored interval."""
    start = periods.midnight(meter.installed_on, tz) if meter.installed_on else None
    if start is None:
        start = first_interval(conn, meter.id)
    end = periods.midnight(meter.removed_on, tz) if meter.removed_on else None
    return start, end


def first_interval(conn: Connection, meter_id: int) -> int | None:
    """The start of the meter's first stored interval of any energy type.

    Asked for every chart, so it must not read the meter's whole history: the first day roll-up (one index
    probe per energy type) names the day, and only that day's intervals are read. On PostgreSQL the range
    also confines the query to one or two monthly partitions, where a bare `MIN(start)` plans and reads all
    of them. When roll-ups and intervals disagree (a rebuild still to come), the history is read whole.
    """
    first_day = conn.execute(
        text(_first_of_each_energy('energy_rollup', 'grain = :g')), {'m': meter_id, 'g': int(Grain.day)}
    ).scalar()
    if first_day is not None:
        found = conn.execute(
            text(_first_of_each_energy('interval_energy', 'start >= :lo AND start < :hi')),
            {'m': meter_id, 'lo': int(first_day), 'hi': int(first_day) + LONGEST_DAY},
        ).scalar()
        if found is not None:
            return int(found)
    first = conn.execute(text('SELECT MIN(start) FROM interval_energy WHERE meter_id = :m'), {'m': meter_id}).scalar()
    return int(first) if first is not None else None


def _first_of_each_energy(table: str, condition: str) -> str:
    """The least `start` of the meter's rows: a MIN per energy type, each an index probe on the primary key."""
    probes = ' UNION ALL '.join(
        f'SELECT MIN(start) AS first FROM {table} WHERE meter_id = :m AND energy = {code} AND {condition}'
        for code in ENERGY_CODES.values()
    )
    return f'SELECT MIN(first) FROM ({probes}) AS firsts'


def expected_count(span: Period, life: tuple[int | None, int | None], profile_minutes: int, now: int) -> int:
    """How many profile intervals inside `span` lie in the meter's life and have ended by `now`."""
    life_start, life_end = life
    if life_start is None:
        return 0
    step = profile_minutes * 60
    lo = max(span.start, life_start)
    hi = min(span.end, life_end if life_end is not None else span.end, now - step + 1)
    if hi <= lo:
        return 0
    return (hi - lo + step - 1) // step
