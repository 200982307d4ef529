"""The operator's console: a search form of users' names, deletion at a resident's request, audit targets.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user') as batch:
        batch.add_column(
            sa.Column('name_search', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default='')
        )
        batch.add_column(sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.create_index(batch.f('ix_user_name_search'), ['name_search'], unique=False)
    with op.batch_alter_table('audit_log') as batch:
        batch.add_column(
            sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default='')
        )
        batch.create_index(batch.f('ix_audit_log_target'), ['target'], unique=False)
    connection = op.get_bind()
    users = connection.execute(sa.text('SELECT id, full_name FROM "user"')).all()
    for user_id, name in users:  # the same form as models.identity.name_search_key
        key = ' '.join((name or '').split()).lower().replace('ё', 'е')[:200]
        connection.execute(sa.text('UPDATE "user" SET name_search = :k WHERE id = :i'), {'k': key, 'i': user_id})


def downgrade() -> None:
    with op.batch_alter_table('audit_log') as batch:
        batch.drop_index(batch.f('ix_audit_log_target'))
        batch.drop_column('target')
    with op.batch_alter_table('user') as batch:
        batch.drop_index(batch.f('ix_user_name_search'))
        batch.drop_column('deleted_at')
        batch.drop_column('name_search')
