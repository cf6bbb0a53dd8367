"""Card token → PNG versus a bare ``qrcode.make(text).save(...)`` of the same text.

Prints the median of each over RUNS runs and the ratio (target: at most 1.2).
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

import qrcode

from loyalty_app.card.render import card_png
from loyalty_core.card.token import CardCredential, make_token

RUNS = 300
TARGET_RATIO = 1.2
CRED = CardCredential(
    card_id="c0123456789ab", secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", prefix="HBR"
)


def median_ms(step: Callable[[int], object]) -> float:
    for i in range(10):  # warm up
        step(i)
    times = []
    for i in range(RUNS):
        started = time.perf_counter()
        step(i)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def ours(i: int) -> bytes:
    # A new time step every run: a new token, so nothing can be reused.  Includes making
    # the token (TOTP) and the seconds to the next one.
    return card_png(CRED, 1_700_000_000 + 30 * i)[1]


# The same texts, made beforehand: the baseline is only qrcode's text -> PNG.
TOKENS = [make_token(CRED, 1_700_000_000 + 30 * i) for i in range(RUNS + 10)]


def bare(i: int) -> bytes:
    out = io.BytesIO()
    qrcode.make(TOKENS[i]).save(out, "PNG")
    return out.getvalue()


def main() -> int:
    assert ours(7) == bare(7), "card_png should draw the very same PNG"
    ours_ms = median_ms(ours)
    bare_ms = median_ms(bare)
    ratio = ours_ms / bare_ms
    print(f"token -> PNG (card_png):            {ours_ms:7.3f} ms median of {RUNS}")
    print(f"qrcode.make(token).save(PNG):       {bare_ms:7.3f} ms median of {RUNS}")
    verdict = "ok" if ratio <= TARGET_RATIO else "SLOWER THAN TARGET"
    print(f"ratio: {ratio:.2f}x (target <= {TARGET_RATIO}x) {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
