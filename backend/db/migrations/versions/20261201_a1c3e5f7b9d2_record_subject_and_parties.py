"""records placed on their subject: author, parties

Revision ID: a1c3e5f7b9d2
Revises: 7888abe71c11
Create Date: 2026-12-01 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = 'a1c3e5f7b9d2'
down_revision: str | None = '7888abe71c11'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sync_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('author_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('parties', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), server_default='[]', nullable=False))
        batch_op.alter_column('owner_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_sync_record_author_id'), ['author_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_sync_record_author_id_app_user'), 'app_user', ['author_id'], ['id'])
    # Until now every record was about its author.
    op.execute("UPDATE sync_record SET author_id = owner_id")
    op.create_table('sync_record_party',
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['sync_record.id'], name=op.f('fk_sync_record_party_record_id_sync_record')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_sync_record_party_user_id_app_user')),
    sa.PrimaryKeyConstraint('record_id', 'user_id', 'part', name=op.f('pk_sync_record_party'))
    )
    with op.batch_alter_table('sync_record_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_record_party_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sync_record_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_record_party_user_id'))
    op.drop_table('sync_record_party')
    with op.batch_alter_table('sync_record', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sync_record_author_id_app_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_sync_record_author_id'))
        batch_op.alter_column('owner_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('parties')
        batch_op.drop_column('author_id')
