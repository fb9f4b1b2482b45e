"""facility: reporters' photos through the door, signed-in followers

Revision ID: facilitya_photos1
Revises: vikarlogin_invitations
Create Date: 2026-12-01 09:30:00
"""

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "facilitya_photos1"
down_revision: str | None = "vikarlogin_invitations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "facility_report_photo",
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("link_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "sha256", name=op.f("pk_facility_report_photo")),
    )
    op.create_table(
        "facility_follower",
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reporter", sa.Boolean(), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_facility_follower_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("record_id", "user_id", name=op.f("pk_facility_follower")),
    )
    with op.batch_alter_table("facility_follower", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_facility_follower_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("facility_follower", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_facility_follower_user_id"))
    op.drop_table("facility_follower")
    op.drop_table("facility_report_photo")
