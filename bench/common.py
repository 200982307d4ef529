"""Shared helpers of the benchmarks: temporary databases, a generated registry and OBIS CSV data."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import text

from services.core.db import make_engine, migrate
from services.core.settings import Settings
from services.core.system import System

T = TypeVar('T')
PG_URL = os.environ.get('KABINET_TEST_DATABASE_URL', '')
START = datetime(2025, 1, 1, tzinfo=UTC) - timedelta(hours=3)  # local midnight in Moscow


def registry_csv(meters: int) -> bytes:
    lines = ['account_number;address;meter_serial;tariff_zones;profile_minutes;installed_on;reading_day']
    for n in range(meters):
        lines.append(f'{700000 + n};г. Тверь, ул. Мира, д. {n + 1};B{n:05d};2;30;2025-01-01;{20 + n % 12}')
    return ('\n'.join(lines) + '\n').encode()


def obis_csv(meters: int, half_hours: int) -> bytes:
    """A+ of `meters` meters for `half_hours` consecutive half hours each, as `app.py import` reads it."""
    out = ['meter;obis;start;end;value;unit;status']
    stamps = [(START + timedelta(minutes=30 * i)).isoformat() for i in range(half_hours + 1)]
    for n in range(meters):
        for i in range(half_hours):
            out.append(f'B{n:05d};1.0.1.29.0.255;{stamps[i]};{stamps[i + 1]};0,{100 + (i * 7 + n) % 400:03d};kWh;')
    return ('\n'.join(out) + '\n').encode()


@contextmanager
def database(kind: str = 'sqlite') -> Iterator[System]:
    """A fresh migrated database: a temporary SQLite file, or the PostgreSQL test database emptied."""
    with tempfile.TemporaryDirectory() as folder:
        url = f'sqlite:///{Path(folder) / "bench.db"}' if kind == 'sqlite' else PG_URL
        engine = make_engine(url)
        migrate(engine)
        if kind != 'sqlite':
            with engine.begin() as conn:
                for table in ('energy_rollup', 'interval_energy', 'import_log', 'meter', 'account'):
                    conn.execute(text(f'DELETE FROM {table}'))
        settings = Settings(_env_file=None, database_url=url, mode='test', timezone='Europe/Moscow')
        try:
            yield System(settings=settings, engine=engine)
        finally:
            engine.dispose()


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Wall-clock seconds of fn() and its result."""
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def cpu_timed(fn: Callable[[], T]) -> tuple[float, float, T]:
    """Wall-clock and CPU seconds of fn(): on a shared machine the CPU time is the steadier figure."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def best_of(runs: int, fn: Callable[[], object]) -> float:
    return min(timed(fn)[0] for _ in range(runs))
