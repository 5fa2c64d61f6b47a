"""The bounce catalogue as a table: one header row per track, its versions beneath.

`show(groups)` replaces the rows and keeps the cursor on the record it was on. Row keys
are record ids; a track's header row is keyed `track:<name>`. Knows nothing of the Store.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from phase_tui.formatting import format_clock
from phase_tui.loop.listing import TrackGroup

TRACK_KEY_PREFIX = "track:"
COLUMNS = (
    ("name", "name", None),
    ("version", "version", 8),
    ("length", "duration", 6),
    ("LUFS", "loudness", 6),
    ("peak", None, 6),
    ("exported", "time", 12),
    ("status", None, 10),
)
"""(label, the sort it selects when its header is clicked, width)."""


class BounceTable(DataTable[Text | str]):
    """Tracks and their versions; the cursor moves by row."""

    DEFAULT_CSS = """
    BounceTable { height: 1fr; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)

    def on_mount(self) -> None:
        for label, sort, width in COLUMNS:
            self.add_column(label, key=sort or label, width=width)

    def show(self, groups: Sequence[TrackGroup]) -> None:
        """Replace the rows with `groups`; the cursor stays on its record when it still shows."""
        selected = self.selected_key()
        self.clear()
        for group in groups:
            self.add_row(*_track_cells(group), key=TRACK_KEY_PREFIX + group.track)
            for record in group.versions:
                self.add_row(*_version_cells(record), key=str(record["id"]))
        if selected is not None and selected in self.rows:
            self.move_cursor(row=self.get_row_index(selected), animate=False)

    def selected_key(self) -> str | None:
        """The row key under the cursor, or None when the table is empty."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return str(key) if key is not None else None


def _track_cells(group: TrackGroup) -> tuple[Text, ...]:
    count = len(group.versions)
    label = Text(group.track, style="bold")
    label.append(f"  {count} version{'s' if count != 1 else ''}", style="dim")
    return (label, *(Text("") for _ in COLUMNS[1:]))


def _version_cells(record: Mapping[str, Any]) -> tuple[Text | str, ...]:
    status = str(record.get("status") or "ok")
    status_text = Text(status, style="" if status == "ok" else _STATUS_STYLES.get(status, ""))
    return (
        Text("  " + str(record.get("name"))),
        str(record.get("version") or ""),
        format_clock(record.get("duration_s")),
        _level(record.get("lufs")),
        _level(record.get("peak_dbfs")),
        time.strftime("%d %b %H:%M", time.localtime(float(record.get("mtime") or 0))),
        status_text,
    )


def _level(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, (int, float)) else "—"


_STATUS_STYLES = {"unreadable": "bold red", "missing": "yellow", "duplicate": "dim"}
