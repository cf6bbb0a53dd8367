"""The programme's pictures over real HTTP: the demo's logo and every reward's image are
served where the programme and the catalogue say, as SVG with an ETag that revalidates."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.loyalty_http import assert_problem, client_for
from tests.support.servers import ServerProcess

SVG_NAMESPACE = b' xmlns="http://www.w3.org/2000/svg"'
PROGRAMMES = Path(__file__).resolve().parents[3] / "src/loyalty_server/programmes"


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


def test_a_picture_put_back_between_starts_changes_the_catalogue_etag(database_url, smtp, tmp_path):
    """A reward whose picture file was missing at start has no image; once the file is back
    and the server restarted, a device holding the old catalogue must not be told 304."""
    source = PROGRAMMES
    shutil.copy(source / "harbor_coffee.toml", tmp_path / "harbor_coffee.toml")
    shutil.copytree(source / "harbor_coffee", tmp_path / "harbor_coffee")
    items = tmp_path / "harbor_coffee" / "rewards"
    picture = sorted(items.iterdir())[0]
    kept = picture.read_bytes()
    picture.unlink()
    with (
        ServerProcess(
            database_url, programme=tmp_path / "harbor_coffee.toml", smtp_port=smtp.port
        ) as server,
        client_for(server) as client,
    ):
        first = client.get("/v1/rewards")
        assert None in [item["image"] for item in first.json()["items"]]
        picture.write_bytes(kept)
        server.restart()
        again = client.get("/v1/rewards", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 200
    assert None not in [item["image"] for item in again.json()["items"]]
