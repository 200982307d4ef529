"""The series a chart needs, for one meter among 200 with two years of half hours, against naive GROUP BYs.

Charts read the roll-ups (`services.series.series`); the baseline groups the meter's raw interval rows of the
same range by local day (or hour) and tariff zone in SQL, then folds days into billing periods in Python.
Goals: each series at least 50× faster than its baseline, and under 5 ms.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text

from bench.common import database, timed
from services.core.system import System
from services.ingest import maintenance
from services.metering import periods
from services.metering.rollups import MeterLife
from services.metering.series import series

METERS = 200
DAYS = 730
FIRST = date(2024, 12, 1)
OFFSET = 3 * 3600  # Moscow: no clock changes, so the naive SQL may use a fixed offset
ZONE_SQL = f'CASE WHEN ((start + {OFFSET}) % 86400) / 3600 BETWEEN 7 AND 22 THEN 1 ELSE 2 END'
REPEAT = 20


def fill(system: System) -> float:
    """Two years of A+ half hours for every meter (generated in SQL), then every meter's roll-ups."""
    engine = system.engine
    lo = periods.midnight(FIRST, system.settings.tz)
    with engine.begin() as conn:
        conn.execute(
            text(
                'INSERT INTO account (id, number, address, address_search, holder_name, tariff_group, '
                "created_at, updated_at) VALUES (1, '1', 'a', 'a', '', '', :t, :t)"
            ),
            {'t': datetime.now(UTC)},
        )
        conn.execute(
            text(
                'INSERT INTO meter (id, serial, account_id, model, phases, tariff_zones, profile_minutes, '
                "installed_on, created_at, updated_at) VALUES (:id, :s, 1, '', 1, 2, 30, :d, :t, :t)"
            ),
            [{'id': n, 's': f'S{n}', 'd': FIRST, 't': datetime.now(UTC)} for n in range(1, METERS + 1)],
        )
        conn.execute(text(
            'WITH RECURSIVE slot(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM slot WHERE n < :last) '
            'INSERT INTO interval_energy (meter_id, energy, start, wh, flags) '
            'SELECT meter.id, 1, :lo + slot.n * 1800, 50 + (slot.n * 37 + meter.id * 11) % 400, 0 '
            'FROM meter, slot ORDER BY 1, 3'
        ), {'last': DAYS * 48 - 1, 'lo': lo})  # fmt: skip
    started = time.perf_counter()
    maintenance.rebuild_range(
        engine,
        first=FIRST,
        last=FIRST + timedelta(days=DAYS - 1),
        tz=system.settings.tz,
        default_reading_day=25,
    )
    return time.perf_counter() - started


def naive(conn: Any, meter_id: int, lo: int, hi: int, fmt: str) -> list[tuple[Any, ...]]:
    """What one writes first: local time and zone from SQL's date functions, grouped over the raw rows."""
    return list(
        conn.execute(
            text(
                f"SELECT strftime('{fmt}', start, 'unixepoch', '+3 hours') AS bucket, "
                "CASE WHEN CAST(strftime('%H', start, 'unixepoch', '+3 hours') AS INTEGER) BETWEEN 7 AND 22 "
                'THEN 1 ELSE 2 END AS zone, SUM(wh), COUNT(*) FROM interval_energy '
                'WHERE meter_id = :m AND energy = 1 AND start >= :lo AND start < :hi GROUP BY bucket, zone'
            ),
            {'m': meter_id, 'lo': lo, 'hi': hi},
        )
    )


def tuned(conn: Any, meter_id: int, lo: int, hi: int, grain: int) -> list[tuple[Any, ...]]:
    """The same with integer arithmetic on epoch seconds: the best a raw-row query can do."""
    return list(
        conn.execute(
            text(
                f'SELECT (start + {OFFSET}) / {grain}, {ZONE_SQL}, SUM(wh), COUNT(*) FROM interval_energy '
                'WHERE meter_id = :m AND energy = 1 AND start >= :lo AND start < :hi GROUP BY 1, 2'
            ),
            {'m': meter_id, 'lo': lo, 'hi': hi},
        )
    )


def fold_billing(days: list[tuple[Any, ...]], reading_day: int) -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = {}
    for day, _zone, wh, _n in days:
        label = periods.billing_label_of(date.fromisoformat(day), reading_day)
        out[label] = out.get(label, 0) + wh
    return out


def best(fn: object) -> float:
    return min(timed(fn)[0] for _ in range(REPEAT))  # type: ignore[arg-type]


def main() -> None:
    with database() as system:
        print(f'series: {METERS} meters × {DAYS} days of half hours ({METERS * DAYS * 48:,} interval rows)')
        seconds = fill(system)
        print(f'  roll-ups of every meter built in {seconds:.1f} s')
        meter = MeterLife(METERS // 2, 2, 30, 25, FIRST, None)
        now = int(datetime.now(UTC).timestamp())
        cases = [
            ('a year by billing periods', 'month', 'billing', date(2025, 1, 1), date(2025, 12, 31), 86400),
            ('a month by days', 'day', 'calendar', date(2025, 3, 1), date(2025, 3, 31), 86400),
            ('a day by hours', 'hour', 'calendar', date(2025, 3, 10), date(2025, 3, 10), 3600),
        ]
        with system.engine.connect() as conn:
            for name, interval, period, first, last, grain in cases:
                measure(conn, meter, name, interval, period, first, last, grain, now)


def measure(
    conn: Any, meter: MeterLife, name: str, interval: str, period: str, first: date, last: date, grain: int, now: int
) -> None:
    tz = ZoneInfo('Europe/Moscow')
    lo, hi = _spans(interval, period, first, last, tz)
    fmt = '%Y-%m-%dT%H' if interval == 'hour' else '%Y-%m-%d'
    ours = best(
        lambda: series(
            conn, meter=meter, energy=1, interval=interval, period=period, first=first, last=last, tz=tz, now=now
        )
    )
    if period == 'billing':
        plain = best(lambda: fold_billing(naive(conn, meter.id, lo, hi, fmt), 25))
    else:
        plain = best(lambda: naive(conn, meter.id, lo, hi, fmt))
    fast = best(lambda: tuned(conn, meter.id, lo, hi, grain))
    verdict = 'ok' if plain / ours >= 50 and ours < 0.005 else 'BELOW GOAL'
    print(
        f'  {name:26s} series {ours * 1000:6.3f} ms | naive GROUP BY {plain * 1000:7.3f} ms, '
        f'ratio {plain / ours:6.1f}× '
        f'({verdict}: ≥ 50× and < 5 ms) | integer GROUP BY {fast * 1000:6.3f} ms, ratio {fast / ours:5.1f}×'
    )


def _spans(interval: str, period: str, first: date, last: date, tz: object) -> tuple[int, int]:
    from services.metering.series import buckets

    found = buckets(interval=interval, period=period, first=first, last=last, reading_day=25, tz=tz)  # type: ignore[arg-type]
    return found[0].start, found[-1].end


if __name__ == '__main__':
    main()
