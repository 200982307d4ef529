"""Each user keeps a colour theme: light, dark, or the device's («system»).

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0010'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user') as batch:
        batch.add_column(
            sa.Column('theme', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False, server_default='system')
        )


def downgrade() -> None:
    with op.batch_alter_table('user') as batch:
        batch.drop_column('theme')
