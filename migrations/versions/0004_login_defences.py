"""Captcha answers are kept as keyed hashes; a used recovery password is marked spent so it never logs in again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute('DELETE FROM captcha_challenge')  # short-lived; a visitor with an open form gets a new picture
    with op.batch_alter_table('captcha_challenge') as batch:
        batch.drop_column('answer')
        batch.add_column(sa.Column('answer_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False))
    with op.batch_alter_table('user') as batch:
        batch.add_column(sa.Column('password_spent', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('user') as batch:
        batch.drop_column('password_spent')
    op.execute('DELETE FROM captcha_challenge')
    with op.batch_alter_table('captcha_challenge') as batch:
        batch.drop_column('answer_hash')
        batch.add_column(sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False))
