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
    # Plain ALTER TABLE on both databases (SQLite adds and, since 3.35, drops a column in
    # place): a batch copy of `members` would fail on the tables that refer to it.
    op.add_column(
        "members", sa.Column("points_open", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "members",
        sa.Column("qualifying_total", sa.Integer(), server_default="0", nullable=False),
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
    op.drop_column("members", "qualifying_total")
    op.drop_column("members", "points_open")
