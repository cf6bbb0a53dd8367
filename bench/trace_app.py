"""The member app (main.py's options) with the Python side of each tap timed: from the tap's
event arriving in Flet's session to each message sent back, and to the first message that
carries a given text ("Redeeming…"). Used by bench_interactions.py ``--trace``; not part of
the app.

For every click on a control whose key is in TRACE_KEYS it writes one line to the app's log:

    TRACE click confirm-redeem: 'Redeeming…' sent after 12.3 ms (handler 1.2 ms, 3 messages)

and, when LOYALTY_TRACE_PROFILE names a file, a cProfile of the Python work between the
event and that message, summed over every traced tap (pstats format, rewritten after each).

It wraps two methods of Flet's session (``dispatch_event`` and the private send): a Flet
upgrade that renames them breaks this script only.
"""

from __future__ import annotations

import cProfile
import os
import sys
import time
from pathlib import Path

ROOT = Path(os.environ.get("LOYALTY_TRACE_CHECKOUT") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(ROOT / "src"))

#: Control key -> the texts of its first feedback ("Redeeming…" online, "Queued" offline).
TRACE_KEYS = {"confirm-redeem": ("Redeeming", "Queued")}
PROFILE = os.environ.get("LOYALTY_TRACE_PROFILE")


def install() -> None:
    from flet.messaging.session import Session

    dispatch = Session.dispatch_event
    send = Session._Session__send_message  # noqa: SLF001 - timing Flet's own send
    state: dict = {"tap": None}
    profiler = cProfile.Profile() if PROFILE else None

    async def timed_dispatch(self, control_id, event_name, event_data):  # noqa: ANN001, ANN202
        control = self.index.get(control_id)
        key = getattr(control, "key", None)
        key = getattr(key, "value", key)
        traced = event_name == "click" and key in TRACE_KEYS
        if traced:
            state["tap"] = {
                "key": key,
                "texts": TRACE_KEYS[key],
                "t0": time.perf_counter(),
                "sent": 0,
                "done": False,
            }
            if profiler is not None:
                profiler.enable()
        started = time.perf_counter()
        try:
            return await dispatch(self, control_id, event_name, event_data)
        finally:
            if traced and state["tap"] is not None:
                state["tap"]["handler"] = (time.perf_counter() - started) * 1000

    def timed_send(self, message):  # noqa: ANN001, ANN202
        tap = state["tap"]
        result = send(self, message)
        if tap is not None and not tap["done"]:
            tap["sent"] += 1
            body = repr(message.body)
            said = next((text for text in tap["texts"] if text in body), None)
            if said is not None:
                tap["done"] = True
                if profiler is not None:
                    profiler.disable()
                    profiler.dump_stats(PROFILE)
                ms = (time.perf_counter() - tap["t0"]) * 1000
                handler = tap.get("handler")
                handler_text = "still running" if handler is None else f"{handler:.1f} ms"
                print(
                    f"TRACE click {tap['key']}: {said!r} sent after {ms:.1f} ms "
                    f"(handler {handler_text}, {tap['sent']} messages)",
                    flush=True,
                )
                state["tap"] = None
        return result

    Session.dispatch_event = timed_dispatch
    Session._Session__send_message = timed_send  # noqa: SLF001


if __name__ == "__main__":
    install()
    os.chdir(ROOT)
    from loyalty_app.run import main

    raise SystemExit(main(sys.argv[1:]))
