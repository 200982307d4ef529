"""Roll-up maintenance over the database: meter lives, the zone schedule, and rebuilds of any range (O3)."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from services.metering import periods, rollups
from services.metering.rollups import MeterLife

log = logging.getLogger(__name__)
Schedule = dict[int, Sequence[tuple[int, int, int]]]


def lives(conn: Connection, meter_ids: Iterable[int], *, default_reading_day: int) -> dict[int, MeterLife]:
    """MeterLife of each meter id (its account's reading day, else the utility's)."""
    ids = sorted(set(meter_ids))
    found: dict[int, MeterLife] = {}
    for first in range(0, len(ids), 500):
        chunk = ids[first : first + 500]
        marks = ', '.join(f':m{n}' for n in range(len(chunk)))
        rows = conn.execute(
            text(
                'SELECT meter.id, meter.tariff_zones, meter.profile_minutes, account.reading_day, meter.installed_on, '
                f'meter.removed_on FROM meter JOIN account ON account.id = meter.account_id WHERE meter.id IN ({marks})'
            ),
            {f'm{n}': meter_id for n, meter_id in enumerate(chunk)},
        )
        for meter_id, zones, profile, reading_day, installed_on, removed_on in rows:
            found[meter_id] = MeterLife(
                id=meter_id,
                tariff_zones=zones,
                profile_minutes=profile,
                reading_day=reading_day or default_reading_day,
                installed_on=_as_date(installed_on),
                removed_on=_as_date(removed_on),
            )
    return found


def schedule(conn: Connection) -> Schedule | None:
    """The tariff-zone schedule of the instance (a region may edit it), or None for the household default."""
    table: dict[int, list[tuple[int, int, int]]] = {}
    for zones, zone, start, end in conn.execute(
        text('SELECT tariff_zones, zone, start_minute, end_minute FROM tariff_zone_schedule ORDER BY start_minute')
    ):
        table.setdefault(zones, []).append((start, end, zone))
    return dict(table) or None


def rebuild_meter(conn: Connection, *, meter: MeterLife, tz: ZoneInfo, zones: Schedule | None) -> None:
    """Drop and recompute every roll-up of a meter: after its tariff, life dates or reading day changed."""
    conn.execute(text('DELETE FROM energy_rollup WHERE meter_id = :m'), {'m': meter.id})
    for energy in range(1, 5):
        span = rollups.stored_days(conn, meter_id=meter.id, energy=energy, tz=tz)
        if span is not None:
            rollups.rebuild(conn, meter=meter, energy=energy, first=span[0], last=span[1], tz=tz, schedule=zones)


def rebuild_range(
    engine: Engine,
    *,
    first: date,
    last: date,
    tz: ZoneInfo,
    default_reading_day: int,
    meter_ids: Iterable[int] | None = None,
) -> int:
    """Recompute the roll-ups of local days first..last of the given meters (all meters with data when None).

    One transaction per meter, so a long rebuild does not hold the database. Returns the meters rebuilt.
    """
    with engine.connect() as conn:
        ids = sorted(meter_ids) if meter_ids is not None else _meters_with_data(conn)
    done = 0
    for meter_id in ids:
        with engine.begin() as conn:
            meter = lives(conn, [meter_id], default_reading_day=default_reading_day).get(meter_id)
            if meter is None:
                continue
            zones = schedule(conn)
            for energy in range(1, 5):
                rollups.rebuild(conn, meter=meter, energy=energy, first=first, last=last, tz=tz, schedule=zones)
        done += 1
    return done


def rebuild_recent(engine: Engine, *, days: int, today: date, tz: ZoneInfo, default_reading_day: int) -> int:
    """The nightly pass: the last `days` local days of every meter with data, to catch late data and clock changes."""
    return rebuild_range(
        engine, first=today - timedelta(days=days - 1), last=today, tz=tz, default_reading_day=default_reading_day
    )


def touched_days(rows: Sequence[tuple[int, int, int, int, int]], tz: ZoneInfo) -> dict[tuple[int, int], set[date]]:
    """Local days per (meter, energy) of rows sorted by key: one bisection per day, not one step per row."""
    touched: dict[tuple[int, int], set[date]] = {}
    n = 0
    while n < len(rows):
        meter_id, energy, start = rows[n][0], rows[n][1], rows[n][2]
        day = periods.local_day(start, tz)
        touched.setdefault((meter_id, energy), set()).add(day)
        # the first row of the next local day, or of the next meter/energy
        n = bisect.bisect_left(rows, (meter_id, energy, periods.midnight(day + timedelta(days=1), tz)), lo=n + 1)
    return touched


def _meters_with_data(conn: Connection) -> list[int]:
    ids = conn.execute(text('SELECT id FROM meter ORDER BY id')).scalars().all()
    return [
        meter_id
        for meter_id in ids
        if conn.execute(text('SELECT 1 FROM interval_energy WHERE meter_id = :m LIMIT 1'), {'m': meter_id}).first()
    ]


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
