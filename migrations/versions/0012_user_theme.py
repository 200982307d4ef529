"""Each user keeps a colour theme: light, dark, or the device's («system»); information pages get an optional
English version (title and text).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user') as batch:
        batch.add_column(
            sa.Column('theme', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False, server_default='system')
        )
    with op.batch_alter_table('info_page') as batch:
        batch.add_column(
            sa.Column('title_en', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default='')
        )
        batch.add_column(sa.Column('body_md_en', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('info_page') as batch:
        batch.drop_column('body_md_en')
        batch.drop_column('title_en')
    with op.batch_alter_table('user') as batch:
        batch.drop_column('theme')
