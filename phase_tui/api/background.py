"""The local API served from inside the app or the daemon (`[api] in_app = true`): the
aiohttp server on a thread of its own, with its own event loop, stopped with the studio."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

from phase_tui.config.settings import ApiSettings
from phase_tui.context import StudioContext

log = logging.getLogger(__name__)


class BackgroundApi:
    """`start()` serves on a thread; `stop()` ends it and waits."""

    def __init__(
        self, context: StudioContext, settings: ApiSettings, report: Callable[[str], None]
    ) -> None:
        self.context = context
        self.settings = settings
        self._report = report
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self.url: str | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="local-api", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from phase_tui.api.server import serve

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            await serve(self.context, self.settings, ready=self._ready, stop=self._stop)

        try:
            asyncio.run(main())
        except OSError as error:  # the port is taken, the address is not ours
            self._report(f"The local API could not start on port {self.settings.port}: {error}")

    def _ready(self, url: str) -> None:
        self.url = url
        log.info("local API serving %s", url)

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout=5)
