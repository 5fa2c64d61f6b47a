"""The dashboard: the live activity journal, time per phase, what each phase is for, and the
system monitor (the doctor's checks, every minute while the dashboard is shown)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from screens.base import StudioScreen

if TYPE_CHECKING:
    from rich.table import Table

    from widgets.activity_feed import ActivityFeed
    from widgets.phase_times import PhaseTimes
    from widgets.system_monitor import SystemMonitor


MONITOR_FIRST_S = 1.0  # the first checks run as the app settles (their imports: ~80 ms)
MONITOR_INTERVAL_S = 60.0


class DashboardScreen(StudioScreen):
    """Home screen of the studio."""

    DEFAULT_CSS = """
    DashboardScreen #dash-left { width: 3fr; }
    DashboardScreen #dash-right { width: 2fr; min-width: 40; }
    DashboardScreen .dash-title { padding: 0 1; text-style: bold; color: $accent; }
    DashboardScreen #dash-phases { padding: 0 1; height: auto; }
    DashboardScreen #dash-system { padding: 0 1; height: auto; }
    """

    def compose_body(self) -> ComposeResult:
        # Imported here: the body is mounted after the first paint, and so are its imports.
        from widgets.activity_feed import ActivityFeed
        from widgets.phase_times import PhaseTimes
        from widgets.system_monitor import SystemMonitor

        with Horizontal():
            with Vertical(id="dash-left"):
                yield Static("Activity", classes="dash-title")
                yield ActivityFeed(id="activity")
            with VerticalScroll(id="dash-right"):
                yield Static("Time per phase", classes="dash-title")
                yield PhaseTimes(id="phase-times")
                yield Static("System", classes="dash-title")
                yield SystemMonitor(id="dash-system")
                yield Static("Phases", classes="dash-title")
                yield Static(self._phase_guide(), id="dash-phases")

    def on_mount(self) -> None:  # StudioScreen.on_mount runs too (Textual calls each class's)
        self.set_timer(MONITOR_FIRST_S, self._check_system)
        self.set_interval(MONITOR_INTERVAL_S, self._check_system)

    def _check_system(self) -> None:
        """Run the doctor's checks off the UI thread while the dashboard is shown."""
        if self.is_current and self.body_ready and self.studio_app.runs_services:
            self.run_worker(self._run_checks, thread=True, group="monitor", exclusive=True)

    def _run_checks(self) -> None:
        from phase_tui.doctor import run_checks

        checks = run_checks(self.studio_app.context)
        monitor = cast("SystemMonitor", self.query_one("#dash-system"))
        self.app.call_from_thread(monitor.show, checks)

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
