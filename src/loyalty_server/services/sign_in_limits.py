"""The sign-in limiter: how often codes may be asked for and checked, per requester network,
per e-mail or phone, and overall.

Each limit is a counter with a window: the first `free` hits of a window go through at once;
after that each hit must wait a growing time after the one before (`first`, then twice that,
and so on up to `longest`), or, for a ceiling (`first` None), the window's end. A refused
request does not count, so hammering does not make the wait longer. Nothing is ever locked:
once the wait is over the next request goes through.

The counters are rows of `sign_in_limits`, so every server process shares them. A hit is
taken in a transaction of its own, holding the counter's row (SELECT ... FOR UPDATE on
PostgreSQL; SQLite write transactions run one at a time), so concurrent requests cannot both
take the last free hit. Keys are digests: no address, e-mail or phone is kept here.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..db import Database
from ..models import SignInLimit
from ..settings import Settings


@dataclass(frozen=True)
class Policy:
    #: Hits a window lets through at once.
    free: int
    #: Seconds; the count starts again when a window is over.
    window: int
    #: The first wait after the free hits, doubling with each further hit; None: a ceiling,
    #: nothing more until the window is over.
    first: int | None = None
    #: The longest wait.
    longest: int = 3600

    def wait_after(self, hits: int) -> int | None:
        """Seconds the next hit must wait after the last one, `hits` hits into the window;
        None when only the window's end lets it through."""
        if hits < self.free:
            return 0
        if self.first is None:
            return None
        return min(self.longest, self.first * 2 ** min(hits - self.free, 32))


@dataclass(frozen=True)
class Counter:
    window_start: datetime
    hits: int
    last_at: datetime | None


def decide(counter: Counter | None, policy: Policy, now: datetime) -> tuple[Counter, int]:
    """The counter after a request at `now`, and 0 if it goes through (and was counted) or
    the seconds to wait (the counter unchanged but for a window that started again)."""
    window = timedelta(seconds=policy.window)
    if counter is None or now - counter.window_start >= window:
        counter = Counter(window_start=now, hits=0, last_at=None)
    wait = policy.wait_after(counter.hits)
    window_end = counter.window_start + window
    # (A request that queued on the row may carry a time just before the last hit's.)
    due = window_end if wait is None else (counter.last_at or now) + timedelta(seconds=wait)
    due = min(due, window_end)
    if wait == 0 or now >= due:
        return Counter(counter.window_start, counter.hits + 1, now), 0
    return counter, max(1, math.ceil((due - now).total_seconds()))


def most_hits(policy: Policy, seconds: int) -> int:
    """How many hits someone who asks the moment each wait is over gets through in
    `seconds`: the budget the README quotes."""
    start = datetime(2000, 1, 1)
    now, counter, hits = start, None, 0
    end = start + timedelta(seconds=seconds)
    while now < end:
        counter, wait = decide(counter, policy, now)
        if wait:
            now += timedelta(seconds=wait)
        else:
            hits += 1
    return hits


# --------------------------------------------------------------------------- the limits


@dataclass(frozen=True)
class Limits:
    codes_per_identity: Policy
    code_requests_per_address: Policy
    verifies_per_address: Policy
    code_requests_overall: Policy
    verifies_overall: Policy


def limits_of(settings: Settings) -> Limits:
    def backoff(free: int) -> Policy:
        return Policy(
            free=free,
            window=settings.limit_window_seconds,
            first=settings.backoff_first_seconds,
            longest=settings.backoff_max_seconds,
        )

    return Limits(
        codes_per_identity=backoff(settings.codes_per_identity_free),
        code_requests_per_address=backoff(settings.code_requests_per_address_free),
        verifies_per_address=backoff(settings.verifies_per_address_free),
        code_requests_overall=Policy(free=settings.code_requests_per_hour_overall, window=3600),
        verifies_overall=Policy(free=settings.verifies_per_hour_overall, window=3600),
    )


def network_of(address: str) -> str:
    """The requester's network: an IPv4 address, or the /64 an IPv6 host picks its addresses
    from (any other text as it is)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def key(scope: str, subject: str | None = None) -> str:
    """`scope` alone (an overall counter) or with a digest of `subject`."""
    if subject is None:
        return scope
    return f"{scope}:{hashlib.sha256(subject.encode()).hexdigest()[:32]}"


def take(db: Database, counter_key: str, policy: Policy, now: datetime) -> int:
    """Counts a hit on `counter_key` if `policy` lets it through now: 0, or the seconds to
    wait (Retry-After). Commits at once, whatever the request does next."""
    with db.write() as s:
        row = s.scalar(select(SignInLimit).where(SignInLimit.key == counter_key).with_for_update())
        if row is None:
            # Old counters go when a new one comes (no window lasts longer than a day).
            s.execute(delete(SignInLimit).where(SignInLimit.window_start < now - timedelta(days=2)))
            insert = sqlite_insert if db.is_sqlite else pg_insert
            s.execute(
                insert(SignInLimit)
                .values(key=counter_key, window_start=now, hits=0, last_at=None)
                .on_conflict_do_nothing(index_elements=["key"])
            )
            row = s.scalar(
                select(SignInLimit)
                .where(SignInLimit.key == counter_key)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        before = Counter(row.window_start, row.hits, row.last_at)
        after, wait = decide(before, policy, now)
        row.window_start, row.hits, row.last_at = after.window_start, after.hits, after.last_at
    return wait
