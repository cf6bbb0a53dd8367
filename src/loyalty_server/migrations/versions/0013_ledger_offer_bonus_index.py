"""a partial index on the ledger's offer bonus lines by date (the owner's report)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ONLY_BONUS_LINES = sa.text("reason = 'offer_bonus'")


def upgrade() -> None:
    op.create_index(
        "ix_ledger_offer_bonus",
        "ledger_entries",
        ["created_at"],
        sqlite_where=ONLY_BONUS_LINES,
        postgresql_where=ONLY_BONUS_LINES,
    )


def downgrade() -> None:
    op.drop_index("ix_ledger_offer_bonus", table_name="ledger_entries")
