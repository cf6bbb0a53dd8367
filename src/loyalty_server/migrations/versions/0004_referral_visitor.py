"""referral visits: one per visitor and window

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("referral_visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visitor", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(
            "uq_referral_visits_code_visitor", ["referral_code", "visitor"]
        )


def downgrade() -> None:
    with op.batch_alter_table("referral_visits", schema=None) as batch_op:
        batch_op.drop_constraint("uq_referral_visits_code_visitor", type_="unique")
        batch_op.drop_column("visitor")
