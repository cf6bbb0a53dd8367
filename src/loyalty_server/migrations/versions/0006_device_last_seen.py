"""devices: when each was last seen (sign-in or token refresh)

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 10:00:00

0005 is another branch's; whichever merges second points its down_revision at the other.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("last_seen_at")
