"""`serve --cors-origin ORIGIN` lets the static member app, hosted on another origin, call the
API from the browser: a listed origin gets the CORS headers on a preflight and on the real
request (the ETag readable by the page); an unlisted origin gets none, and a server started
without the option sends none at all. Over real HTTP to the real server."""

from __future__ import annotations

import httpx
import pytest

from tests.support.databases import fresh_database_url
from tests.support.servers import ServerProcess, run_cli

APP = "http://127.0.0.1:8700"
OTHER = "http://127.0.0.1:8701"


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"extra_args": ["--cors-origin", APP, "--cors-origin", "https://app.harbor.test"]}


def _preflight(client: httpx.Client, origin: str) -> httpx.Response:
    return client.options(
        "/v1/me",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization,if-none-match",
        },
    )


def test_a_listed_origin_gets_the_headers_on_a_preflight(client):
    for origin in (APP, "https://app.harbor.test"):
        reply = _preflight(client, origin)
        assert reply.status_code == 200, reply.text
        assert reply.headers["access-control-allow-origin"] == origin
        allowed = reply.headers["access-control-allow-headers"].lower()
        assert "authorization" in allowed and "if-none-match" in allowed
        assert "GET" in reply.headers["access-control-allow-methods"]


def test_a_listed_origin_gets_the_headers_on_a_real_request(client):
    reply = client.get("/v1/programme", headers={"Origin": APP})
    assert reply.status_code == 200, reply.text
    assert reply.headers["access-control-allow-origin"] == APP
    assert "etag" in reply.headers["access-control-expose-headers"].lower()
    refused = client.get("/v1/me", headers={"Origin": APP})  # no token: a problem, readable
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == APP


def test_an_unlisted_origin_gets_no_headers(client):
    reply = _preflight(client, OTHER)
    assert "access-control-allow-origin" not in reply.headers
    reply = client.get("/v1/programme", headers={"Origin": OTHER})
    assert reply.status_code == 200
    assert "access-control-allow-origin" not in reply.headers


def test_without_the_option_no_origin_gets_headers(tmp_path):
    with (
        ServerProcess(fresh_database_url(tmp_path)) as plain,
        httpx.Client(base_url=plain.base_url) as c,
    ):
        assert "access-control-allow-origin" not in _preflight(c, APP).headers
        reply = c.get("/v1/programme", headers={"Origin": APP})
        assert "access-control-allow-origin" not in reply.headers


def test_an_origin_with_a_path_is_refused_at_start(tmp_path):
    done = run_cli(
        "serve",
        "--cors-origin",
        "https://app.harbor.test/member",
        database_url=fresh_database_url(tmp_path),
        timeout=60,
    )
    assert done.returncode == 2
    assert "scheme://host[:port]" in done.stderr
