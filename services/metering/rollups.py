"""Roll-ups of interval energy (SPEC §5, O3): hour and day from raw intervals, coarser grains from days.

Maintained incrementally: an import names the local days it touched, and only those days, and the months,
billing periods and years that hold them, are recomputed. `rebuild` recomputes any range the same way.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import Connection

from models import ESTIMATED, Grain
from services.metering import periods
from services.metering.periods import Period, ZoneClock, start_minute

Sums = dict[tuple[int, int], list[int]]  # (start, zone) -> [wh, present, estimated]


@dataclass(frozen=True)
class MeterLife:
    """What the roll-ups need to know of a meter."""

    id: int
    tariff_zones: int
    profile_minutes: int
    reading_day: int  # the account's, else the utility's
    installed_on: date | None
    removed_on: date | None


def refresh(
    conn: Connection,
    *,
    meter: MeterLife,
    energy: int,
    days: Iterable[date],
    tz: ZoneInfo,
    schedule: dict[int, Sequence[tuple[int, int, int]]] | None = None,
) -> None:
    """Recompute the roll-ups of `meter`/`energy` that hold any of the local `days`."""
    touched = sorted(set(days))
    if not touched:
        return
    clock = ZoneClock(tz, meter.tariff_zones, schedule)
    for run in _runs(touched):
        _refresh_fine(conn, meter, energy, run, clock)
    _refresh_coarse(conn, meter, energy, touched, tz)


def rebuild(
    conn: Connection,
    *,
    meter: MeterLife,
    energy: int,
    first: date,
    last: date,
    tz: ZoneInfo,
    schedule: dict[int, Sequence[tuple[int, int, int]]] | None = None,
) -> None:
    """Recompute every roll-up of `meter`/`energy` for the local days `first`..`last`."""
    refresh(conn, meter=meter, energy=energy, days=periods.days(first, last), tz=tz, schedule=schedule)


def stored_days(conn: Connection, *, meter_id: int, energy: int, tz: ZoneInfo) -> tuple[date, date] | None:
    """First and last local day with stored intervals, or None."""
    row = conn.execute(
        text('SELECT MIN(start), MAX(start) FROM interval_energy WHERE meter_id = :m AND energy = :e'),
        {'m': meter_id, 'e': energy},
    ).one()
    if row[0] is None:
        return None
    return periods.local_day(int(row[0]), tz), periods.local_day(int(row[1]), tz)


def fold_day(rows: Iterable[tuple[int, ...]], day: date, clock: ZoneClock) -> tuple[Sums, Sums]:
    """Hour and day sums per tariff zone of one local day's intervals (start, wh, flags) — a pure reducer."""
    day_start, _day_end, has_change, offset = clock.day_info(day)
    hours: Sums = {}
    if has_change:
        hour_starts = [h.start for h in periods.hours_of_day(day, clock.tz)]
        for start, wh, flags in rows:
            zone = clock.zone(start)
            hour = hour_starts[bisect.bisect_right(hour_starts, start) - 1]
            _add(hours, (hour, zone), wh, 1 if flags & ESTIMATED else 0)
    else:
        # The hot path of every import: plain arithmetic on a day of constant UTC offset.
        first_minute = start_minute(day_start, offset)
        table = clock.by_minute
        for start, wh, flags in rows:
            minute = (start - day_start) // 60
            key = (day_start + minute // 60 * 3600, table[(minute + first_minute) % 1440])
            cell = hours.get(key)
            if cell is None:
                hours[key] = [wh, 1, 1 if flags & ESTIMATED else 0]
            else:
                cell[0] += wh
                cell[1] += 1
                cell[2] += 1 if flags & ESTIMATED else 0
    whole: Sums = {}
    for (_hour, zone), (wh, present, estimated) in hours.items():
        _add(whole, (day_start, zone), wh, estimated, present)
    return hours, whole


def _add(sums: Sums, key: tuple[int, int], wh: int, estimated: int, present: int = 1) -> None:
    cell = sums.get(key)
    if cell is None:
        sums[key] = [wh, present, estimated]
    else:
        cell[0] += wh
        cell[1] += present
        cell[2] += estimated


def _runs(days: list[date]) -> list[list[date]]:
    """Consecutive days grouped, so that each group is one range read."""
    runs: list[list[date]] = [[days[0]]]
    for day in days[1:]:
        if day - runs[-1][-1] == timedelta(days=1) and len(runs[-1]) < 92:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _refresh_fine(conn: Connection, meter: MeterLife, energy: int, run: list[date], clock: ZoneClock) -> None:
    lo, hi = clock.day_info(run[0])[0], clock.day_info(run[-1])[1]
    conn.execute(
        text(
            'DELETE FROM energy_rollup WHERE meter_id = :m AND energy = :e AND grain IN (:g1, :g2) '
            'AND start >= :lo AND start < :hi'
        ),
        {'m': meter.id, 'e': energy, 'g1': int(Grain.hour), 'g2': int(Grain.day), 'lo': lo, 'hi': hi},
    )
    out: list[tuple[int, ...]] = []
    for segment, plain in _segments(run, clock):
        if plain and clock.hour_zones is not None:
            _fold_in_database(conn, meter.id, energy, segment, clock.hour_zones, clock)
        else:
            hours, whole = _fold_in_python(conn, meter.id, energy, segment, clock)
            out.extend(_records(meter.id, energy, Grain.hour, hours))
            out.extend(_records(meter.id, energy, Grain.day, whole))
    _insert(conn, out)


def _segments(run: list[date], clock: ZoneClock) -> list[tuple[list[date], bool]]:
    """Consecutive days split into plain stretches (24 hours from local 00:00) and clock-change days."""
    segments: list[tuple[list[date], bool]] = []
    for day in run:
        start, _end, has_change, offset = clock.day_info(day)
        plain = not has_change and start_minute(start, offset) == 0
        if plain and segments and segments[-1][1]:
            segments[-1][0].append(day)
        else:
            segments.append(([day], plain))
    return segments


def _fold_in_database(
    conn: Connection, meter_id: int, energy: int, days: list[date], hour_zones: list[int], clock: ZoneClock
) -> None:
    """Hour and day roll-ups of plain days written by the database itself, when each local hour has one zone.

    On such days hour h after the first midnight is local hour h mod 24 and day h // 24, so the zone is a
    CASE over h and no interval row ever reaches Python: this is most of an import's roll-up work.
    """
    lo, hi = clock.day_info(days[0])[0], clock.day_info(days[-1])[1]
    zone = 'CASE ((start - :lo) / 3600) % 24 ' + ' '.join(f'WHEN {h} THEN {z}' for h, z in enumerate(hour_zones))
    params = {'m': meter_id, 'e': energy, 'lo': lo, 'hi': hi}
    conn.execute(
        text(
            'INSERT INTO energy_rollup (meter_id, energy, grain, start, zone, wh, present, estimated) '
            f'SELECT :m, :e, {int(Grain.hour)}, :lo + (start - :lo) / 3600 * 3600, {zone} END, '
            'SUM(wh), COUNT(*), SUM(flags & 1) FROM interval_energy '
            'WHERE meter_id = :m AND energy = :e AND start >= :lo AND start < :hi GROUP BY 4, 5'
        ),
        params,
    )
    conn.execute(
        text(
            'INSERT INTO energy_rollup (meter_id, energy, grain, start, zone, wh, present, estimated) '
            f'SELECT :m, :e, {int(Grain.day)}, :lo + (start - :lo) / 86400 * 86400, zone, '
            'SUM(wh), SUM(present), SUM(estimated) FROM energy_rollup '
            f'WHERE meter_id = :m AND energy = :e AND grain = {int(Grain.hour)} AND start >= :lo AND start < :hi '
            'GROUP BY 4, 5'
        ),
        params,
    )


def _fold_in_python(
    conn: Connection, meter_id: int, energy: int, days: list[date], clock: ZoneClock
) -> tuple[Sums, Sums]:
    lo, hi = clock.day_info(days[0])[0], clock.day_info(days[-1])[1]
    rows = _fetch(
        conn,
        'SELECT start, wh, flags FROM interval_energy WHERE meter_id = ? AND energy = ? '
        'AND start >= ? AND start < ? ORDER BY start',
        (meter_id, energy, lo, hi),
    )
    starts = [r[0] for r in rows]
    hours: Sums = {}
    whole: Sums = {}
    for day in days:
        day_start, day_end, _, _ = clock.day_info(day)
        a, b = bisect.bisect_left(starts, day_start), bisect.bisect_left(starts, day_end)
        day_hours, day_whole = fold_day(rows[a:b], day, clock)
        hours.update(day_hours)
        whole.update(day_whole)
    return hours, whole


def _refresh_coarse(conn: Connection, meter: MeterLife, energy: int, days: list[date], tz: ZoneInfo) -> None:
    months = sorted({(d.year, d.month) for d in days})
    bills = sorted({periods.billing_label_of(d, meter.reading_day) for d in days})
    first_day, after_day = _life_days(meter)
    month_periods = [periods.month_period(y, m, tz) for y, m in months]
    bill_periods = [periods.billing_period(y, m, meter.reading_day, tz) for y, m in bills]
    for grain, spans in ((Grain.month, month_periods), (Grain.billing, bill_periods)):
        for span in spans:
            _replace_from_days(conn, meter.id, energy, grain, span, tz, first_day, after_day)
    for year in sorted({y for y, _ in months}):
        _replace_from(conn, meter.id, energy, Grain.year, periods.year_period(year, tz), Grain.month)
    for year in sorted({y for y, _ in bills}):
        _replace_from(
            conn,
            meter.id,
            energy,
            Grain.billing_year,
            periods.billing_year_period(year, meter.reading_day, tz),
            Grain.billing,
        )


def _life_days(meter: MeterLife) -> tuple[date | None, date | None]:
    return meter.installed_on, meter.removed_on


def _replace_from_days(
    conn: Connection,
    meter_id: int,
    energy: int,
    grain: Grain,
    span: Period,
    tz: ZoneInfo,
    first_day: date | None,
    after_day: date | None,
) -> None:
    """A month or billing period from its days; `present` counts only days inside the meter's life."""
    lo = periods.midnight(first_day, tz) if first_day else None
    hi = periods.midnight(after_day, tz) if after_day else None
    rows = _read(conn, meter_id, energy, Grain.day, span)
    sums: Sums = defaultdict(lambda: [0, 0, 0])
    for start, zone, wh, present, estimated in rows:
        cell = sums[(span.start, zone)]
        cell[0] += wh
        cell[1] += present if (lo is None or start >= lo) and (hi is None or start < hi) else 0
        cell[2] += estimated
    _replace(conn, meter_id, energy, grain, span, sums)


def _replace_from(conn: Connection, meter_id: int, energy: int, grain: Grain, span: Period, source: Grain) -> None:
    sums: Sums = defaultdict(lambda: [0, 0, 0])
    for _start, zone, wh, present, estimated in _read(conn, meter_id, energy, source, span):
        cell = sums[(span.start, zone)]
        cell[0] += wh
        cell[1] += present
        cell[2] += estimated
    _replace(conn, meter_id, energy, grain, span, sums)


def _read(conn: Connection, meter_id: int, energy: int, grain: Grain, span: Period) -> list[tuple[int, ...]]:
    return [
        tuple(r)
        for r in conn.execute(
            text(
                'SELECT start, zone, wh, present, estimated FROM energy_rollup WHERE meter_id = :m AND energy = :e '
                'AND grain = :g AND start >= :lo AND start < :hi'
            ),
            {'m': meter_id, 'e': energy, 'g': int(grain), 'lo': span.start, 'hi': span.end},
        ).all()
    ]


def _replace(conn: Connection, meter_id: int, energy: int, grain: Grain, span: Period, sums: Sums) -> None:
    conn.execute(
        text('DELETE FROM energy_rollup WHERE meter_id = :m AND energy = :e AND grain = :g AND start = :s'),
        {'m': meter_id, 'e': energy, 'g': int(grain), 's': span.start},
    )
    _insert(conn, list(_records(meter_id, energy, grain, sums)))


def _records(meter_id: int, energy: int, grain: Grain, sums: Sums) -> Iterable[tuple[int, ...]]:
    for (start, zone), (wh, present, estimated) in sums.items():
        yield (meter_id, energy, int(grain), start, zone, wh, present, estimated)


def _insert(conn: Connection, records: list[tuple[int, ...]]) -> None:
    """Through the driver's executemany: an import of a year of data writes hundreds of thousands of rows."""
    if records:
        mark = _mark(conn)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(
                'INSERT INTO energy_rollup (meter_id, energy, grain, start, zone, wh, present, estimated) '
                f'VALUES ({", ".join([mark] * 8)})',
                records,
            )
        finally:
            cursor.close()


def _fetch(conn: Connection, sql: str, params: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Integer rows of a query written with '?' marks, read through the driver (no per-row SQLAlchemy work)."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql.replace('?', _mark(conn)), params)
        if conn.dialect.name == 'sqlite':  # integers already; PostgreSQL sums come back as Decimal
            return list(cursor.fetchall())
        return [tuple(map(int, row)) for row in cursor.fetchall()]
    finally:
        cursor.close()


def _mark(conn: Connection) -> str:
    return '?' if conn.dialect.name == 'sqlite' else '%s'
