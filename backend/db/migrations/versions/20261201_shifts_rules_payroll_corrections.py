"""payroll: corrections after an export (the payroll line's correction round)

Revision ID: shifts_rules_corrections
Revises: facilitya_photos1
Create Date: 2026-12-01 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "shifts_rules_corrections"
down_revision: str | None = "facilitya_photos1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payroll_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("correction", sa.Integer(), server_default="0", nullable=False))
        batch_op.drop_constraint(batch_op.f("uq_payroll_line_source_type_source_id_wage_key"), type_="unique")
        batch_op.create_unique_constraint(
            "uq_payroll_line_source_round", ["source_type", "source_id", "wage_key", "correction", "user_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("payroll_line", schema=None) as batch_op:
        batch_op.drop_constraint("uq_payroll_line_source_round", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_payroll_line_source_type_source_id_wage_key"), ["source_type", "source_id", "wage_key"]
        )
        batch_op.drop_column("correction")
