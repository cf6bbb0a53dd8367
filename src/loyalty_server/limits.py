"""A pure ASGI guard on request body size, declared or streamed."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException

from .problems import PROBLEM_JSON, Problem


class BodyLimit:
    def __init__(self, app, max_bytes: int) -> None:  # noqa: ANN001
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):  # noqa: ANN001
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await self._refuse(send)
        seen = 0

        async def limited_receive():  # noqa: ANN202
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send) -> None:  # noqa: ANN001
        body = json.dumps(
            Problem(
                413,
                "payload-too-large",
                "Request body too large",
                f"Requests may carry at most {self.max_bytes} bytes.",
            ).body()
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body.encode()})


class _TooLarge(HTTPException):
    """An HTTPException, so FastAPI's body reading re-raises it (instead of turning it into
    400 "error parsing the body") and the problem handlers answer 413."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"Requests may carry at most {max_bytes} bytes.")
