"""The support desk: topics the utility edits, assignment, resolution, internal notes and attachments.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# English message ids, shown translated; a title the desk types itself is shown as typed.
DEFAULT_TOPICS = (
    'Meter readings',
    'Charges',
    'Meter',
    'Verification and replacement',
    'Disconnection and reconnection',
    'Online account',
    'Other',
)


def upgrade() -> None:
    topic = op.create_table(
        'support_topic',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.bulk_insert(topic, [{'title': t, 'position': n, 'active': True} for n, t in enumerate(DEFAULT_TOPICS)])
    with op.batch_alter_table('support_request') as batch:
        batch.add_column(sa.Column('topic_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('assigned_to_id', sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column('resolution', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False, server_default='')
        )
        batch.add_column(sa.Column('seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.create_foreign_key('fk_support_request_topic_id', 'support_topic', ['topic_id'], ['id'])
        batch.create_foreign_key('fk_support_request_assigned_to_id', 'user', ['assigned_to_id'], ['id'])
    with op.batch_alter_table('support_message') as batch:
        batch.add_column(sa.Column('internal', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        'support_attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=True),
        sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('stored_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['support_message.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['request_id'], ['support_request.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('stored_name'),
    )
    with op.batch_alter_table('support_attachment') as batch:
        batch.create_index(batch.f('ix_support_attachment_request_id'), ['request_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('support_attachment') as batch:
        batch.drop_index(batch.f('ix_support_attachment_request_id'))
    op.drop_table('support_attachment')
    with op.batch_alter_table('support_message') as batch:
        batch.drop_column('internal')
    with op.batch_alter_table('support_request') as batch:
        batch.drop_constraint('fk_support_request_assigned_to_id', type_='foreignkey')
        batch.drop_constraint('fk_support_request_topic_id', type_='foreignkey')
        batch.drop_column('seen_at')
        batch.drop_column('resolution')
        batch.drop_column('assigned_to_id')
        batch.drop_column('topic_id')
    op.drop_table('support_topic')
