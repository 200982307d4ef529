"""Bulk upserts of meter data inside the caller's transaction, on SQLite and PostgreSQL alike.

Interval rows go through the driver itself (no ORM objects, no per-row SQLAlchemy work): `executemany` on
SQLite, COPY into a temporary table on PostgreSQL; at hundreds of thousands of rows per file that is the
difference between seconds and minutes. Both end in `INSERT ... ON CONFLICT ... DO UPDATE`. Interval values
are normalised and stored a slice at a time, so only one slice of rows is ever alive.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from models import MeterEvent
from services.ingest.formats import IntervalValue
from services.ingest.normalise import Normaliser, chunks, touched_days

CHUNK = 50_000  # values normalised and stored at a time; executemany batches of SQLite too

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


def upsert_intervals(
    conn: Connection, values: Sequence[IntervalValue], normaliser: Normaliser, tz: ZoneInfo
) -> tuple[int, dict[tuple[int, int], set[date]]]:
    """Normalise and upsert interval values a slice at a time; the rows stored and the touched local days.

    Only one slice of rows (tuples) is alive at a time, and of what was stored only the set of touched
    (meter, energy) local days is kept, for the roll-ups. All of it inside the caller's one transaction.
    """
    count = 0
    touched: dict[tuple[int, int], set[date]] = {}
    for first, last in chunks(values, CHUNK):
        rows = normaliser.rows(values[first:last])
        upsert(conn, 'interval_energy', rows)
        count += len(rows)
        for key, days in touched_days(rows, tz).items():
            touched.setdefault(key, set()).update(days)
    return count, touched


def upsert(conn: Connection, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert `rows` (tuples in the table's column order above); an existing key takes the new values."""
    if not rows:
        return
    columns, key = _UPSERTS[table]
    names = ', '.join(columns)
    updates = ', '.join(f'{c} = excluded.{c}' for c in columns if c not in key)
    conflict = f'ON CONFLICT ({", ".join(key)}) DO UPDATE SET {updates}'
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        if conn.dialect.name == 'postgresql':
            _copy_upsert(cursor, table, names, conflict, rows)
            return
        statement = f'INSERT INTO {table} ({names}) VALUES ({", ".join(["?"] * len(columns))}) {conflict}'
        for first in range(0, len(rows), CHUNK):
            cursor.executemany(statement, rows[first : first + CHUNK])
    finally:
        cursor.close()


def _copy_upsert(cursor: Any, table: str, names: str, conflict: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """PostgreSQL: COPY into a temporary table, then one INSERT ... SELECT (row-by-row INSERTs are 5× slower)."""
    load = f'load_{table}'
    cursor.execute(f'CREATE TEMP TABLE IF NOT EXISTS {load} (LIKE {table}) ON COMMIT DROP')
    with cursor.copy(f'COPY {load} ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(f'INSERT INTO {table} ({names}) SELECT {names} FROM {load} {conflict}')
    cursor.execute(f'TRUNCATE {load}')  # a second upsert in the same transaction starts empty


def insert_events(conn: Connection, rows: Sequence[dict[str, Any]], *, now: datetime) -> int:
    """Meter events; one already stored (same meter, time, journal and code) is left as it is."""
    if not rows:
        return 0
    dialect = postgresql if conn.dialect.name == 'postgresql' else sqlite
    table = MeterEvent.__table__  # type: ignore[attr-defined]
    statement = dialect.insert(table).on_conflict_do_nothing(index_elements=['meter_id', 'at', 'journal', 'code'])
    conn.execute(statement, [{**row, 'imported_at': now} for row in rows])
    return len(rows)
