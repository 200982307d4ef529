"""Register readings and instantaneous values of the demo meters, consistent with their half-hour profiles."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import Connection

from services.metering import periods
from services.metering.periods import ZoneClock


def store_registers(
    conn: Connection,
    *,
    meter_id: int,
    energy: int,
    tariff_zones: int,
    rows: Sequence[tuple[int, int, int]],
    tz: ZoneInfo,
    rng: random.Random,
) -> int:
    """Cumulative registers (total and per zone) at each local midnight, accumulated from the profile."""
    if not rows:
        return 0
    clock = ZoneClock(tz, tariff_zones)
    zones = {z: rng.randint(1_000_000, 9_000_000) for z in range(1, tariff_zones + 1)}  # Wh already on the dial
    first_day = periods.local_day(rows[0][0], tz)
    last_day = periods.local_day(rows[-1][0], tz) + timedelta(days=1)
    records = []
    i = 0
    for day in periods.days(first_day, last_day):
        at = periods.midnight(day, tz)
        while i < len(rows) and rows[i][0] < at:
            zones[clock.zone(rows[i][0])] += rows[i][1]
            i += 1
        records.append({'m': meter_id, 'e': energy, 'z': 0, 'at': at, 'wh': sum(zones.values())})
        records += [{'m': meter_id, 'e': energy, 'z': z, 'at': at, 'wh': wh} for z, wh in zones.items()]
    conn.execute(
        text('INSERT INTO register_reading (meter_id, energy, zone, at, wh, flags) VALUES (:m, :e, :z, :at, :wh, 0)'),
        records,
    )
    return len(records)


def store_instants(
    conn: Connection,
    *,
    meter_id: int,
    phases: int,
    rows: Sequence[tuple[int, int, int]],
    relay: int,
    rng: random.Random,
) -> None:
    """The last 24 hours of power, voltages and currents every half hour, and the relay state."""
    records = []
    for start, wh, _flags in rows[-48:]:
        at = start + 1800
        watts = wh * 2 * rng.uniform(0.7, 1.3) if relay == 1 else 0.0
        share = [1.0] if phases == 1 else _split(rng)
        records.append({'m': meter_id, 'q': 'P', 'at': at, 'v': round(watts, 1)})
        for n, part in enumerate(share, start=1):
            volts = round(rng.gauss(230, 3.5), 1)
            records.append({'m': meter_id, 'q': f'U{n}', 'at': at, 'v': volts})
            records.append({'m': meter_id, 'q': f'I{n}', 'at': at, 'v': round(watts * part / volts, 2)})
    if rows:
        records.append({'m': meter_id, 'q': 'relay', 'at': rows[-1][0] + 1800, 'v': float(relay)})
    conn.execute(text('INSERT INTO instant_value (meter_id, quantity, at, value) VALUES (:m, :q, :at, :v)'), records)


def _split(rng: random.Random) -> list[float]:
    weights = [rng.uniform(0.6, 1.4) for _ in range(3)]
    total = sum(weights)
    return [w / total for w in weights]
