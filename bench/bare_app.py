"""The reference of the bench: a bare Textual app with the same 1 Hz clock as Phase OS's HUD.

Header, Footer and one Static whose text carries a clock updated every second through
`set_interval`, as the HUD updates its clock; ctrl+q quits, as in Phase OS. Run it as a
script (`python bench/bare_app.py`): it imports nothing but Textual.
"""

from __future__ import annotations

import time

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

READY_TEXT = "BARE REFERENCE"


class BareApp(App[None]):
    """Header, one Static with a clock, Footer."""

    TITLE = "Bare reference"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._text(), id="clock")
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _text(self) -> str:
        return f"{READY_TEXT} {time.strftime('%H:%M:%S')}"

    def _tick(self) -> None:
        self.query_one("#clock", Static).update(self._text())


if __name__ == "__main__":
    BareApp().run()
