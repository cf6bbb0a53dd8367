"""The registry of problem types: every refusal the server sends, and the few the app makes.

A problem's `type` is ``/problems/<slug>`` (RFC 9457). The server may raise only slugs listed
here, with the status listed here; both UIs translate the slug (``err.<slug>`` in every
catalogue) and never show the server's English `detail` to a member or a cashier.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PROBLEMS", "TYPE_PREFIX", "ProblemType", "problem_type", "slug_of"]

TYPE_PREFIX = "/problems/"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    #: The HTTP status the server answers with; None for a problem only the app makes.
    status: int | None
    #: One line for API users and logs (the UIs use their catalogues).
    meaning: str
    #: True for the catch-all whose status is whatever the HTTP layer refused with.
    any_status: bool = False

    @property
    def type(self) -> str:
        return TYPE_PREFIX + self.slug


_ALL = (
    # Generic HTTP refusals (also what the app assumes when a 4xx carries no problem body).
    ProblemType("bad-request", 400, "The request could not be read."),
    ProblemType("unauthorized", 401, "Sign-in required, or the session has ended."),
    ProblemType("forbidden", 403, "The caller may not do this."),
    ProblemType("not-found", 404, "No such resource."),
    ProblemType("method-not-allowed", 405, "That method is not allowed here."),
    ProblemType("not-acceptable", 406, "No acceptable representation."),
    ProblemType("conflict", 409, "The request conflicts with the current state."),
    ProblemType("payload-too-large", 413, "The request body is too large."),
    ProblemType("unsupported-media-type", 415, "The request body is not JSON."),
    ProblemType("validation", 422, "A field is missing or has the wrong form."),
    ProblemType("too-many-requests", 429, "Too many requests; wait and retry."),
    ProblemType("http-error", 400, "Another HTTP refusal: the status says which.", True),
    ProblemType("internal", 500, "The server failed; try again later."),
    # Idempotency.
    ProblemType("idempotency-key-required", 400, "Mutating calls need an Idempotency-Key."),
    ProblemType("idempotency-key-reused", 422, "That Idempotency-Key came with another body."),
    # Sign-in and sessions.
    ProblemType("identity-required", 422, "An e-mail address or a phone number is needed."),
    ProblemType("invalid-email", 422, "The e-mail address is not valid."),
    ProblemType("invalid-phone", 422, "The phone number is not valid."),
    ProblemType("too-many-code-requests", 429, "Too many sign-in codes asked for; wait."),
    ProblemType("mail-unavailable", 503, "The sign-in code could not be e-mailed."),
    ProblemType("delivery-unavailable", 503, "The sign-in code could not be delivered."),
    ProblemType("invalid-code", 401, "The sign-in code is wrong or has expired."),
    ProblemType("too-many-sign-in-attempts", 429, "Too many sign-in codes tried; wait."),
    ProblemType("invalid-refresh-token", 401, "The session has ended; sign in again."),
    ProblemType("session-expired", 401, "The session reached its maximum age; sign in again."),
    ProblemType("device-not-found", 404, "The member has no such signed-in device."),
    ProblemType("no-demo-member", 409, "Demo mode has no demo member yet."),
    # The member's own data.
    ProblemType("member-not-found", 404, "No such member."),
    ProblemType("birthday-locked", 409, "The birthday was already set."),
    ProblemType("invalid-birthday", 422, "The birthday is in the future or before 1900."),
    ProblemType("invalid-cursor", 422, "The paging cursor is not valid."),
    ProblemType("invalid-timestamp", 422, "A timestamp needs a time zone."),
    # Rewards and vouchers.
    ProblemType("reward-not-found", 404, "No such reward."),
    ProblemType("reward-expired", 409, "The reward is no longer offered."),
    ProblemType("tier-too-low", 403, "The reward needs a higher tier."),
    ProblemType("out-of-stock", 409, "The reward is sold out."),
    ProblemType("insufficient-points", 409, "Not enough points."),
    ProblemType("offer-not-found", 404, "The member has no such offer now."),
    # Referral.
    ProblemType("unknown-referral-code", 422, "No member has that referral code."),
    ProblemType("own-referral-code", 422, "A member cannot use their own referral code."),
    ProblemType("referral-already-claimed", 409, "A referral code was already claimed."),
    ProblemType("referral-too-late", 409, "Referral codes count only before a first purchase."),
    # The till: staff credentials, scans, credits, vouchers, joins.
    ProblemType("staff-credential-required", 401, "A staff credential is needed."),
    ProblemType("staff-credential-invalid", 403, "The staff credential is not valid."),
    ProblemType("not-our-code", 422, "The scanned code is not this programme's."),
    ProblemType("bad-check-digit", 422, "The member number's check digit is wrong."),
    ProblemType("unreadable-code", 422, "The scanned code cannot be read."),
    ProblemType("not-a-member-number", 422, "That is not a member number."),
    ProblemType("scan-time-invalid", 422, "The offline scan time is missing a zone or ahead."),
    ProblemType("unknown-card", 422, "No card has that id."),
    ProblemType("card-revoked", 422, "The card was signed out."),
    ProblemType("token-expired", 422, "The card code (or the offline scan) is too old."),
    ProblemType("token-not-yet-valid", 422, "The card code is from the future."),
    ProblemType("token-invalid", 422, "The card code is not valid."),
    ProblemType("token-replayed", 409, "The card code was already used."),
    ProblemType("unknown-member", 404, "No member has that number."),
    ProblemType("voucher-not-card", 422, "A voucher was scanned where a card is needed."),
    ProblemType("card-required", 422, "A card scan is needed for this."),
    ProblemType("invalid-amount", 422, "The purchase amount is not valid."),
    ProblemType("credit-not-found", 404, "No such purchase credit."),
    ProblemType("already-voided", 409, "The purchase credit was already voided."),
    ProblemType("points-already-spent", 409, "The credit's points were already spent."),
    ProblemType("void-not-allowed", 403, "Only the store that booked a credit may void it."),
    ProblemType("void-too-late", 409, "The time to void this credit has passed."),
    ProblemType("void-voucher-used", 409, "The reward this credit's stamp completed was used."),
    ProblemType("invalid-voucher-code", 422, "That is not a voucher code."),
    ProblemType("unknown-voucher", 404, "No voucher has that code."),
    ProblemType("voucher-used", 409, "The voucher was already used."),
    ProblemType("voucher-expired", 409, "The voucher has expired."),
    ProblemType("already-member", 409, "That e-mail or phone is already a member."),
    # Made by the app, never sent by the server.
    ProblemType("unreachable", None, "The server could not be reached."),
    ProblemType("server-error", None, "The server failed or answered outside the contract."),
    ProblemType("unknown-intent", None, "This app version cannot send that queued intent."),
)

PROBLEMS: dict[str, ProblemType] = {p.slug: p for p in _ALL}


def slug_of(problem_type: str) -> str:
    """The last path part of a problem `type`: "/problems/insufficient-points" → that slug."""
    return problem_type.rstrip("/").rsplit("/", 1)[-1]


def problem_type(slug: str) -> ProblemType:
    """The registered problem type for `slug`; KeyError for one nobody registered."""
    return PROBLEMS[slug]
