"""The dashboard's system monitor: one line per check of `phase_tui.doctor` (watchers,
Store files, control socket, audio devices, Whisper, disk, queues), its status mark, what
it found, and for a problem what to do."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from phase_tui.doctor import FAIL, OK, WARN, Check

MARKS = {OK: ("✓", "green"), WARN: ("!", "yellow"), FAIL: ("✗", "bold red")}


def monitor_text(checks: Sequence[Check]) -> Text:
    """The checks, problems first, each with its hint."""
    order = {FAIL: 0, WARN: 1, OK: 2}
    text = Text()
    for check in sorted(checks, key=lambda c: order.get(c.status, 3)):
        mark, style = MARKS.get(check.status, ("?", ""))
        if text:
            text.append("\n")
        text.append(f"{mark} ", style=style)
        text.append(check.name, style="bold")
        text.append(f"  {check.detail}")
        if check.status != OK and check.hint:
            text.append(f"\n  → {check.hint}", style="dim")
    return text


class SystemMonitor(Static):
    """Shows the latest checks; `show(checks)` replaces them."""

    def show(self, checks: Sequence[Check]) -> None:
        self.update(monitor_text(checks) if checks else Text("checking…", style="dim"))
