"""running totals of the ledger on the member row (points_open, qualifying_total), backfilled

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 14:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("points_open", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("qualifying_total", sa.Integer(), server_default="0", nullable=False)
        )
    # The members that exist get the totals of their ledger so far (rules.totals).
    op.execute(
        "UPDATE members SET"
        " points_open = (SELECT COALESCE(SUM(e.remaining), 0) FROM ledger_entries e"
        " WHERE e.member_id = members.id),"
        " qualifying_total = (SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e"
        " WHERE e.member_id = members.id AND e.qualifying AND e.voided_at IS NULL)"
    )


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("qualifying_total")
        batch_op.drop_column("points_open")
