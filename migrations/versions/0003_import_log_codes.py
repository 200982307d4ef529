"""The import log keeps each rejection and its warnings as codes with parameters too, shown in the reader's language.

Rows written before keep only their English text, which the pages show as it is.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('import_log') as batch:
        batch.add_column(sa.Column('message_code', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('warning_codes', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('import_log') as batch:
        batch.drop_column('warning_codes')
        batch.drop_column('message_code')
