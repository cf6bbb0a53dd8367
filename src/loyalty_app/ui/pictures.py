"""The programme's pictures on screen: the copies kept on the device at once, then the
server's (refreshed with a conditional GET). Its own observable, so a picture arriving
re-renders only what draws pictures."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field

import flet as ft

from ..domain.models import Programme, text
from ..session import Pictures


@ft.observable
@dataclass
class PictureShelf:
    pictures: Pictures = field(repr=False, compare=False)
    images: dict[str, bytes] = field(default_factory=dict)
    #: URLs already asked of the server in this run (failed ones are asked again later).
    fresh: tuple[str, ...] = ()

    async def show(self, urls: Iterable[str | None]) -> None:
        """Make these pictures drawable: kept copies now, the server's copies next."""
        wanted = [u for u in dict.fromkeys(urls) if u and u not in self.fresh]
        if not wanted:
            return
        kept = {u: b for u in wanted if u not in self.images and (b := self.pictures.kept(u))}
        if kept:
            self.images = {**self.images, **kept}
        fetched = await asyncio.gather(*(self.pictures.fetch(u) for u in wanted))
        got = {u: b for u, b in zip(wanted, fetched, strict=True) if b is not None}
        self.fresh = (*self.fresh, *got)
        if any(self.images.get(u) != b for u, b in got.items()):
            self.images = {**self.images, **got}


PicturesCtx: ft.ContextProvider[PictureShelf | None] = ft.create_context(None)


def use_pictures() -> dict[str, bytes]:
    """The pictures drawable now, by URL (empty outside the tree)."""
    shelf = ft.use_context(PicturesCtx)
    return shelf.images if shelf is not None else {}


def picture(
    images: dict[str, bytes],
    url: str | None,
    *,
    size: float,
    label: str,
    fallback: ft.IconData = ft.Icons.LOCAL_CAFE,
    key: str | None = None,
) -> ft.Control:
    """A programme picture at `size` × `size`; a quiet icon in its place while there is none.

    Flet's web client draws bytes as SVG only when they contain the SVG namespace written as
    ` xmlns="http://www.w3.org/2000/svg"`; other bytes go to the raster decoder (PNG, JPEG,
    WebP), so a picture file must declare its namespace that way."""
    body = images.get(url) if url else None
    if body is not None:
        return ft.Image(
            src=body,
            width=size,
            height=size,
            fit=ft.BoxFit.CONTAIN,
            semantics_label=label,
            key=key,
        )
    return ft.Container(
        ft.Icon(fallback, size=size * 0.45, color=ft.Colors.ON_PRIMARY_CONTAINER),
        width=size,
        height=size,
        bgcolor=ft.Colors.PRIMARY_CONTAINER,
        border_radius=size * 0.2,
        alignment=ft.Alignment.CENTER,
        key=key,
    )


def shop_name(programme: Programme | None, lang: str) -> str:
    if programme is None:
        return ""
    return text(programme.name, lang)


def logo(
    images: dict[str, bytes], programme: Programme | None, lang: str, *, size: float
) -> ft.Control:
    """The shop's logo, named for screen readers by the shop's name."""
    return picture(
        images,
        programme.logo if programme else None,
        size=size,
        label=shop_name(programme, lang),
        fallback=ft.Icons.STOREFRONT,
        key="shop-logo",
    )
