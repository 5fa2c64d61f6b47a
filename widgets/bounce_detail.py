"""Everything known about one bounce (or one track), as a two-column table."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from phase_tui.formatting import format_clock
from phase_tui.loop.listing import TrackGroup


class BounceDetail(Static):
    """`show_bounce(record)` or `show_track(group)`; `clear_detail()` when nothing is selected."""

    DEFAULT_CSS = """
    BounceDetail { padding: 0 1; height: auto; }
    """

    def show_bounce(self, record: Mapping[str, Any], duplicate_of: str | None = None) -> None:
        """All metadata of one bounce; `duplicate_of` names the original of a duplicate."""
        table = _grid()
        for label, value in bounce_fields(record, duplicate_of):
            table.add_row(label, value)
        self.update(table)

    def show_track(self, group: TrackGroup) -> None:
        """A track: how many versions, the newest, the total length."""
        table = _grid()
        newest = max(group.versions, key=lambda r: float(r.get("mtime") or 0))
        lengths = [float(r["duration_s"]) for r in group.versions if r.get("duration_s")]
        table.add_row("track", Text(group.track, style="bold"))
        table.add_row("versions", str(len(group.versions)))
        table.add_row("newest", str(newest.get("name")))
        table.add_row("longest", format_clock(max(lengths)) if lengths else "—")
        self.update(table)

    def clear_detail(self) -> None:
        self.update(Text("No bounce selected", style="dim"))


def bounce_fields(
    record: Mapping[str, Any], duplicate_of: str | None = None
) -> list[tuple[str, Text | str]]:
    """(label, value) rows describing a bounce, in reading order."""
    status = str(record.get("status") or "ok")
    rows: list[tuple[str, Text | str]] = [
        ("name", Text(str(record.get("name")), style="bold")),
        ("track", f"{record.get('track')}  ({record.get('version') or 'first'})"),
        ("path", str(record.get("path"))),
        ("status", _status(record, status)),
    ]
    if duplicate_of:
        rows.append(("same as", duplicate_of))
    rows += [
        ("size", f"{int(record.get('size') or 0) / 1_048_576:.1f} MB"),
        ("exported", _when(record.get("mtime"))),
        ("length", format_clock(record.get("duration_s"))),
        ("format", f"{record.get('format') or '—'} {record.get('subtype') or ''}".strip()),
        ("rate", _rate(record)),
        ("channels", str(record.get("channels") or "—")),
        ("peak", _db(record.get("peak_dbfs"), "dBFS", record)),
        ("RMS", _db(record.get("rms_dbfs"), "dBFS", record)),
        ("loudness", _db(record.get("lufs"), "LUFS", record)),
        ("hash", str(record.get("hash") or "—")[:16]),
        ("session", str(record.get("session") or "—")),
        ("phase", str(record.get("phase") or "—")),
        ("form map", str(record.get("form") or "—")),
        ("tags", Text(" ".join(f"#{t}" for t in record.get("tags") or ()) or "—", style="cyan")),
    ]
    return rows


def _grid() -> Table:
    table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
    table.add_column("field", style="dim", no_wrap=True, width=9)
    table.add_column("value", overflow="fold")
    return table


def _status(record: Mapping[str, Any], status: str) -> Text:
    reason = record.get("reason") or record.get("problem")
    text = Text(status, style={"ok": "green", "unreadable": "bold red"}.get(status, "yellow"))
    if reason:
        text.append(f": {reason}", style="")
    return text


def _when(mtime: object) -> str:
    if not isinstance(mtime, (int, float)):
        return "—"
    return time.strftime("%a %d %b %Y %H:%M:%S", time.localtime(mtime))


def _rate(record: Mapping[str, Any]) -> str:
    rate = record.get("sample_rate_hz")
    return f"{int(rate) / 1000:g} kHz" if rate else "—"


def _db(value: object, unit: str, record: Mapping[str, Any]) -> str:
    if isinstance(value, (int, float)):
        return f"{value:.1f} {unit}"
    if not record.get("analysed") and record.get("status", "ok") == "ok":
        return "measuring…"
    return "—"
