"""The activity journal as a table: time, session, what happened. Newest at the bottom."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from phase_tui.activity import describe


class ActivityFeed(DataTable[Text | str]):
    """Shows journal events; `show(events)` replaces them, keeping the newest in view."""

    DEFAULT_CSS = """
    ActivityFeed { height: 1fr; }
    """

    def __init__(self, limit: int = 200, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.limit = limit
        self._shown: tuple[str, ...] = ()

    def on_mount(self) -> None:
        self.add_column("when", key="when", width=10)
        self.add_column("session", key="session", width=22)
        self.add_column("what", key="what")

    def show(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Display `events` (oldest first); only new rows are added when possible."""
        events = list(events)[-self.limit :]
        ids = tuple(str(event["id"]) for event in events)
        if ids == self._shown:
            return
        if self._shown and ids[: len(self._shown)] == self._shown:
            fresh = events[len(self._shown) :]
        else:
            self.clear()
            fresh = events
        for event in fresh:
            self.add_row(*self._cells(event), key=str(event["id"]))
        self._shown = ids
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)

    @staticmethod
    def _cells(event: Mapping[str, Any]) -> tuple[str, str, Text]:
        when = time.strftime("%a %H:%M", time.localtime(float(event["at"])))
        line = Text(describe(event))
        if event.get("type") == "payload" and not event.get("ok", True):
            line.stylize("bold red")
        return when, str(event.get("session") or "-"), line
