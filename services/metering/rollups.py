"""Roll-ups of interval energy (SPEC §5, O3): hour and day from raw intervals, coarser grains from days.

Maintained incrementally: an import names the local days it touched, and only those days, and the months,
billing periods and years that hold them, are recomputed. `rebuild` recomputes any range the same way.

Set-based: the spans and periods of every touched meter go into two temporary tables, and a handful of
`INSERT … SELECT … GROUP BY` statements compute hours (with the tariff zone as a CASE over the local
minute), days from hours, months and billing periods from days, years from those — for all meters at once,
the same statements on SQLite and PostgreSQL. No interval row ever reaches Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import Connection

from models import Grain
from services.metering import periods
from services.metering.periods import ZoneClock
from services.metering.rollup_plan import Calendar, Key, MeterLife, Run, period_rows, runs_of, span_rows, zone_case

__all__ = ['MeterLife', 'rebuild', 'rebuild_many', 'rebuild_ranges', 'refresh', 'refresh_many', 'stored_days']

Schedule = dict[int, Sequence[tuple[int, int, int]]]
ENERGIES = (1, 2, 3, 4)
_COLUMNS = 'meter_id, energy, grain, start, zone, wh, present, estimated'
_SPAN_TABLE = (
    'rollup_span (meter_id INTEGER, energy INTEGER, tariff_zones INTEGER, lo BIGINT, hi BIGINT, shift INTEGER, '
    'day_start BIGINT, hour_lo BIGINT)'
)
_PERIOD_TABLE = (
    'rollup_period (meter_id INTEGER, energy INTEGER, grain INTEGER, lo BIGINT, hi BIGINT, source INTEGER, '
    'life_lo BIGINT, life_hi BIGINT)'
)


def refresh(
    conn: Connection,
    *,
    meter: MeterLife,
    energy: int,
    days: Iterable[date],
    tz: ZoneInfo,
    schedule: Schedule | None = None,
) -> None:
    """Recompute the roll-ups of `meter`/`energy` that hold any of the local `days`."""
    refresh_many(conn, meters={meter.id: meter}, touched={(meter.id, energy): days}, tz=tz, schedule=schedule)


def rebuild(
    conn: Connection,
    *,
    meter: MeterLife,
    energy: int,
    first: date,
    last: date,
    tz: ZoneInfo,
    schedule: Schedule | None = None,
) -> None:
    """Recompute every roll-up of `meter`/`energy` for the local days `first`..`last`."""
    _apply(conn, {meter.id: meter}, {(meter.id, energy): [(first, last)]}, tz, schedule)


def refresh_many(
    conn: Connection,
    *,
    meters: Mapping[int, MeterLife],
    touched: Mapping[Key, Iterable[date]],
    tz: ZoneInfo,
    schedule: Schedule | None = None,
) -> None:
    """Recompute the roll-ups that hold the touched local days of every (meter id, energy) key, all at once."""
    runs = {key: runs_of(days) for key, days in touched.items()}
    _apply(conn, meters, {key: found for key, found in runs.items() if found}, tz, schedule)


def rebuild_many(
    conn: Connection,
    *,
    meters: Mapping[int, MeterLife],
    first: date,
    last: date,
    tz: ZoneInfo,
    schedule: Schedule | None = None,
    energies: Sequence[int] = ENERGIES,
) -> None:
    """Recompute every roll-up of local days `first`..`last` of all `meters` and `energies` at once."""
    runs = {(meter_id, energy): [(first, last)] for meter_id in meters for energy in energies}
    _apply(conn, meters, runs, tz, schedule)


def rebuild_ranges(
    conn: Connection,
    *,
    meters: Mapping[int, MeterLife],
    ranges: Mapping[Key, tuple[date, date]],
    tz: ZoneInfo,
    schedule: Schedule | None = None,
) -> None:
    """Recompute every roll-up of each (meter id, energy) key for its own local days first..last."""
    _apply(conn, meters, {key: [span] for key, span in ranges.items()}, tz, schedule)


def stored_days(conn: Connection, *, meter_id: int, energy: int, tz: ZoneInfo) -> tuple[date, date] | None:
    """First and last local day with stored intervals, or None."""
    row = conn.execute(
        text('SELECT MIN(start), MAX(start) FROM interval_energy WHERE meter_id = :m AND energy = :e'),
        {'m': meter_id, 'e': energy},
    ).one()
    if row[0] is None:
        return None
    return periods.local_day(int(row[0]), tz), periods.local_day(int(row[1]), tz)


def _apply(
    conn: Connection,
    meters: Mapping[int, MeterLife],
    runs: Mapping[Key, Sequence[Run]],
    tz: ZoneInfo,
    schedule: Schedule | None,
) -> None:
    if not runs:
        return
    calendar = Calendar(tz)
    spans = span_rows(calendar, meters, runs)
    coarse, years = period_rows(calendar, meters, runs)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        _Writer(conn.dialect.name, cursor).run(spans, coarse, years, _zones(meters, runs, tz, schedule))
    finally:
        cursor.close()


def _zones(
    meters: Mapping[int, MeterLife], runs: Mapping[Key, Sequence[Run]], tz: ZoneInfo, schedule: Schedule | None
) -> str:
    tariffs = {meters[meter_id].tariff_zones for meter_id, _ in runs}
    tables = {zones: ZoneClock(tz, zones, schedule).by_minute for zones in tariffs}
    return zone_case('(((i.start + s.shift) % 86400) / 60)', tariffs, tables)


class _Writer:
    """The statements of one refresh, through the driver's cursor (executemany for the many small deletes)."""

    def __init__(self, dialect: str, cursor: Any) -> None:
        self.pg = dialect == 'postgresql'
        self.mark = '%s' if self.pg else '?'
        self.cursor = cursor

    def run(self, spans: list[Any], coarse: list[Any], years: list[Any], zone: str) -> None:
        if self.pg:
            # The intervals come span by span in key order; sorted, the hours leave the aggregate in the order of
            # the roll-up's primary key and go into its index page by page. A hash aggregate of a rebuild batch
            # (millions of hours) spilled to disk and wrote the index in random order: half the time. Caching the
            # intervals of each span (a Memoize node) never hits here and only holds memory.
            self.cursor.execute("SET LOCAL work_mem = '64MB'")
            self.cursor.execute('SET LOCAL enable_hashagg = off')
            self.cursor.execute('SET LOCAL enable_memoize = off')
        self._load('rollup_span', _SPAN_TABLE, spans)
        self._load('rollup_period', _PERIOD_TABLE, coarse + years)
        self._delete(
            f'DELETE FROM energy_rollup WHERE meter_id = {self.mark} AND energy = {self.mark} '
            f'AND grain IN ({int(Grain.hour)}, {int(Grain.day)}) AND start >= {self.mark} AND start < {self.mark}',
            [(s[0], s[1], s[7], s[4]) for s in spans],
        )
        self._delete(
            f'DELETE FROM energy_rollup WHERE meter_id = {self.mark} AND energy = {self.mark} '
            f'AND grain = {self.mark} AND start = {self.mark}',
            [p[:4] for p in coarse + years],
        )
        self._sum(
            f's.meter_id, s.energy, {int(Grain.hour)}, i.start - (i.start + s.shift) % 3600, {zone}',
            ('i.wh', '1', 'i.flags & 1'),
            'rollup_span s JOIN interval_energy i '
            'ON i.meter_id = s.meter_id AND i.energy = s.energy AND i.start >= s.lo AND i.start < s.hi',
        )
        self.cursor.execute(  # hours are few beside intervals: a plain GROUP BY is the cheaper way here
            f'INSERT INTO energy_rollup ({_COLUMNS}) SELECT s.meter_id, s.energy, {int(Grain.day)}, '
            'COALESCE(s.day_start, h.start - (h.start + s.shift) % 86400), h.zone, '
            'SUM(h.wh), SUM(h.present), SUM(h.estimated) FROM rollup_span s JOIN energy_rollup h '
            f'ON h.meter_id = s.meter_id AND h.energy = s.energy AND h.grain = {int(Grain.hour)} '
            'AND h.start >= s.hour_lo AND h.start < s.hi GROUP BY 1, 2, 3, 4, 5'
        )
        # `present` of a month or billing period counts only the days inside the meter's life
        for grains in ((Grain.month, Grain.billing), (Grain.year, Grain.billing_year)):
            self.cursor.execute(
                f'INSERT INTO energy_rollup ({_COLUMNS}) '
                'SELECT p.meter_id, p.energy, p.grain, p.lo, d.zone, SUM(d.wh), '
                'SUM(CASE WHEN (p.life_lo IS NULL OR d.start >= p.life_lo) '
                'AND (p.life_hi IS NULL OR d.start < p.life_hi) THEN d.present ELSE 0 END), SUM(d.estimated) '
                'FROM rollup_period p JOIN energy_rollup d ON d.meter_id = p.meter_id AND d.energy = p.energy '
                'AND d.grain = p.source AND d.start >= p.lo AND d.start < p.hi '
                f'WHERE p.grain IN ({int(grains[0])}, {int(grains[1])}) '
                'GROUP BY p.meter_id, p.energy, p.grain, p.lo, d.zone'
            )
        if self.pg:  # the rest of the transaction plans as usual
            self.cursor.execute('RESET enable_hashagg')
            self.cursor.execute('RESET enable_memoize')

    def _sum(self, keys: str, sums: tuple[str, str, str], source: str) -> None:
        """INSERT the sums of `sums` per `keys` (the key columns of energy_rollup) from the rows of `source`.

        PostgreSQL groups (sorting: see `run`). SQLite would sort every interval row for a GROUP BY, which is
        most of an import's roll-up time; adding each row into its hour with an upsert streams instead, since
        the old rows of these keys are deleted first. The same sums either way.
        """
        if self.pg:
            wh, present, estimated = sums
            self.cursor.execute(
                f'INSERT INTO energy_rollup ({_COLUMNS}) SELECT {keys}, SUM({wh}), SUM({present}), SUM({estimated}) '
                f'FROM {source} GROUP BY 1, 2, 3, 4, 5'
            )
            return
        self.cursor.execute(
            f'INSERT INTO energy_rollup ({_COLUMNS}) SELECT {keys}, {", ".join(sums)} FROM {source} WHERE true '
            'ON CONFLICT (meter_id, energy, grain, start, zone) DO UPDATE SET wh = energy_rollup.wh + excluded.wh, '
            'present = energy_rollup.present + excluded.present, '
            'estimated = energy_rollup.estimated + excluded.estimated'
        )

    def _load(self, name: str, definition: str, rows: list[Any]) -> None:
        suffix = ' ON COMMIT DROP' if self.pg else ''
        self.cursor.execute(f'CREATE TEMP TABLE IF NOT EXISTS {definition}{suffix}')
        self.cursor.execute(f'DELETE FROM {name}')
        if rows:
            width = len(rows[0])
            self.cursor.executemany(f'INSERT INTO {name} VALUES ({", ".join([self.mark] * width)})', rows)
        if self.pg:  # without statistics the planner may scan the whole interval table for a few meters
            self.cursor.execute(f'ANALYZE {name}')

    def _delete(self, statement: str, params: list[Any]) -> None:
        if params:
            self.cursor.executemany(statement, params)
