"""The card format every device and the server use: one place, so they always agree."""

from __future__ import annotations

#: Seconds a card code is shown before the next one (RFC 6238 time step).
CARD_PERIOD = 30
#: Digits of each code.
CARD_DIGITS = 8
#: HMAC hash of the codes (RFC 6238's default).
CARD_ALGORITHM = "sha1"
#: Steps either side of the current one a live scan may come from (bounded clock drift).
CARD_PAST_STEPS = 2
CARD_FUTURE_STEPS = 1
