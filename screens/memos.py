"""The memo screen: every voice memo with its length, status, tags and first words, and the
selected one's transcript with timestamps and what its words did.

Space plays a memo (or stops it), `t` transcribes it again, `T` transcribes every pending
memo, `e` edits its tags, `x` moves it to the trash. The list follows the Store: a memo
recorded or transcribed meanwhile shows up as it changes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from phase_tui.formatting import format_clock
from phase_tui.store import Record
from phase_tui.voice.memos import MEMOS, memo_title
from screens.base import StudioScreen
from screens.tag_editor import TagEditor

STATUS_STYLES = {
    "recording": "bold red",
    "pending": "yellow",
    "transcribing": "cyan",
    "done": "green",
    "failed": "bold red",
}
WORDS_SHOWN = 48


class MemosScreen(StudioScreen):
    """Browse, play, re-transcribe, tag and delete voice memos."""

    DEFAULT_CSS = """
    MemosScreen #memo-table { width: 3fr; height: 1fr; }
    MemosScreen #memo-side { width: 2fr; min-width: 36; padding: 0 1; }
    MemosScreen #memo-summary { padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("space", "play", "Play/stop", id="memos.play"),
        Binding("t", "transcribe", "Transcribe", id="memos.transcribe"),
        Binding("T", "transcribe_pending", "Transcribe pending", id="memos.transcribe_pending"),
        Binding("e", "edit_tags", "Tags", id="memos.tags"),
        Binding("x,delete", "delete", "To trash", id="memos.delete"),
    ]

    def __init__(self) -> None:
        super().__init__(id="memos")
        self._by_id: dict[str, Record] = {}
        self._shown: tuple[object, ...] = ()
        self._wanted: str | None = None  # a memo to put the cursor on once it is listed

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="memo-table", cursor_type="row")
            with VerticalScroll(id="memo-side"):
                yield Static(id="memo-detail")
        yield Static(id="memo-summary")

    def on_mount(self) -> None:  # StudioScreen.on_mount runs too (Textual calls each class's)
        self.watch(self.app, "playing", self._playing_changed, init=False)

    # ------------------------------------------------------------------ data
    def refresh_view(self) -> None:
        """Rebuild the rows when a memo changed (newest first)."""
        records = self.studio_app.context.store.all(MEMOS)[::-1]
        shown = tuple(r.get("updated_at") for r in records)
        if shown == self._shown:
            return
        self._shown = shown
        self._by_id = {str(r["id"]): r for r in records}
        table = self.query_one("#memo-table", DataTable)
        selected = self.selected()
        table.clear(columns=not table.columns)
        if not table.columns:
            for label, width in (("recorded", 12), ("length", 6), ("status", 12), ("tags", 16)):
                table.add_column(label, key=label, width=width)
            table.add_column("words", key="words")
        for record in records:
            table.add_row(*_cells(record), key=str(record["id"]))
        wanted = self._wanted or (str(selected["id"]) if selected else None)
        if wanted in self._by_id:
            table.move_cursor(row=table.get_row_index(wanted), animate=False)
            self._wanted = None
        if self.focused is None:
            table.focus()
        self._show_detail()
        self._show_summary()

    def focus_on(self, memo_id: str) -> None:
        """Put the cursor on a memo (now, or once the list is shown)."""
        self._wanted = memo_id
        if self.body_ready:
            self._shown = ()
            self.refresh_view()

    def selected(self) -> Record | None:
        """The memo under the cursor, as last read."""
        table = self.query_one("#memo-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._by_id.get(str(key))

    def _show_detail(self) -> None:
        record = self.selected()
        detail = self.query_one("#memo-detail", Static)
        detail.update(_detail(record) if record else "No memos yet: press m to record one.")

    def _show_summary(self) -> None:
        records = list(self._by_id.values())
        pending = sum(1 for r in records if r.get("status") == "pending")
        line = f"{len(records)} memos · {pending} pending"
        playing = self.studio_app.playing
        if playing:
            line += f" · ▶ {Path(playing).name} (space stops)"
        self.query_one("#memo-summary", Static).update(line)

    def _playing_changed(self, _playing: str) -> None:
        if self.body_ready:
            self._show_summary()

    @on(DataTable.RowHighlighted, "#memo-table")
    def _row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    # ------------------------------------------------------------------ actions
    def _chosen(self) -> Record | None:
        record = self.selected()
        if record is None:
            self.app.notify("No memo selected", severity="warning", timeout=3)
        return record

    def action_play(self) -> None:
        """Play the selected memo, or stop it."""
        if (record := self._chosen()) is not None:
            self.studio_app.toggle_play(Path(record["path"]))

    def action_transcribe(self) -> None:
        """Transcribe the selected memo (again)."""
        if (record := self._chosen()) is None:
            return
        if record.get("status") == "recording":
            self.app.notify("The memo is still recording", severity="warning", timeout=3)
            return
        self.studio_app.memo_controls.service.transcribe(str(record["id"]))
        self.app.notify(f"{memo_title(record)}: transcribing", timeout=3)

    def action_transcribe_pending(self) -> None:
        """Transcribe every memo still waiting for its transcript."""
        queued = self.studio_app.memo_controls.service.transcribe_pending()
        self.app.notify(f"{queued} pending memo(s) queued", timeout=3)

    def action_edit_tags(self) -> None:
        """Edit the selected memo's tags."""
        if (record := self._chosen()) is None:
            return
        memo_id = str(record["id"])

        def apply(tags: list[str] | None) -> None:
            if tags is not None:
                self.studio_app.memo_controls.service.set_tags(memo_id, tags)

        self.app.push_screen(TagEditor(memo_title(record), list(record.get("tags", []))), apply)

    def action_delete(self) -> None:
        """Move the selected memo's audio and transcript to the trash."""
        if (record := self._chosen()) is None:
            return
        try:
            folder = self.studio_app.memo_controls.service.delete(str(record["id"]))
        except LookupError as error:
            self.app.notify(str(error), severity="warning", timeout=4)
            return
        shown = self.studio_app.context.studio.relative(folder)
        self.app.notify(f"{memo_title(record)} moved to {shown}/", timeout=5)

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        return self.body_ready  # every key of this screen works on its body


def _cells(record: Record) -> tuple[Text | str, ...]:
    status = str(record.get("status", "?"))
    when = time.strftime("%d %b %H:%M", time.localtime(float(record.get("started_at", 0))))
    words = str(record.get("text") or record.get("error") or "")
    if len(words) > WORDS_SHOWN:
        words = words[: WORDS_SHOWN - 1] + "…"
    return (
        when,
        format_clock(record.get("duration_s")),
        Text(status, style=STATUS_STYLES.get(status, "")),
        " ".join(f"#{tag}" for tag in record.get("tags", [])),
        words,
    )


def _detail(record: Record) -> Text:
    """The selected memo: title, status, tags, actions, then the timed transcript."""
    text = Text(memo_title(record), style="bold")
    text.append(f"\n{Path(record['path']).name} · {record.get('status')}")
    text.append(f" · session {record.get('session')} · {record.get('phase')}")
    if record.get("error"):
        text.append(f"\n{record['error']}", style="yellow")
    if record.get("tags"):
        text.append("\n" + " ".join(f"#{tag}" for tag in record["tags"]), style="cyan")
    for line in record.get("actions", []):
        text.append(f"\n→ {line}", style="green")
    segments = (record.get("transcript") or {}).get("segments", [])
    if segments:
        text.append("\n")
    for segment in segments:
        text.append(f"\n[{format_clock(float(segment['start_s']))}] ", style="dim")
        text.append(str(segment["text"]).strip())
    return text
