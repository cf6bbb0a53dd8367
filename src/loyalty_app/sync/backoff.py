"""Retry timing for the outbox: exponential with jitter, capped; pure, clock passed in."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class Backoff:
    base_seconds: float = 2.0
    max_seconds: float = 300.0
    failures: int = 0
    next_try: datetime | None = None
    rng: random.Random = field(default_factory=random.Random)

    def failed(self, now: datetime) -> datetime:
        self.failures += 1
        delay = min(self.max_seconds, self.base_seconds * 2 ** (self.failures - 1))
        delay *= 0.5 + self.rng.random() / 2  # jitter: many kiosks must not retry in step
        self.next_try = now + timedelta(seconds=delay)
        return self.next_try

    def succeeded(self) -> None:
        self.failures, self.next_try = 0, None

    def due(self, now: datetime) -> bool:
        return self.next_try is None or now >= self.next_try
