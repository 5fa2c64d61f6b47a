"""The long-lived background services of an open studio, started and stopped together.

The phase file watcher, the control socket, the bounce logger and, with `[api] in_app`,
the local API (an app attached to a running daemon starts the phase file watcher only).
Textual-free, so the app and a headless daemon run the same services. Heavy modules
(watchdog, numpy, soundfile) are imported in `start()`, which the app calls after its
first paint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from phase_tui import control
from phase_tui.context import StudioContext
from phase_tui.events import Emit, Notice

if TYPE_CHECKING:
    from phase_tui.api.background import BackgroundApi
    from phase_tui.loop.logger import BounceLogger
    from phase_tui.phase.phase_file import PhaseFileWatcher

log = logging.getLogger(__name__)


class StudioServices:
    """Start/stop of the watchers and the control socket of one studio."""

    def __init__(
        self,
        context: StudioContext,
        *,
        emit: Emit,
        on_phase_file: Callable[[str], None],
        dispatch: control.Handler,
        bounce_context: Callable[[], Mapping[str, Any]],
    ) -> None:
        self.context = context
        self._emit = emit
        self._on_phase_file = on_phase_file
        self._dispatch = dispatch
        self._bounce_context = bounce_context
        self.phase_watcher: PhaseFileWatcher | None = None
        self.server: control.ControlServer | None = None
        self.bounces: BounceLogger | None = None
        self.api: BackgroundApi | None = None

    def start(self, attached: bool = False) -> None:
        """Start everything (blocking briefly: call it from a worker thread). `attached`: a
        headless daemon serves this studio, with its own socket and bounce logger, so only
        the phase file is watched here."""
        from phase_tui.phase.phase_file import PhaseFileWatcher, read_phase_file

        studio = self.context.studio
        self.phase_watcher = PhaseFileWatcher(studio.phase_file, self._on_phase_file)
        self.phase_watcher.start()
        written = read_phase_file(studio.phase_file)
        if written is not None:
            self._on_phase_file(written)  # an edit made before the watcher ran is not lost
        if self.phase_watcher.polling:
            self._emit(
                Notice("The phase file is polled: the system refused an inotify watch", "warning")
            )
        if attached:
            return
        server = control.ControlServer(studio.internal, self._dispatch)
        try:
            server.start()
            self.server = server
        except RuntimeError as error:
            self._emit(Notice(f"{error}; shell commands go to that app", "warning"))
        from phase_tui.loop.logger import BounceLogger

        self.bounces = BounceLogger(
            studio.root, self.context.config, self.context.store, self._bounce_context, self._emit
        )
        self.bounces.start()
        if self.context.config.api.in_app:
            from phase_tui.api.background import BackgroundApi

            self.api = BackgroundApi(
                self.context, self.context.config.api, lambda t: self._emit(Notice(t, "error"))
            )
            self.api.start()

    def stop(self) -> None:
        """Stop everything that was started, in reverse order."""
        if self.api is not None:
            self.api.stop()
        if self.bounces is not None:
            self.bounces.stop()
        if self.server is not None:
            self.server.stop()
        if self.phase_watcher is not None:
            self.phase_watcher.stop()
