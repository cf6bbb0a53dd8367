"""RFC 9457 problem details: every refusal has a stable `type` and a readable `detail`."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from loyalty_core.problems import PROBLEMS, TYPE_PREFIX

log = logging.getLogger("loyalty_server")

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """Raise anywhere in a request to answer with problem+json.

    `slug` must be in the shared registry (`loyalty_core.problems`) with this `status`.
    """

    def __init__(self, status: int, slug: str, title: str, detail: str = "", **extra: Any):
        registered = PROBLEMS.get(slug)
        if registered is None or not (registered.any_status or registered.status == status):
            raise ValueError(f"problem {slug!r} with status {status} is not in the registry")
        super().__init__(detail or title)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail or title
        self.extra = extra

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_PREFIX + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    retry = problem.extra.get("retry_after")
    headers = {"Retry-After": str(retry)} if retry is not None else None
    return JSONResponse(
        problem.body(request.url.path if request else None),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


_HTTP_SLUGS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Sign-in required"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
}


def _methods_on_path(request: Request) -> list[str]:
    """Every method some route serves at this request's path (RFC 9110 `Allow`)."""
    methods: set[str] = set()

    def walk(routes: list) -> None:
        for route in routes:
            # FastAPI keeps an included router as one route (routers are included unprefixed).
            inner = getattr(route, "original_router", None)
            if inner is not None:
                walk(inner.routes)
            elif route.matches(request.scope)[0] != Match.NONE:
                methods.update(getattr(route, "methods", None) or ())

    walk(request.app.router.routes)
    return sorted(methods)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
                "message": err.get("msg", "invalid"),
            }
            for err in exc.errors()
        ]
        fields = ", ".join(e["field"] or "body" for e in errors[:5])
        # A rule with a problem of its own (formats.py: invalid-email, identity-required, …)
        # names it as the error's type; the apps show that slug's message.
        slugs = {err.get("type") for err in exc.errors()}
        slug = slugs.pop() if len(slugs) == 1 else "validation"
        registered = PROBLEMS.get(slug or "")
        if registered is None or registered.status != 422:
            slug = "validation"
        if slug == "validation":
            title, detail = "Invalid request", f"Check these fields: {fields}"
        else:
            title = PROBLEMS[slug].meaning.rstrip(".")
            detail = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors[:5])
        problem = Problem(422, slug, title, detail, errors=errors)
        return problem_response(problem, request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", "Request failed"))
        detail = exc.detail if isinstance(exc.detail, str) else title
        response = problem_response(Problem(exc.status_code, slug, title, detail), request)
        response.headers.update(exc.headers or {})  # e.g. Allow on 405 (RFC 9110)
        if exc.status_code == 405:
            # Starlette names only the first route on the path (GET /v1/me, not its PATCH).
            response.headers["Allow"] = ", ".join(_methods_on_path(request))
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem_response(
            Problem(500, "internal", "Internal error", "Something went wrong; try again later."),
            request,
        )
