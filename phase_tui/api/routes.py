"""The handlers of the API, all GET (and so HEAD):

- `/api`: name, version, kinds and links;
- `/api/{kind}`: a page of the items of a kind; `/api/{kind}/{id}`: one item;
- `/api/{kind}/{id}/audio`: the file the item's record names, with range requests;
- `/api/tags`: a page of the tags in use with their counts; `/api/tags/{tag}`: a page of the
  items of every kind carrying a tag.

Every Store read runs on the event loop's thread pool, so a slow read never holds up
another request.
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Callable
from typing import TypeVar

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter
from aiohttp.web_request import BaseRequest

from phase_tui import __version__
from phase_tui.api.errors import BadRequest, NotFound
from phase_tui.api.params import (
    ITEMS_LISTING,
    SAMPLES_LISTING,
    TAGS_LISTING,
    Listing,
    ListQuery,
    parse_query,
)
from phase_tui.api.queries import AUDIO_KINDS, KINDS, Catalogue, Page
from phase_tui.config.settings import ApiSettings
from phase_tui.tags import tag_name

CATALOGUE = web.AppKey("catalogue", Catalogue)
SETTINGS = web.AppKey("settings", ApiSettings)

ID_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,127}")
"""What an item id may be: never a path (no `/`, `.`, `%` or `\\`)."""

AUDIO_TYPES = {
    ".wav": "audio/wav",
    ".wave": "audio/wav",
    ".flac": "audio/flac",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".aif": "audio/aiff",
    ".aiff": "audio/aiff",
    ".aifc": "audio/aiff",
    ".m4a": "audio/mp4",
    ".mp4": "audio/mp4",
}

T = TypeVar("T")


def add_routes(app: web.Application) -> None:
    """Register every route of the API on `app` (the tag routes before `/api/{kind}`)."""
    app.router.add_get("/api", index)
    app.router.add_get("/api/tags", tags)
    app.router.add_get("/api/tags/{tag}", tag_items)
    app.router.add_get("/api/{kind}", listing)
    app.router.add_get("/api/{kind}/{id}", item)
    app.router.add_get("/api/{kind}/{id}/audio", audio)


async def index(request: web.Request) -> web.Response:
    links = {kind: f"/api/{kind}" for kind in KINDS}
    return web.json_response(
        {
            "name": "Phase OS",
            "version": __version__,
            "kinds": list(KINDS),
            "audio": sorted(AUDIO_KINDS),
            "links": {"self": "/api", **links, "tags": "/api/tags"},
        }
    )


async def listing(request: web.Request) -> web.Response:
    kind = _kind(request)
    query = _query(request, SAMPLES_LISTING if kind == "samples" else ITEMS_LISTING)
    page = await _blocking(request.app[CATALOGUE].page, kind, query)
    return _page(request, query, page)


async def item(request: web.Request) -> web.Response:
    kind, item_id = _kind(request), _item_id(request)
    return web.json_response(await _blocking(request.app[CATALOGUE].item, kind, item_id))


async def audio(request: web.Request) -> web.StreamResponse:
    kind, item_id = _kind(request), _item_id(request)
    path = await _blocking(request.app[CATALOGUE].audio_file, kind, item_id)
    content_type = AUDIO_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return NamedFileResponse(path, headers={"Content-Type": content_type})


async def tags(request: web.Request) -> web.Response:
    query = _query(request, TAGS_LISTING)
    return _page(request, query, await _blocking(request.app[CATALOGUE].tag_counts, query))


async def tag_items(request: web.Request) -> web.Response:
    try:
        tag = tag_name(request.match_info["tag"])
    except ValueError as error:
        raise BadRequest(str(error)) from None
    query = _query(request, ITEMS_LISTING)
    return _page(request, query, await _blocking(request.app[CATALOGUE].tag_items, tag, query))


class NamedFileResponse(web.FileResponse):
    """Exactly the file named, with range requests: never a compressed sibling
    (`take.wav.gz`) that aiohttp would otherwise send to a client accepting gzip."""

    async def prepare(self, request: BaseRequest) -> AbstractStreamWriter | None:
        headers = {k: v for k, v in request.headers.items() if k.lower() != "accept-encoding"}
        return await super().prepare(request.clone(headers=headers))


def _kind(request: web.Request) -> str:
    kind = request.match_info["kind"]
    if kind not in KINDS:
        raise NotFound(f"no kind {kind!r} (kinds: {', '.join(KINDS)})")
    return kind


def _item_id(request: web.Request) -> str:
    item_id = request.match_info["id"]
    if not ID_RE.fullmatch(item_id):
        raise BadRequest(f"{item_id!r} is not an item id (letters, digits, `-` and `_`)")
    return item_id


def _query(request: web.Request, kind_of_listing: Listing) -> ListQuery:
    settings = request.app[SETTINGS]
    return parse_query(
        request.query.items(), kind_of_listing, settings.page_size, settings.max_page_size
    )


def _page(request: web.Request, query: ListQuery, page: Page) -> web.Response:
    """The JSON of a page, with the links to the pages before and after it."""

    def link(number: int) -> str:
        return str(request.rel_url.update_query(page=str(number)))

    more = query.start + query.per_page < page.total
    return web.json_response(
        {
            "total": page.total,
            "page": query.page,
            "per_page": query.per_page,
            "items": page.items,
            "next": link(query.page + 1) if more else None,
            "prev": link(query.page - 1) if query.page > 1 else None,
        }
    )


async def _blocking(call: Callable[..., T], *args: object) -> T:
    """`call(*args)` on the running loop's thread pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(call, *args))
