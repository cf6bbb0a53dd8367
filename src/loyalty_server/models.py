"""The server's tables. Points live in an append-only ledger; each positive entry is a lot
whose `remaining` is spent oldest-expiry first and expired when its date passes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001, ANN201
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):  # noqa: ANN001, ANN201
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Member(Base):
    __tablename__ = "members"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(12), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    birthday: Mapped[date | None] = mapped_column(Date)
    # When the member gave the birthday (None: before this was recorded).
    birthday_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    tier_code: Mapped[str] = mapped_column(String(32))
    requalify_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    punch_stamps: Mapped[int] = mapped_column(Integer, default=0)
    last_birthday_year: Mapped[int | None] = mapped_column(Integer)
    # The year of the last birthday voucher (the programme's [birthday] reward_id).
    last_birthday_voucher_year: Mapped[int | None] = mapped_column(Integer)
    # Reminder e-mails (points or a voucher about to expire); the member turns them off.
    email_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    referral_code: Mapped[str] = mapped_column(String(16), unique=True)
    referred_by_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    referral_rewarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_purchase_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Running totals of the ledger (rules.totals), kept in the same transaction as every
    # ledger write (services.points): the sum of the lots' remaining points, and the
    # qualifying points ever booked and not voided. `loyalty-server check-ledger` compares
    # them with a full recomputation.
    points_open: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    qualifying_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last sign-in or token refresh (None: before this was recorded; use created_at).
    # Written on refresh only, about once per access-token lifetime, never per request.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CardCredential(Base):
    __tablename__ = "card_credentials"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), unique=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CardStepUse(Base):
    """A card step accepted once: by a scan, then at most one credit by the same staff."""

    __tablename__ = "card_step_uses"

    card_id: Mapped[str] = mapped_column(ForeignKey("card_credentials.id"), primary_key=True)
    step: Mapped[int] = mapped_column(Integer, primary_key=True)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime())
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    credit_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))


class AuthToken(Base):
    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # access | refresh
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A refresh token that was rotated: the seed its successor pair was derived from
    # (services.tokens.successor_pair). Set: revoked_at is when it was rotated.
    grace_seed: Mapped[str | None] = mapped_column(String(32))
    # An access token: when it was first presented. A rotated refresh token whose successor
    # pair nobody has used yet may get that pair again (its reply may never have arrived).
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OneTimeCode(Base):
    __tablename__ = "one_time_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    identity: Mapped[str] = mapped_column(String(254), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SignInLimit(Base):
    """One counter of the sign-in limiter (services.sign_in_limits): per requester network, per
    e-mail or phone, or overall. Keys hold digests, never an address or an e-mail."""

    __tablename__ = "sign_in_limits"

    key: Mapped[str] = mapped_column(String(48), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    store: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_member_created", "member_id", "created_at", "id"),
        Index("ix_ledger_member_lots", "member_id", "remaining"),
        # The offers' bonus lines by date, for the owner's report (a few rows of the ledger:
        # a partial index costs other bookings nothing).
        Index(
            "ix_ledger_offer_bonus",
            "created_at",
            sqlite_where=text("reason = 'offer_bonus'"),
            postgresql_where=text("reason = 'offer_bonus'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    amount: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="{}")
    qualifying: Mapped[bool] = mapped_column(Boolean, default=False)
    remaining: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    purchase_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RewardState(Base):
    """Live state of a programme reward: remaining stock and when its content last changed."""

    __tablename__ = "reward_states"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    stock: Mapped[int | None] = mapped_column(Integer)
    configured_stock: Mapped[int | None] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Voucher(Base):
    __tablename__ = "vouchers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    reward_id: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # redeem | punch_card
    ledger_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_by_staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(128))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReferralVisit(Base):
    """A visitor of a referral link, once per de-duplication window (services.referral)."""

    __tablename__ = "referral_visits"
    __table_args__ = (
        UniqueConstraint("referral_code", "visitor", name="uq_referral_visits_code_visitor"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    referral_code: Mapped[str] = mapped_column(String(16), index=True)
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A digest of the visitor's network, the code and the window (None: before de-duplication).
    visitor: Mapped[str | None] = mapped_column(String(32))


class TierChange(Base):
    """A member's tier moving (up at a purchase, down at requalification, back at a void):
    the owner's report counts these; the member's tier itself lives on `members`."""

    __tablename__ = "tier_changes"
    __table_args__ = (Index("ix_tier_changes_changed_at", "changed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    from_code: Mapped[str] = mapped_column(String(32))
    to_code: Mapped[str] = mapped_column(String(32))


class AdminAction(Base):
    """One line of the admin audit trail: who changed what from the command line."""

    __tablename__ = "admin_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)


class InboxState(Base):
    """What the member did with one inbox message (rules.inbox ids): read, dismissed."""

    __tablename__ = "inbox_states"

    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Feedback(Base):
    """A member's answer to "how likely are you to recommend us?" (0-10, and a comment), or a
    dismissal (no score): asked once about one purchase, kept with its store and time."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("member_id", "purchase_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    purchase_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"))
    store: Mapped[str] = mapped_column(String(100), default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)


class ReminderSend(Base):
    """A reminder e-mail claimed before it is sent (`loyalty-server remind`): one row per
    member and event, so no run sends it twice; `sent_at` stays empty when the run died
    between the claim and the mail server's answer."""

    __tablename__ = "reminder_sends"

    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MemberOfferState(Base):
    """A member's state of one programme offer: added to the card, and bonuses it has paid
    (a void gives a use back). No row: neither."""

    __tablename__ = "member_offers"

    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    offer_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    uses: Mapped[int] = mapped_column(Integer, default=0)


class MemberBadge(Base):
    """A challenge a member reached: its badge, earned once (and its points, if any)."""

    __tablename__ = "member_badges"

    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    challenge_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    earned_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MemberCategory(Base):
    """A category a member has bought from (as the till named it), for "try N categories"."""

    __tablename__ = "member_categories"

    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())
