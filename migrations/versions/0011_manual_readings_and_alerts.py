"""Manual readings (B7) and email alerts (B5): how each meter is read, the registers residents submit inside
the window, residents' alert choices and the causes already alerted; the comparison with similar homes (B11); the utility's notices for addresses (B12).

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0011'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('meter') as batch:
        batch.add_column(
            sa.Column(
                'reading_mode', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False, server_default='remote'
            )
        )
    op.create_table(
        'manual_reading',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meter_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('zone', sa.Integer(), nullable=False),
        sa.Column('wh', sa.BigInteger(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['meter_id'], ['meter.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('meter_id', 'month', 'zone'),
    )
    op.create_index(op.f('ix_manual_reading_meter_id'), 'manual_reading', ['meter_id'], unique=False)
    op.create_index(op.f('ix_manual_reading_month'), 'manual_reading', ['month'], unique=False)
    op.create_table(
        'alert_preference',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('meter_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('threshold_kwh', sa.Integer(), nullable=True),
        sa.Column('threshold_rub', sa.Numeric(12, 2), nullable=True),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'kind', 'meter_id'),
    )
    op.create_table(
        'alert_sent',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'key'),
    )


    op.create_table(
        'home_comparison',
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column('wh', sa.BigInteger(), nullable=False),
        sa.Column('homes', sa.Integer(), nullable=False),
        sa.Column('median_wh', sa.BigInteger(), nullable=False),
        sa.Column('efficient_wh', sa.BigInteger(), nullable=False),
        sa.Column('computed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('account_id'),
    )

    op.create_table(
        'notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column('targets', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column('valid_from', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('valid_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_notice_valid_from'), 'notice', ['valid_from'], unique=False)
    op.create_index(op.f('ix_notice_valid_until'), 'notice', ['valid_until'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_notice_valid_until'), table_name='notice')
    op.drop_index(op.f('ix_notice_valid_from'), table_name='notice')
    op.drop_table('notice')
    op.drop_table('home_comparison')
    op.drop_table('alert_sent')
    op.drop_table('alert_preference')
    op.drop_index(op.f('ix_manual_reading_month'), table_name='manual_reading')
    op.drop_index(op.f('ix_manual_reading_meter_id'), table_name='manual_reading')
    op.drop_table('manual_reading')
    with op.batch_alter_table('meter') as batch:
        batch.drop_column('reading_mode')
