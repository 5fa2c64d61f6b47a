"""The frame every Phase OS screen shares: the HUD on top, the footer below.

A screen subclass composes its body in `compose_body` and refreshes it in `refresh_view`,
called on mount, when the journal changed, and when the phase changed.
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

    @property
    def studio_app(self) -> PhaseOSApp:
        return cast("PhaseOSApp", self.app)

    def compose(self) -> ComposeResult:
        yield Hud(clock=self.studio_app.clock, clock_24h=self.studio_app.context.config.clock_24h)
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.watch(self.app, "hud_state", self._hud_changed)
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
