"""PostgreSQL: the interval table partitioned by month, compact column types for intervals and roll-ups.

SQLite is left exactly as it is (one WITHOUT ROWID table is already compact there).

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from alembic import op
from sqlalchemy import text

revision: str = '0009'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Columns in the order that packs a row without alignment padding: 8-byte, then 4-byte, then 2-byte values.
INTERVALS = 'start BIGINT NOT NULL, meter_id INTEGER NOT NULL, wh INTEGER NOT NULL, energy SMALLINT NOT NULL, ' \
    'flags SMALLINT NOT NULL'  # fmt: skip
ROLLUPS = (
    'start BIGINT NOT NULL, wh BIGINT NOT NULL, meter_id INTEGER NOT NULL, present INTEGER NOT NULL, '
    'estimated INTEGER NOT NULL, energy SMALLINT NOT NULL, grain SMALLINT NOT NULL, zone SMALLINT NOT NULL'
)
ROLLUP_COLUMNS = 'start, wh, meter_id, present, estimated, energy, grain, zone'
AHEAD = 3
SCHEMA = 'interval_partitions'  # partitions apart from the tables of the models


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f'CREATE TABLE interval_energy_new ({INTERVALS}, '
               'CONSTRAINT interval_energy_new_pkey PRIMARY KEY (meter_id, energy, start)) PARTITION BY RANGE (start)')  # fmt: skip
    op.execute(f'CREATE SCHEMA IF NOT EXISTS {SCHEMA}')
    op.execute(f'CREATE TABLE {SCHEMA}.interval_energy_default PARTITION OF interval_energy_new DEFAULT')
    for year, month in _months():
        lo, hi = _epoch(year, month), _epoch(*_next(year, month))
        op.execute(
            f'CREATE TABLE {SCHEMA}.interval_energy_{year:04d}_{month:02d} PARTITION OF interval_energy_new '
            f'FOR VALUES FROM ({lo}) TO ({hi})'
        )
    op.execute(
        'INSERT INTO interval_energy_new (start, meter_id, wh, energy, flags) '
        'SELECT start, meter_id, wh, energy, flags FROM interval_energy ORDER BY meter_id, energy, start'
    )
    op.execute('DROP TABLE interval_energy')
    op.execute('ALTER TABLE interval_energy_new RENAME TO interval_energy')
    op.execute('ALTER TABLE interval_energy RENAME CONSTRAINT interval_energy_new_pkey TO interval_energy_pkey')
    op.execute(f'CREATE TABLE energy_rollup_new ({ROLLUPS}, '
               'CONSTRAINT energy_rollup_new_pkey PRIMARY KEY (meter_id, energy, grain, start, zone))')  # fmt: skip
    op.execute(
        f'INSERT INTO energy_rollup_new ({ROLLUP_COLUMNS}) SELECT {ROLLUP_COLUMNS} FROM energy_rollup '
        'ORDER BY meter_id, energy, grain, start, zone'
    )
    op.execute('DROP TABLE energy_rollup')
    op.execute('ALTER TABLE energy_rollup_new RENAME TO energy_rollup')
    op.execute('ALTER TABLE energy_rollup RENAME CONSTRAINT energy_rollup_new_pkey TO energy_rollup_pkey')


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(
        'CREATE TABLE interval_energy_old (meter_id INTEGER NOT NULL, energy INTEGER NOT NULL, start BIGINT NOT NULL, '
        'wh INTEGER NOT NULL, flags INTEGER NOT NULL, CONSTRAINT interval_energy_old_pkey PRIMARY KEY (meter_id, energy, start))'
    )
    op.execute('INSERT INTO interval_energy_old SELECT meter_id, energy, start, wh, flags FROM interval_energy')
    op.execute('DROP TABLE interval_energy CASCADE')
    op.execute(f'DROP SCHEMA IF EXISTS {SCHEMA} CASCADE')
    op.execute('ALTER TABLE interval_energy_old RENAME TO interval_energy')
    op.execute('ALTER TABLE interval_energy RENAME CONSTRAINT interval_energy_old_pkey TO interval_energy_pkey')
    for column in ('energy', 'grain', 'zone'):
        op.execute(f'ALTER TABLE energy_rollup ALTER COLUMN {column} TYPE INTEGER')


def _months() -> list[tuple[int, int]]:
    """Every UTC month of the stored intervals, and the current month with AHEAD more."""
    lo, hi = op.get_bind().execute(text('SELECT MIN(start), MAX(start) FROM interval_energy')).one()
    now = datetime.now(UTC)
    months = {(now.year, now.month)}
    for _ in range(AHEAD):
        months.add(_next(*max(months)))
    if lo is not None:
        first, last = _month(int(lo)), _month(int(hi))
        while first <= last:
            months.add(first)
            first = _next(*first)
    return sorted(months)


def _month(instant: int) -> tuple[int, int]:
    moment = datetime.fromtimestamp(instant, UTC)
    return moment.year, moment.month


def _next(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _epoch(year: int, month: int) -> int:
    return int(datetime(year, month, 1, tzinfo=UTC).timestamp())
