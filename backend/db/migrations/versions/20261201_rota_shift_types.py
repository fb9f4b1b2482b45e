"""shift planning: each unit's shift types and working-time rules

Revision ID: 20261201_rota
Revises: b4d6f8a0c2e1
Create Date: 2026-12-01 04:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
import advanced_alchemy.types


revision: str = '20261201_rota'
down_revision: str | None = "b4d6f8a0c2e1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('shift_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('start', sa.String(length=5), nullable=False),
    sa.Column('end', sa.String(length=5), nullable=False),
    sa.Column('break_minutes', sa.Integer(), nullable=False),
    sa.Column('competences', sa.JSON(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_shift_type_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_shift_type_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_type')),
    sa.UniqueConstraint('unit_id', 'name', name=op.f('uq_shift_type_unit_id_name'))
    )
    with op.batch_alter_table('shift_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_type_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_type_unit_id'), ['unit_id'], unique=False)

    op.create_table('shift_unit_rules',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('reduced_rest_minutes', sa.Integer(), nullable=True),
    sa.Column('reduced_per_week', sa.Integer(), nullable=False),
    sa.Column('weekly_rest_minutes', sa.Integer(), nullable=False),
    sa.Column('weekly_window_days', sa.Integer(), nullable=False),
    sa.Column('norm_weeks', sa.Integer(), nullable=False),
    sa.Column('norm_anchor', sa.Date(), nullable=False),
    sa.Column('flex_band_minutes', sa.Integer(), nullable=False),
    sa.Column('swaps_approve_themselves', sa.Boolean(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_shift_unit_rules_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_shift_unit_rules_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_shift_unit_rules'))
    )
    with op.batch_alter_table('shift_unit_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_unit_rules_municipality_id'), ['municipality_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('shift_unit_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_unit_rules_municipality_id'))
    op.drop_table('shift_unit_rules')
    with op.batch_alter_table('shift_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_type_unit_id'))
        batch_op.drop_index(batch_op.f('ix_shift_type_municipality_id'))
    op.drop_table('shift_type')
