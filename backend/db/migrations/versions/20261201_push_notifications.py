"""push notifications: subscriptions, choices, digests, reminder days

Revision ID: b7d2f4a6c8e0
Revises: 1f63680e73cd
Create Date: 2026-12-01 04:16:08

Web push (issue 16): each device's subscription, each person's choices, messages kept for a
digest, and a municipality's own reminder days.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
import advanced_alchemy.types
from sqlalchemy.dialects import postgresql

revision: str = 'b7d2f4a6c8e0'
down_revision: str | None = "1f63680e73cd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notify_reminder_days',
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('employees_day', sa.Integer(), nullable=True),
    sa.Column('leaders_day', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_notify_reminder_days_municipality_id_municipality')),
    sa.PrimaryKeyConstraint('municipality_id', name=op.f('pk_notify_reminder_days'))
    )
    op.create_table('notify_pending',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_notify_pending_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_pending'))
    )
    with op.batch_alter_table('notify_pending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notify_pending_user_id'), ['user_id'], unique=False)

    op.create_table('notify_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('off', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('digest', sa.Boolean(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_notify_preference_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_notify_preference_user_id_app_user')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notify_preference'))
    )
    with op.batch_alter_table('notify_preference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notify_preference_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('push_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sa.String(length=1000), nullable=False),
    sa.Column('p256dh', sa.String(length=200), nullable=False),
    sa.Column('auth', sa.String(length=100), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('seen_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_push_subscription_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_push_subscription_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscription')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscription_endpoint'))
    )
    with op.batch_alter_table('push_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_subscription_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_subscription_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('push_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_subscription_user_id'))
        batch_op.drop_index(batch_op.f('ix_push_subscription_municipality_id'))

    op.drop_table('push_subscription')
    with op.batch_alter_table('notify_preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notify_preference_municipality_id'))

    op.drop_table('notify_preference')
    with op.batch_alter_table('notify_pending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notify_pending_user_id'))

    op.drop_table('notify_pending')
    op.drop_table('notify_reminder_days')
