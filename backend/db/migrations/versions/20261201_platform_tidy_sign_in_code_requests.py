"""sign-in code requests counted per address, invited or not (the per-address limit)

Revision ID: platform_tidy_code_requests
Revises: shifts_rules_corrections
Create Date: 2026-12-01 12:30:00
"""

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "platform_tidy_code_requests"
down_revision: str | None = "shifts_rules_corrections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_code_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_code_request")),
    )
    with op.batch_alter_table("sign_in_code_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_code_request_address_key"), ["address_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_sign_in_code_request_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sign_in_code_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_code_request_created_at"))
        batch_op.drop_index(batch_op.f("ix_sign_in_code_request_address_key"))
    op.drop_table("sign_in_code_request")
