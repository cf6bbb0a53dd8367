"""member_offers, member_badges, member_categories: offers a member added to the card and
the bonuses each has paid; challenges reached; categories bought from

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_offers",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("offer_id", sa.String(length=40), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("member_id", "offer_id"),
    )
    op.create_table(
        "member_badges",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("challenge_id", sa.String(length=40), nullable=False),
        sa.Column("earned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("member_id", "challenge_id"),
    )
    op.create_table(
        "member_categories",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("member_id", "category"),
    )


def downgrade() -> None:
    op.drop_table("member_categories")
    op.drop_table("member_badges")
    op.drop_table("member_offers")
