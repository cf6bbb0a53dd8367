"""sign-in limits: counters per requester network, per e-mail or phone, and overall

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_limits",
        sa.Column("key", sa.String(length=48), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("sign_in_limits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_in_limits_window_start"), ["window_start"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_in_limits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_limits_window_start"))
    op.drop_table("sign_in_limits")
