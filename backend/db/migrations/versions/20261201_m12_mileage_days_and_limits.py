"""mileage: driving authorisations limited to places

Revision ID: c12d4a7e9b31
Revises: f0c1a7e5b3d9
Create Date: 2026-12-01 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = 'c12d4a7e9b31'
down_revision: str | None = "f0c1a7e5b3d9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('mileage_authorisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workplaces', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), server_default='[]', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('mileage_authorisation', schema=None) as batch_op:
        batch_op.drop_column('workplaces')
