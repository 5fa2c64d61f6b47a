"""The frame every Phase OS screen shares: the HUD on top, the footer below.

A screen subclass composes its body in `compose_body` and refreshes it in `refresh_view`,
called once the body is mounted and whenever the journal changed. The body is mounted
just after the first paint, so the HUD shows at once even on a slow machine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from widgets.hud import Hud, HudState

if TYPE_CHECKING:
    from phase_tui.app import PhaseOSApp


class StudioScreen(Screen[None]):
    """A screen with the HUD and the footer around its body."""

    body_ready = False
    """True once the body is mounted (it follows the first paint of the HUD and footer)."""

    @property
    def studio_app(self) -> PhaseOSApp:
        return cast("PhaseOSApp", self.app)

    def compose(self) -> ComposeResult:
        yield Hud(clock=self.studio_app.clock, clock_24h=self.studio_app.context.config.clock_24h)
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.watch(self.app, "hud_state", self._hud_changed)
        self.call_after_refresh(self._mount_body)  # the frame paints first, the body follows

    async def _mount_body(self) -> None:
        await self.mount_compose(self.compose_body(), before=self.query_one(Footer))
        self.body_ready = True
        self.watch(self.app, "journal_revision", self._journal_changed, init=False)
        self.refresh_view()

    def on_screen_suspend(self) -> None:
        self.query_one(Hud).pause()

    def on_screen_resume(self) -> None:
        self.query_one(Hud).resume()

    def _hud_changed(self, state: HudState) -> None:
        self.query_one(Hud).state = state

    def _journal_changed(self, _revision: int) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        """Redraw the body from the app's current data."""
