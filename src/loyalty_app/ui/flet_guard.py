"""A guard around one failure in Flet 1.0.5's session that ends an app without a word.

When Python calls a method on a control (``await field.focus()``, a camera's
``take_picture()``) and a re-render removes that control before the browser's reply arrives,
``Session.handle_invoke_method_results`` raises "Control with ID … is not registered" inside
the web server's receive loop. The loop ends: the page stays on screen, but no click, key or
scan reaches Python again. The kiosk calls ``focus()`` on its scan field, and each scan
replaces that field, so a busy till hit this now and then — a frozen kiosk.

Guarded, the reply for a control that left the page completes the waiting call with an
error (the caller sees a ``RuntimeError``, as for any failed call) and the session lives on.
The same version of Flet on GitHub still raises (checked 2026-11); drop this guard once an
upgrade answers such replies itself (tests/integration/browser/test_flet_guard.py says so).
"""

from __future__ import annotations

import logging
from typing import Any

from flet.messaging.session import Session

log = logging.getLogger("loyalty_app.ui")

GONE = "the control left the page before the call returned"
_original = Session.handle_invoke_method_results


def _tolerant(self: Session, control_id: int, call_id: str, result: Any, error: str | None) -> None:
    try:
        _original(self, control_id, call_id, result, error)
    except RuntimeError:
        waiting = self._Session__method_calls.pop(call_id, None)  # type: ignore[attr-defined]
        log.info("method reply for removed control %s: %s", control_id, GONE)
        if waiting is not None:
            self._Session__method_call_results[waiting] = (None, GONE)  # type: ignore[attr-defined]
            waiting.set()


def install() -> None:
    """Idempotent; called once before the app starts."""
    Session.handle_invoke_method_results = _tolerant  # type: ignore[method-assign]
