"""/v1/me/inbox: the messages the programme sends the member, and marking them read or gone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from .. import schemas
from ..context import ServerContext
from ..deps import CtxDep, IdemKey, MemberAuth, etag_response, json_result
from ..formats import INBOX_MESSAGE_ID
from ..models import Member
from ..services import feedback, inbox, points
from .common import NOT_MODIFIED, PROBLEMS
from .member import _settled_member

router = APIRouter(prefix="/v1/me/inbox", tags=["member"], responses=PROBLEMS)
feedback_router = APIRouter(prefix="/v1/me", tags=["member"], responses=PROBLEMS)

MessageId = Annotated[
    str,
    Path(
        max_length=100,
        pattern=INBOX_MESSAGE_ID,
        description="An inbox message's `id` (one that is no longer due is marked all the same).",
    ),
]


@router.get("", response_model=schemas.Inbox, responses=NOT_MODIFIED)
def my_inbox(who: MemberAuth, ctx: CtxDep, request: Request) -> Response:
    """The messages due now, newest first, without the dismissed ones; `unread` counts the
    rest. Derived on each read from the member's points, vouchers, stamps, tier and offers."""
    _settled_member(ctx, who.member_id)
    with ctx.db.read() as s:
        member = s.get(Member, who.member_id)
        return etag_response(request, inbox.inbox_view(s, member, ctx.programme, ctx.now()))


def _mark(ctx: ServerContext, member_id: str, message_id: str, *, dismiss: bool) -> schemas.Inbox:
    now = ctx.now()
    with ctx.db.write() as s:
        member = points.lock_member(s, member_id)
        inbox.mark(s, member, message_id, now, dismiss=dismiss)
        return inbox.inbox_view(s, member, ctx.programme, now)


@feedback_router.post("/feedback", response_model=schemas.FeedbackResult)
def send_feedback(body: schemas.FeedbackIn, who: MemberAuth, ctx: CtxDep, key: IdemKey) -> Response:
    """The member's answer to the inbox's `feedback` question (0-10 and a comment), or its
    dismissal (no score); once per Idempotency-Key. Not kept (recorded false) when that
    question is not due any more."""
    status, answer = feedback.answer(ctx, who.member_id, body, key)
    return json_result(status, answer)


@router.post("/{message_id}/read", response_model=schemas.Inbox)
def read_message(message_id: MessageId, who: MemberAuth, ctx: CtxDep) -> schemas.Inbox:
    """Mark a message read (idempotent: again changes nothing). Returns the inbox."""
    return _mark(ctx, who.member_id, message_id, dismiss=False)


@router.post("/{message_id}/dismiss", response_model=schemas.Inbox)
def dismiss_message(message_id: MessageId, who: MemberAuth, ctx: CtxDep) -> schemas.Inbox:
    """Dismiss a message: it leaves the inbox for good (idempotent). Returns the inbox."""
    return _mark(ctx, who.member_id, message_id, dismiss=True)
