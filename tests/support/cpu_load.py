"""A busy machine, bounded: N processes spinning for as long as the block runs."""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Iterator


def _spin() -> None:
    n = 0
    while True:
        n = (n * 31 + 7) % 1_000_003


@contextlib.contextmanager
def cpu_load(processes: int = 2) -> Iterator[None]:
    workers = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(processes)]
    for w in workers:
        w.start()
    try:
        yield
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.join(timeout=5)
