"""The dashboard: the live activity journal, time per phase, and what each phase is for."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from screens.base import StudioScreen

if TYPE_CHECKING:
    from rich.table import Table

    from widgets.activity_feed import ActivityFeed
    from widgets.phase_times import PhaseTimes


class DashboardScreen(StudioScreen):
    """Home screen of the studio."""

    DEFAULT_CSS = """
    DashboardScreen #dash-left { width: 3fr; }
    DashboardScreen #dash-right { width: 2fr; min-width: 40; }
    DashboardScreen .dash-title { padding: 0 1; text-style: bold; color: $accent; }
    DashboardScreen #dash-phases { padding: 0 1; height: auto; }
    """

    def compose_body(self) -> ComposeResult:
        # Imported here: the body is mounted after the first paint, and so are its imports.
        from widgets.activity_feed import ActivityFeed
        from widgets.phase_times import PhaseTimes

        with Horizontal():
            with Vertical(id="dash-left"):
                yield Static("Activity", classes="dash-title")
                yield ActivityFeed(id="activity")
            with Vertical(id="dash-right"):
                yield Static("Time per phase", classes="dash-title")
                yield PhaseTimes(id="phase-times")
                yield Static("Phases", classes="dash-title")
                yield Static(self._phase_guide(), id="dash-phases")

    def refresh_view(self) -> None:
        app = self.studio_app
        events = app.events()
        cast("ActivityFeed", self.query_one("#activity")).show(events)
        today, week = app.phase_times(events)
        config = app.context.config
        cast("PhaseTimes", self.query_one("#phase-times")).show(
            [(p.name, p.colour) for p in config.phases], today, week, app.switcher.current
        )

    def _phase_guide(self) -> Table:
        from rich.table import Table

        config = self.studio_app.context.config
        table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
        table.add_column("key", width=3)
        table.add_column("phase")
        for item in config.phases:
            lines = Text(item.name, style=f"bold {item.colour}")
            if item.description:
                lines.append(f"  {item.description}")
            for task in item.tasks:
                lines.append(f"\n  · {task}", style="dim")
            table.add_row(Text(item.key, style="bold"), lines)
        return table
