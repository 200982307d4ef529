"""The year of `bench.scale`: data generated in SQL, the plain roll-up, chart p95 and bytes per row."""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text

from bench.common import START
from services.core.system import System
from services.ingest import maintenance
from services.metering.series import buckets, series

OFFSET = 3 * 3600  # Moscow keeps one offset, so the plain SQL may use it
ZONE_SQL = f'CASE WHEN ((start + {OFFSET}) % 86400) / 3600 BETWEEN 7 AND 22 THEN 1 ELSE 2 END'
SAMPLE = 100  # meters copied into the plain table whose size is the baseline


def generate(system: System, meters: int, days: int) -> tuple[int, float]:
    """A+ half hours of every meter for `days` days from local 2025-01-01, in key order; rows and seconds."""
    lo = int(START.timestamp())
    started = time.perf_counter()
    with system.engine.begin() as conn:
        if conn.dialect.name == 'sqlite':
            conn.execute(text(
                'WITH RECURSIVE slot(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM slot WHERE n < :last) '
                'INSERT INTO interval_energy (meter_id, energy, start, wh, flags) '
                'SELECT meter.id, 1, :lo + slot.n * 1800, 50 + (slot.n * 37 + meter.id * 11) % 400, 0 '
                'FROM meter, slot ORDER BY 1, 3'
            ), {'last': days * 48 - 1, 'lo': lo})  # fmt: skip
        else:
            conn.execute(text(
                'INSERT INTO interval_energy (meter_id, energy, start, wh, flags) '
                'SELECT meter.id, 1, :lo + n * 1800, 50 + (n * 37 + meter.id * 11) % 400, 0 '
                'FROM meter, generate_series(0, :last) AS n ORDER BY 1, 3'
            ), {'last': days * 48 - 1, 'lo': lo})  # fmt: skip
    return meters * days * 48, time.perf_counter() - started


def plain_rollup(system: System) -> float:
    """One INSERT … SELECT … GROUP BY of local days and zones over every interval row: seconds."""
    started = time.perf_counter()
    with system.engine.begin() as conn:
        conn.execute(text('CREATE TABLE bench_plain_rollup (meter_id INT, day INT, zone INT, wh BIGINT, n INT)'))
        conn.execute(text(
            f'INSERT INTO bench_plain_rollup SELECT meter_id, (start + {OFFSET}) / 86400, {ZONE_SQL}, SUM(wh), '
            'COUNT(*) FROM interval_energy GROUP BY 1, 2, 3'
        ))  # fmt: skip
    seconds = time.perf_counter() - started
    with system.engine.begin() as conn:
        conn.execute(text('DROP TABLE bench_plain_rollup'))
    return seconds


CASES = (
    ('a year by billing periods', 'month', 'billing', 365),
    ('a month by days', 'day', 'calendar', 31),
    ('a day by hours', 'hour', 'calendar', 1),
)


def charts(system: System, meters: int, queries: int, last: date) -> dict[str, tuple[float, float]]:
    """p95 milliseconds of each chart series over random meters, and of the plain raw-row GROUP BY."""
    rng = random.Random(7)
    chosen = [rng.randint(1, meters) for _ in range(queries)]
    tz = system.settings.tz
    now = int(datetime(2026, 6, 1, tzinfo=UTC).timestamp())
    out: dict[str, tuple[float, float]] = {}
    with system.engine.connect() as conn:
        lives = maintenance.lives(conn, set(chosen), default_reading_day=25)
        for name, interval, period, length in CASES:
            a = last - timedelta(days=length - 1) if length > 1 else date(2025, 6, 10)
            b = last if length > 1 else a
            ours, plain = [], []
            for meter_id in chosen:
                started = time.perf_counter()
                series(conn, meter=lives[meter_id], energy=1, interval=interval, period=period, first=a, last=b,
                       tz=tz, now=now)  # fmt: skip
                ours.append(time.perf_counter() - started)
                span = buckets(interval=interval, period=period, first=a, last=b, reading_day=25, tz=tz)
                started = time.perf_counter()
                _raw(conn, meter_id, span[0].start, span[-1].end, 3600 if interval == 'hour' else 86400)
                plain.append(time.perf_counter() - started)
            out[name] = (_p95(ours) * 1000, _p95(plain) * 1000)
    return out


def _raw(conn: Any, meter_id: int, lo: int, hi: int, grain: int) -> list[Any]:
    return list(conn.execute(text(
        f'SELECT (start + {OFFSET}) / {grain}, {ZONE_SQL}, SUM(wh), COUNT(*) FROM interval_energy '
        'WHERE meter_id = :m AND energy = 1 AND start >= :lo AND start < :hi GROUP BY 1, 2'
    ), {'m': meter_id, 'lo': lo, 'hi': hi}))  # fmt: skip


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def sizes(system: System, rows: int) -> dict[str, float]:
    """Bytes per interval row: the intervals, the roll-ups, and a plain table of a sample of the same rows."""
    with system.engine.begin() as conn:
        pg = conn.dialect.name == 'postgresql'
        key = 'start BIGINT' if pg else 'start INT'
        conn.execute(text(
            f'CREATE TABLE bench_plain_size (meter_id INT, energy INT, {key}, wh INT, flags INT, '
            'PRIMARY KEY (meter_id, energy, start))' + ('' if pg else ' WITHOUT ROWID')
        ))  # fmt: skip
        sample = conn.execute(text(
            'INSERT INTO bench_plain_size SELECT meter_id, energy, start, wh, flags FROM interval_energy '
            f'WHERE meter_id <= {SAMPLE}'
        )).rowcount  # fmt: skip
    with system.engine.connect() as conn:
        if pg:
            conn.execute(text('ANALYZE bench_plain_size'))
            intervals = conn.execute(text(
                "SELECT SUM(pg_total_relation_size(relid)) FROM pg_partition_tree('interval_energy')"
            )).scalar_one()  # fmt: skip
            rollups, plain = (conn.execute(text(f"SELECT pg_total_relation_size('{t}')")).scalar_one()
                              for t in ('energy_rollup', 'bench_plain_size'))  # fmt: skip
        else:
            found: dict[str, int] = dict(conn.execute(text(
                "SELECT name, SUM(pgsize) FROM dbstat WHERE name IN ('interval_energy', 'energy_rollup', "
                "'bench_plain_size') GROUP BY name"
            )).all())  # fmt: skip
            intervals, rollups, plain = (found[n] for n in ('interval_energy', 'energy_rollup', 'bench_plain_size'))
    with system.engine.begin() as conn:
        conn.execute(text('DROP TABLE bench_plain_size'))
    return {'intervals': int(intervals) / rows, 'rollups': int(rollups) / rows, 'plain': int(plain) / max(sample, 1)}
