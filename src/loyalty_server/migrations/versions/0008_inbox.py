"""inbox: read and dismissed state per message, reminder e-mails claimed once, the birthday
voucher's year, the member's reminder opt-out, and feedback answers

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_birthday_voucher_year", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("email_reminders", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.create_table(
        "inbox_states",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("message_id", sa.String(length=100), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("member_id", "message_id"),
    )
    op.create_table(
        "reminder_sends",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("message_id", sa.String(length=100), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("member_id", "message_id"),
    )

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("purchase_id", sa.Integer(), nullable=False),
        sa.Column("store", sa.String(length=100), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.ForeignKeyConstraint(["purchase_id"], ["ledger_entries.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "purchase_id"),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_answered_at"), ["answered_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_answered_at"))
    op.drop_table("feedback")
    op.drop_table("reminder_sends")
    op.drop_table("inbox_states")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("email_reminders")
        batch_op.drop_column("last_birthday_voucher_year")
