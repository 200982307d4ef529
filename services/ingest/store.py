"""Bulk upserts of meter data inside the caller's transaction, on SQLite and PostgreSQL alike.

Interval rows go through the driver's own `executemany` (no ORM objects, no per-row SQLAlchemy work): at
hundreds of thousands of rows per file that is the difference between seconds and minutes. The statement is
the same on both databases (`INSERT ... ON CONFLICT ... DO UPDATE`); only the parameter style differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from models import MeterEvent

CHUNK = 20_000

_UPSERTS = {
    'interval_energy': (
        ('meter_id', 'energy', 'start', 'wh', 'flags'),
        ('meter_id', 'energy', 'start'),
    ),
    'register_reading': (
        ('meter_id', 'energy', 'zone', 'at', 'wh', 'flags'),
        ('meter_id', 'energy', 'zone', 'at'),
    ),
    'instant_value': (
        ('meter_id', 'quantity', 'at', 'value'),
        ('meter_id', 'quantity', 'at'),
    ),
}


def upsert(conn: Connection, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert `rows` (tuples in the table's column order above); an existing key takes the new values."""
    if not rows:
        return
    columns, key = _UPSERTS[table]
    mark = '?' if conn.dialect.name == 'sqlite' else '%s'
    updates = ', '.join(f'{c} = excluded.{c}' for c in columns if c not in key)
    statement = (
        f'INSERT INTO {table} ({", ".join(columns)}) VALUES ({", ".join([mark] * len(columns))}) '
        f'ON CONFLICT ({", ".join(key)}) DO UPDATE SET {updates}'
    )
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        for first in range(0, len(rows), CHUNK):
            cursor.executemany(statement, rows[first : first + CHUNK])
    finally:
        cursor.close()


def insert_events(conn: Connection, rows: Sequence[dict[str, Any]], *, now: datetime) -> int:
    """Meter events; one already stored (same meter, time, journal and code) is left as it is."""
    if not rows:
        return 0
    dialect = postgresql if conn.dialect.name == 'postgresql' else sqlite
    table = MeterEvent.__table__  # type: ignore[attr-defined]
    statement = dialect.insert(table).on_conflict_do_nothing(index_elements=['meter_id', 'at', 'journal', 'code'])
    conn.execute(statement, [{**row, 'imported_at': now} for row in rows])
    return len(rows)
