"""accounts: the unit an account belongs to, and everyday words for finding accounts (issue 12, item 18)

Revision ID: b12f0e4a7c31
Revises: c12d4a7e9b31
Create Date: 2026-12-01 04:30:00
"""

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "b12f0e4a7c31"
down_revision: str | None = "c12d4a7e9b31"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_account_unit_id_org_unit"), "org_unit", ["unit_id"], ["id"])
    op.create_table(
        "account_word",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(length=60), nullable=False),
        sa.Column("means", sa.String(length=300), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"], ["municipality.id"], name=op.f("fk_account_word_municipality_id_municipality")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_word")),
        sa.UniqueConstraint("municipality_id", "word", name=op.f("uq_account_word_municipality_id_word")),
    )
    with op.batch_alter_table("account_word", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_word_municipality_id"), ["municipality_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("account_word", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_word_municipality_id"))
    op.drop_table("account_word")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_account_unit_id_org_unit"), type_="foreignkey")
        batch_op.drop_column("unit_id")
