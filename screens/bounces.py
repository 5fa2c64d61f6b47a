"""The bounce catalogue: every bounce grouped by track, a filter, a detail pane, playback.

Sorted by time, name, duration or loudness (a key cycles, `r` reverses, a click on a
column header picks it); the filter keeps the rows with every typed word in their name,
track, format, status, session or phase. Space plays or stops the selected bounce, enter
opens it up close (waveform, sections, loudness), `a` makes its PNG art.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Static

from phase_tui.loop.listing import DESCENDING_FIRST, SORTS, TrackGroup, grouped
from phase_tui.store import Record
from screens.base import StudioScreen
from screens.tag_editor import TagEditor
from widgets.bounce_detail import BounceDetail
from widgets.bounce_table import TRACK_KEY_PREFIX, BounceTable

SORT_WORDS = {
    ("time", True): "newest first",
    ("time", False): "oldest first",
    ("name", False): "A to Z",
    ("name", True): "Z to A",
    ("duration", True): "longest first",
    ("duration", False): "shortest first",
    ("loudness", True): "loudest first",
    ("loudness", False): "quietest first",
}


class BouncesScreen(StudioScreen):
    """Browse, filter and play the bounces of the studio."""

    DEFAULT_CSS = """
    BouncesScreen #bounce-filter { margin: 0 1; }
    BouncesScreen #bounce-table { width: 3fr; }
    BouncesScreen #bounce-side { width: 2fr; min-width: 36; }
    BouncesScreen #bounce-summary { padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("space", "play", "Play/stop", id="bounces.play"),
        Binding("s", "cycle_sort", "Sort", id="bounces.sort"),
        Binding("r", "reverse", "Reverse", id="bounces.reverse"),
        Binding("c", "copy_folder", "Copy folder", id="bounces.copy_folder"),
        Binding("a", "art", "PNG art", id="bounces.art"),
        Binding("e", "edit_tags", "Tags", id="bounces.tags"),
        Binding("slash", "filter", "Filter", id="bounces.filter"),
        Binding("escape", "leave_filter", "Back to the table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="bounces")
        self.sort = "time"
        self.reverse = False
        self.groups: list[TrackGroup] = []
        self._by_id: dict[str, Record] = {}  # every record of the last refresh, shown or not
        self._shown: tuple[object, ...] = ()

    def compose_body(self) -> ComposeResult:
        yield Input(
            placeholder="/ filter: words of name, track, format, status…", id="bounce-filter"
        )
        with Horizontal():
            yield BounceTable(id="bounce-table")
            with VerticalScroll(id="bounce-side"):
                yield BounceDetail(id="bounce-detail")
        yield Static(id="bounce-summary")

    def on_mount(self) -> None:  # StudioScreen.on_mount runs too (Textual calls each class's)
        self.watch(self.app, "playing", self._playing_changed, init=False)

    # ------------------------------------------------------------------ data
    def refresh_view(self) -> None:
        """Rebuild the rows when the records, the sort or the filter changed."""
        records = self.studio_app.bounce_records()
        text = self.query_one("#bounce-filter", Input).value
        shown = (self.sort, self.reverse, text, *(r.get("updated_at") or r["id"] for r in records))
        if shown == self._shown:
            return
        self._shown = shown
        self._by_id = {str(r["id"]): r for r in records}
        self.groups = grouped(records, self.sort, self.reverse, text)
        table = self.query_one(BounceTable)
        table.show(self.groups)
        if self.focused is None:
            table.focus()
        self._show_detail(table.selected_key())
        self._show_summary()

    def selected(self) -> Record | None:
        """The bounce under the cursor (None on a track's row or in an empty table)."""
        key = self.query_one(BounceTable).selected_key()
        return self._by_id.get(key) if key else None

    def memo_focus(self) -> dict[str, str] | None:
        """What a voice memo recorded now tags: the selected bounce."""
        record = self.selected()
        return {"kind": "bounces", "id": record["id"], "name": record["name"]} if record else None

    def _show_detail(self, key: str | None) -> None:
        detail = self.query_one(BounceDetail)
        if key is None:
            detail.clear_detail()
        elif key.startswith(TRACK_KEY_PREFIX):
            track = key.removeprefix(TRACK_KEY_PREFIX)
            detail.show_track(next(g for g in self.groups if g.track == track))
        elif (record := self._by_id.get(key)) is not None:
            original = self._by_id.get(str(record.get("duplicate_of")))
            detail.show_bounce(record, original["name"] if original else None)

    def _show_summary(self) -> None:
        versions = sum(len(g.versions) for g in self.groups)
        order = SORT_WORDS[(self.sort, (self.sort in DESCENDING_FIRST) != self.reverse)]
        line = f"{versions} bounces in {len(self.groups)} tracks · by {self.sort}, {order}"
        playing = self.studio_app.playing
        if playing:
            line += f" · ▶ {Path(playing).name} (space stops)"
        self.query_one("#bounce-summary", Static).update(line)

    def _playing_changed(self, _playing: str) -> None:
        if self.body_ready:
            self._show_summary()

    # ------------------------------------------------------------------ events
    @on(DataTable.RowHighlighted, "#bounce-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(str(event.row_key.value))

    @on(DataTable.RowSelected, "#bounce-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if (record := self._by_id.get(str(event.row_key.value))) is not None:
            self.studio_app.open_bounce(record)

    @on(DataTable.HeaderSelected, "#bounce-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        sort = str(event.column_key.value)
        if sort in SORTS:
            self.reverse = not self.reverse if sort == self.sort else False
            self.sort = sort
            self.refresh_view()

    @on(Input.Changed, "#bounce-filter")
    def _filter_changed(self, _event: Input.Changed) -> None:
        self.refresh_view()

    @on(Input.Submitted, "#bounce-filter")
    def _filter_submitted(self, _event: Input.Submitted) -> None:
        self.query_one(BounceTable).focus()

    # ------------------------------------------------------------------ actions
    def action_play(self) -> None:
        """Play the selected bounce, or stop it when it plays."""
        record = self.selected()
        if record is None:
            self.app.notify("Select a bounce to play", severity="warning", timeout=3)
            return
        self.studio_app.toggle_playback(record)

    def action_cycle_sort(self) -> None:
        """Sort by the next of time, name, duration, loudness."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reverse = False
        self.refresh_view()

    def action_reverse(self) -> None:
        """Flip the direction of the sort."""
        self.reverse = not self.reverse
        self.refresh_view()

    def action_copy_folder(self) -> None:
        """Copy the selected bounce's folder to the clipboard and show it."""
        record = self.selected()
        if record is None:
            self.app.notify("Select a bounce first", severity="warning", timeout=3)
            return
        folder = str(self.studio_app.bounce_path(record).parent)
        self.app.copy_to_clipboard(folder)
        self.app.notify(folder, title="Folder copied to the clipboard", timeout=8)

    def action_art(self) -> None:
        """Make the PNG art of the selected bounce in art/."""
        record = self.selected()
        if record is None:
            self.app.notify("Select a bounce first", severity="warning", timeout=3)
            return
        self.studio_app.make_art(record)

    def action_edit_tags(self) -> None:
        """Edit the selected bounce's tags."""
        record = self.selected()
        if record is None:
            self.app.notify("Select a bounce first", severity="warning", timeout=3)
            return
        bounce_id = str(record["id"])

        def apply(tags: list[str] | None) -> None:
            if tags is not None:
                self.studio_app.set_item_tags("bounces", bounce_id, tags)

        self.app.push_screen(TagEditor(str(record["name"]), list(record.get("tags") or [])), apply)

    def action_filter(self) -> None:
        """Type words to filter the bounces."""
        self.query_one("#bounce-filter", Input).focus()

    def action_leave_filter(self) -> None:
        """Back to the table (the filter stays as typed)."""
        self.query_one(BounceTable).focus()

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        return self.body_ready  # every key of this screen works on its body
