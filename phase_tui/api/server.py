"""The API's aiohttp application and its server: `make_app` and `serve`.

`make_app` wires the routes (`routes.py`) behind two middlewares: every error becomes
`{"error": "sentence"}` with its status (404, 405 for any method but GET and HEAD, 400,
401), and, when `[api] token` is set, a request without `Authorization: Bearer <token>` is
401. `serve` listens on `[api] host` and `port` until `stop` is set (or it is cancelled).
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from phase_tui.api.errors import ApiError, Unauthorized
from phase_tui.api.queries import Catalogue
from phase_tui.api.routes import CATALOGUE, SETTINGS, add_routes
from phase_tui.config.settings import ApiSettings
from phase_tui.context import StudioContext

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
KEPT_HEADERS = ("Allow", "WWW-Authenticate")


def make_app(context: StudioContext, settings: ApiSettings) -> web.Application:
    """The read-only API of `context`'s studio."""
    middlewares = [json_errors]
    if settings.token:
        middlewares.append(token_check(settings.token))
    app = web.Application(middlewares=middlewares)
    app[CATALOGUE] = Catalogue(context.store, context.studio.root)
    app[SETTINGS] = settings
    add_routes(app)
    return app


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every error as `{"error": "..."}` with its status."""
    try:
        return await handler(request)
    except ApiError as error:
        return _error(error.status, str(error), error.headers)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        messages = {
            404: f"nothing at {request.path}; the index is /api",
            405: f"{request.method} is not allowed: the API is read-only (GET and HEAD)",
        }
        kept = {name: error.headers[name] for name in KEPT_HEADERS if name in error.headers}
        return _error(error.status, messages.get(error.status, error.reason), kept)


def token_check(token: str) -> Any:
    """A middleware answering 401 to a request without `Authorization: Bearer <token>`."""
    expected = f"Bearer {token}".encode()

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            raise Unauthorized("this API needs the header `Authorization: Bearer <token>`")
        return await handler(request)

    return check


def _error(status: int, message: str, headers: dict[str, str]) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


def api_url(address: Any) -> str:
    """The URL of the index for a bound socket address (host, port, ...)."""
    host, port = address[0], address[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/api"


async def serve(
    context: StudioContext,
    settings: ApiSettings,
    ready: Callable[[str], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve the API on `settings.host`:`settings.port` (0: a free port) until `stop` is
    set or the task is cancelled; `ready(url)` is called once it listens."""
    runner = web.AppRunner(make_app(context, settings), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.host, settings.port)
        await site.start()
        if ready is not None:
            ready(api_url(runner.addresses[0]))
        await (stop or asyncio.Event()).wait()
    finally:
        await runner.cleanup()
