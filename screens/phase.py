"""The screen of one phase: what it is for, its tasks, its exit rules, its recent work.

Later capabilities put their own tools on the phase screens (the curator in oracle, the
form maps in builder...); this view stays as the phase's overview.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from phase_tui.formatting import format_duration
from screens.base import StudioScreen
from widgets.activity_feed import ActivityFeed


class PhaseScreen(StudioScreen):
    """Overview of one configured phase."""

    DEFAULT_CSS = """
    PhaseScreen #phase-left { width: 2fr; padding: 0 1; }
    PhaseScreen #phase-right { width: 3fr; }
    PhaseScreen .phase-title { padding: 0 1; text-style: bold; color: $accent; }
    """

    def __init__(self, phase: str) -> None:
        super().__init__(id=f"phase-{phase}")
        self.phase = phase

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="phase-left"):
                yield Static(id="phase-about")
            with Vertical(id="phase-right"):
                yield Static(f"Recent work in {self.phase}", classes="phase-title")
                yield ActivityFeed(id="phase-activity")

    def refresh_view(self) -> None:
        app = self.studio_app
        events = app.events()
        self.query_one(ActivityFeed).show(e for e in events if e.get("phase") == self.phase)
        today, week = app.phase_times(events)
        self.query_one("#phase-about", Static).update(self._about(today, week))

    def _about(self, today: dict[str, float], week: dict[str, float]) -> Table:
        app = self.studio_app
        settings = app.context.config.phase(self.phase)
        table = Table(box=None, show_header=False, expand=True)
        table.add_column("field", style="bold", width=12)
        table.add_column("value")
        current = app.switcher.current == self.phase
        title = Text(self.phase.upper(), style=f"bold {settings.colour}")
        title.append("  (current)" if current else f"  press {settings.key} to enter", style="dim")
        table.add_row("phase", title)
        table.add_row("for", settings.description or "—")
        table.add_row("tasks", "\n".join(f"· {task}" for task in settings.tasks) or "—")
        table.add_row("today", format_duration(today.get(self.phase, 0.0)))
        table.add_row("this week", format_duration(week.get(self.phase, 0.0)))
        table.add_row(
            "leave when", self._rules(settings.leave_after_bounces, settings.leave_after_minutes)
        )
        table.add_row("next", settings.next or "the next phase in order")
        table.add_row("on enter", self._commands(settings.on_enter))
        table.add_row("on exit", self._commands(settings.on_exit))
        return table

    @staticmethod
    def _rules(bounces: int, minutes: float) -> str:
        rules = []
        if bounces:
            rules.append(f"{bounces} bounces")
        if minutes:
            rules.append(f"{minutes:g} min")
        return " or ".join(rules) or "no rule"

    @staticmethod
    def _commands(commands: tuple[tuple[str, ...], ...]) -> Text:
        if not commands:
            return Text("—")
        return Text("\n".join(" ".join(argv) for argv in commands))
