"""The programme's pictures over real HTTP: the demo's logo and every reward's image are
served where the programme and the catalogue say, as SVG with an ETag that revalidates."""

from __future__ import annotations

from tests.support.loyalty_http import assert_problem

SVG_NAMESPACE = b' xmlns="http://www.w3.org/2000/svg"'


def test_the_demo_logo_is_served_where_the_programme_says(client):
    logo = client.get("/v1/programme").json()["logo"]
    assert logo == "/v1/media/harbor_coffee/logo.svg"
    reply = client.get(logo)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "image/svg+xml"
    # Flet draws bytes as SVG only when they carry the namespace written this way.
    assert SVG_NAMESPACE in reply.content
    assert reply.headers["cache-control"] == "public, max-age=86400"


def test_every_demo_reward_has_a_picture_of_its_own(client):
    items = client.get("/v1/rewards").json()["items"]
    images = [item["image"] for item in items]
    assert len(items) == 15 and None not in images
    assert len(set(images)) == len(images)
    bodies = set()
    for url in images:
        reply = client.get(url)
        assert reply.status_code == 200, url
        assert reply.headers["content-type"] == "image/svg+xml"
        assert SVG_NAMESPACE in reply.content
        bodies.add(reply.content)
    assert len(bodies) == len(images)


def test_a_picture_revalidates_with_its_etag(client):
    url = client.get("/v1/programme").json()["logo"]
    first = client.get(url)
    etag = first.headers["etag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag and again.content == b""


def test_only_the_programmes_pictures_are_served(client):
    for path in (
        "/v1/media/harbor_coffee.toml",
        "/v1/media/harbor_coffee/../harbor_coffee.toml",
        "/v1/media/harbor_coffee/rewards/nothing.svg",
    ):
        assert_problem(client.get(path), 404, "not-found")
