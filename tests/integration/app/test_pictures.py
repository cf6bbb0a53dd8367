"""The programme's pictures on the device, against the real server: fetched once, then
revalidated with their ETag, and still drawn from the kept copy with the server gone."""

from __future__ import annotations

import asyncio

import pytest

from loyalty_app.api.client import LoyaltyApi
from loyalty_app.session import Pictures
from loyalty_app.store.pictures import PictureCache

LOGO = "/v1/media/harbor_coffee/logo.svg"


@pytest.fixture
def requests_seen() -> list[tuple[str, int]]:
    return []


def pictures_for(server, folder, seen: list[tuple[str, int]]) -> Pictures:
    async def note(response) -> None:
        seen.append((response.request.url.path, response.status_code))

    async def api() -> LoyaltyApi:
        return LoyaltyApi(server.base_url, event_hooks={"response": [note]})

    return Pictures(api, PictureCache(folder))


def test_a_picture_is_kept_revalidated_and_drawn_offline(module_server, tmp_path, requests_seen):
    pictures = pictures_for(module_server, tmp_path / "pictures", requests_seen)
    assert pictures.kept(LOGO) is None
    body = asyncio.run(pictures.fetch(LOGO))
    assert body and b' xmlns="http://www.w3.org/2000/svg"' in body
    assert pictures.kept(LOGO) == body
    assert asyncio.run(pictures.fetch(LOGO)) == body
    assert requests_seen == [(LOGO, 200), (LOGO, 304)]
    module_server.stop()
    try:
        # A new app start on the same device, with no server: the kept copy.
        offline = pictures_for(module_server, tmp_path / "pictures", requests_seen)
        assert asyncio.run(offline.fetch(LOGO)) == body
    finally:
        module_server.start()


def test_a_picture_the_server_does_not_have_is_none(module_server, tmp_path, requests_seen):
    pictures = pictures_for(module_server, tmp_path / "pictures", requests_seen)
    assert asyncio.run(pictures.fetch("/v1/media/harbor_coffee/none.svg")) is None
    assert asyncio.run(pictures.fetch("https://elsewhere.example/logo.svg")) is None
