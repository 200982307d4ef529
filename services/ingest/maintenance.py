"""Roll-up maintenance over the database: meter lives, the zone schedule, and rebuilds of any range (O3)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from services.metering import rollups
from services.metering.rollups import MeterLife

log = logging.getLogger(__name__)
Schedule = dict[int, Sequence[tuple[int, int, int]]]
BATCH = 500  # meters per transaction of a rebuild


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
    rebuild_meters(conn, meters={meter.id: meter}, tz=tz, zones=zones)


def rebuild_meters(conn: Connection, *, meters: dict[int, MeterLife], tz: ZoneInfo, zones: Schedule | None) -> None:
    """Drop and recompute every roll-up of the meters, over the days each meter/energy has data, set-based."""
    ids = sorted(meters)
    for first in range(0, len(ids), 500):
        chunk = ids[first : first + 500]
        marks = ', '.join(f':m{n}' for n in range(len(chunk)))
        conn.execute(
            text(f'DELETE FROM energy_rollup WHERE meter_id IN ({marks})'), {f'm{n}': m for n, m in enumerate(chunk)}
        )
    ranges: dict[tuple[int, int], tuple[date, date]] = {}
    for meter_id in ids:
        for energy in rollups.ENERGIES:
            span = rollups.stored_days(conn, meter_id=meter_id, energy=energy, tz=tz)
            if span is not None:
                ranges[(meter_id, energy)] = span
    rollups.rebuild_ranges(conn, meters=meters, ranges=ranges, tz=tz, schedule=zones)


Progress = Callable[[int, int], None]  # meters done, meters in all


def rebuild_range(
    engine: Engine,
    *,
    first: date,
    last: date,
    tz: ZoneInfo,
    default_reading_day: int,
    meter_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> int:
    """Recompute the roll-ups of local days first..last of the given meters (all meters with data when None).

    Set-based, `batch` meters per transaction, so a long rebuild neither holds the database nor loops meter
    by meter; `progress` hears after each batch. Returns the meters rebuilt.
    """
    with engine.connect() as conn:
        ids = sorted(meter_ids) if meter_ids is not None else _meters_with_data(conn)
    done = 0
    for start in range(0, len(ids), batch):
        with engine.begin() as conn:
            meters = lives(conn, ids[start : start + batch], default_reading_day=default_reading_day)
            rollups.rebuild_many(conn, meters=meters, first=first, last=last, tz=tz, schedule=schedule(conn))
        done += len(meters)
        if progress is not None:
            progress(min(start + batch, len(ids)), len(ids))
    return done


def rebuild_recent(
    engine: Engine,
    *,
    days: int,
    today: date,
    tz: ZoneInfo,
    default_reading_day: int,
    progress: Progress | None = None,
) -> int:
    """The nightly pass: the last `days` local days of every meter with data, to catch late data and clock changes."""
    return rebuild_range(
        engine,
        first=today - timedelta(days=days - 1),
        last=today,
        tz=tz,
        default_reading_day=default_reading_day,
        progress=progress,
    )


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
