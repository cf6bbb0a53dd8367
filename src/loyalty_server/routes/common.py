"""Response declarations shared by every route, so the OpenAPI names every answer."""

from __future__ import annotations

from pydantic import BaseModel


class ProblemDetails(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


def _problem(description: str) -> dict:
    return {
        "model": ProblemDetails,
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
        },
    }


PROBLEMS: dict[int | str, dict] = {
    400: _problem("Bad request"),
    401: _problem("Sign-in or staff credential required"),
    403: _problem("Not allowed"),
    404: _problem("Not found"),
    409: _problem("Conflict with the current state"),
    413: _problem("Request body too large"),
    422: _problem("Invalid input"),
    429: _problem("Too many requests"),
    503: _problem("A dependency is unavailable"),
}

NOT_MODIFIED: dict[int | str, dict] = {304: {"description": "Not modified (ETag matched)"}}
