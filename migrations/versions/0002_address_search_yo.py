"""Registration suggestions find «ё» addresses when «е» is typed: the stored search form spells «ё» as «е».

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE account SET address_search = replace(address_search, 'ё', 'е')")


def downgrade() -> None:
    pass  # the search form with «е» serves both spellings
