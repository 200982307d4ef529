"""PostgreSQL only: the interval table is partitioned by month of `start`, and partitions are made ahead.

Every month of interval data lives in its own partition `interval_energy_YYYY_MM`; values outside every
partition (an old file, a clock far off) land in `interval_energy_default` and are moved into a partition of
their own by the next run of `ensure`. An old month is archived by detaching it (see the README). SQLite keeps
one table, so all of this does nothing there.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)
AHEAD = 3  # months of partitions made ahead of the current one
SCHEMA = 'interval_partitions'  # apart from the tables of the models (migration 0009)
DEFAULT = f'{SCHEMA}.interval_energy_default'


def ensure(conn: Connection, *, today: date, ahead: int = AHEAD) -> list[str]:
    """Partitions for this month and `ahead` more, and for every month held in the default partition.

    Returns the partitions created. Months are UTC months (partition bounds need no zone).
    """
    if conn.dialect.name != 'postgresql' or not _partitioned(conn):
        return []
    months = {_add(today.year, today.month, n) for n in range(ahead + 1)}
    lo, hi = conn.execute(text(f'SELECT MIN(start), MAX(start) FROM {DEFAULT}')).one()
    if lo is not None:
        first, last = _month_of(int(lo)), _month_of(int(hi))
        while first <= last:
            months.add(first)
            first = _add(first[0], first[1], 1)
    existing = set(partitions(conn))
    created = []
    for year, month in sorted(months):
        name = f'{SCHEMA}.interval_energy_{year:04d}_{month:02d}'
        if name not in existing:
            _create(conn, name, year, month)
            created.append(name)
    return created


def partitions(conn: Connection) -> list[str]:
    """The monthly partitions attached to the interval table, oldest first (the default one left out)."""
    rows = conn.execute(
        text(
            'SELECT n.nspname, c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid '
            'JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class p ON p.oid = i.inhparent '
            "WHERE p.relname = 'interval_energy' ORDER BY 2"
        )
    )
    names = [f'{schema}.{name}' for schema, name in rows]
    return [name for name in names if name != DEFAULT]


def _create(conn: Connection, name: str, year: int, month: int) -> None:
    """A partition for one month; rows of that month already in the default partition move into it."""
    lo, hi = _epoch(year, month), _epoch(*_add(year, month, 1))
    conn.execute(text(f'CREATE TABLE {name} (LIKE interval_energy INCLUDING DEFAULTS)'))
    conn.execute(
        text(
            f'WITH moved AS (DELETE FROM {DEFAULT} WHERE start >= :lo AND start < :hi RETURNING *) '
            f'INSERT INTO {name} SELECT * FROM moved'
        ),
        {'lo': lo, 'hi': hi},
    )
    conn.execute(text(f'ALTER TABLE interval_energy ATTACH PARTITION {name} FOR VALUES FROM ({lo}) TO ({hi})'))
    log.info('interval partition %s created', name)


def _partitioned(conn: Connection) -> bool:
    return bool(
        conn.execute(
            text(
                'SELECT 1 FROM pg_partitioned_table t JOIN pg_class c ON c.oid = t.partrelid '
                "WHERE c.relname = 'interval_energy'"
            )
        ).first()
    )


def _month_of(instant: int) -> tuple[int, int]:
    moment = datetime.fromtimestamp(instant, UTC)
    return moment.year, moment.month


def _add(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _epoch(year: int, month: int) -> int:
    return int(datetime(year, month, 1, tzinfo=UTC).timestamp())
