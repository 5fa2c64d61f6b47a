"""The curator, and the oracle phase's screen: the sample queue one sample at a time.

The table lists the queue with BPM, key, length and loudness; the side shows the sample
under the cursor: its waveform, metadata, tags, and samples like it. Resting on a sample
plays it after `[oracle] autoplay_delay_s`, so scrolling fast stays quiet; space stops or
plays, enter plays it again from the start. `a` approves, `x` rejects, `s` skips (each
moves on), `u` undoes, `e` edits tags, `l` finds more like this. On the waveform (tab):
shift+arrows select a region, `v` plays it, `S` saves it as a slice (snapped, with fades)
and logs it with a screenshot of this screen. `R` puts the sample, or the slice just
saved, into a remix session. `i` re-scans the crates for new samples.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from phase_tui.formatting import format_sample_length
from phase_tui.oracle.curation import CurationQueue, QueueFilter
from phase_tui.store import Record
from screens.base import StudioScreen
from screens.tag_editor import TagEditor
from screens.text_prompt import TextPrompt
from widgets.waveform import Waveform

ROWS_SHOWN = 1000  # the table shows the head of the queue; the summary says how long it is
SUGGESTIONS_SHOWN = 6


class CuratorScreen(StudioScreen):
    """Approve, reject, skip, tag, slice and collect samples."""

    DEFAULT_CSS = """
    CuratorScreen #queue-filter { margin: 0 1; }
    CuratorScreen #queue { width: 3fr; height: 1fr; }
    CuratorScreen #sample-side { width: 2fr; min-width: 40; padding: 0 1; }
    CuratorScreen #sample-title { text-style: bold; color: $accent; }
    CuratorScreen #sample-wave { height: 9; }
    CuratorScreen #sample-meta, CuratorScreen #sample-like { height: auto; }
    CuratorScreen #queue-summary { padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("space", "play", "Play/stop", id="curator.play"),
        Binding("a", "decide('approved')", "Approve", id="curator.approve"),
        Binding("x", "decide('rejected')", "Reject", id="curator.reject"),
        Binding("s", "decide('skipped')", "Skip", id="curator.skip"),
        Binding("u", "undo", "Undo", id="curator.undo"),
        Binding("e", "edit_tags", "Tags", id="curator.tags"),
        Binding("l", "like", "More like this", id="curator.like"),
        Binding("v", "preview_region", "Play region", id="curator.preview"),
        Binding("S", "save_slice", "Save slice", id="curator.slice"),
        Binding("R", "to_remix", "To remix", id="curator.remix"),
        Binding("i", "scan", "Scan crates", id="curator.scan"),
        Binding("slash", "filter", "Filter", id="curator.filter"),
        Binding("escape", "leave_filter", "Back to the queue", show=False),
    ]

    def __init__(self, phase: str | None = None) -> None:
        super().__init__(id=f"phase-{phase}" if phase else "curator")
        self.phase = phase
        self.queue: list[Record] = []
        self._by_id: dict[str, Record] = {}
        self._shown_key: tuple[object, ...] = ()
        self._shown_sample: str | None = None
        self._autoplay: Timer | None = None
        self._selection: tuple[float, float] | None = None
        self._last_slice: Path | None = None
        self._remix_session: str | None = None
        self._curation: CurationQueue | None = None

    @property
    def curation(self) -> CurationQueue:
        if self._curation is None:
            app = self.studio_app
            self._curation = CurationQueue(
                app.context.store,
                session=lambda: str(app.session["name"]),
                phase=lambda: app.switcher.current,
                clock=app.clock,
            )
        return self._curation

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="/ filter: words, crate:NAME, tag:NAME, 0.2-3s", id="queue-filter")
        with Horizontal():
            yield DataTable(id="queue", cursor_type="row")
            with Vertical(id="sample-side"):
                yield Static(id="sample-title")
                yield Waveform(self.studio_app.context.config.waveform.style, id="sample-wave")
                yield Static(id="sample-meta")
                yield Static(id="sample-like")
        yield Static(id="queue-summary")

    def on_mount(self) -> None:  # StudioScreen.on_mount runs too (Textual calls each class's)
        self.watch(self.app, "playing", self._playing_changed, init=False)

    # ------------------------------------------------------------------ the queue
    def refresh_view(self) -> None:
        self._load_queue()

    @work(thread=True, exclusive=True, group="curator-queue")
    def _load_queue(self) -> None:
        """Read the queue off the UI thread (the library may hold 100,000 samples)."""
        store = self.studio_app.context.store
        key = (store.revision("samples"), store.revision("decisions"), self._filter_text())
        if key == self._shown_key:
            return
        queue = self.curation.samples(QueueFilter.parse(self._filter_text()))
        self.app.call_from_thread(self._show_queue, key, queue)

    def _filter_text(self) -> str:
        return self.query_one("#queue-filter", Input).value

    def _show_queue(self, key: tuple[object, ...], queue: list[Record]) -> None:
        self._shown_key = key
        self.queue = queue
        self._by_id = {str(r["id"]): r for r in queue}
        table = self.query_one("#queue", DataTable)
        current = self.current()
        table.clear(columns=not table.columns)
        if not table.columns:
            for label, width in (("sample", 26), ("crate", 10), ("length", 6), ("bpm", 4),
                                 ("key", 8), ("dBFS", 4)):  # fmt: skip
                table.add_column(label, key=label, width=width)
        for record in queue[:ROWS_SHOWN]:
            table.add_row(*_cells(record), key=str(record["id"]))
        if current is not None and str(current["id"]) in table.rows:
            table.move_cursor(row=table.get_row_index(str(current["id"])), animate=False)
        if self.focused is None:
            table.focus()
        self._show_sample()
        self._show_progress()

    def current(self) -> Record | None:
        """The sample under the cursor."""
        table = self.query_one("#queue", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._by_id.get(str(key))

    def _show_progress(self) -> None:
        progress = self.curation.progress(len(self.queue))
        self.studio_app.set_hud_slot("oracle", progress.text())
        shown = min(len(self.queue), ROWS_SHOWN)
        line = f"{len(self.queue)} samples to curate"
        if shown < len(self.queue):
            line += f" (the first {shown} listed)"
        if self.studio_app.playing:
            line += f" · ▶ {Path(self.studio_app.playing).name} (space stops)"
        self.query_one("#queue-summary", Static).update(line)

    def _playing_changed(self, _playing: str) -> None:
        if self.body_ready:
            self._show_progress()

    # ------------------------------------------------------------------ the sample
    @on(DataTable.RowHighlighted, "#queue")
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_sample()

    @on(DataTable.RowSelected, "#queue")
    def _selected(self, _event: DataTable.RowSelected) -> None:
        self._play_current(again=True)

    def _show_sample(self) -> None:
        """The sample under the cursor: its details always, its waveform and the auto-play
        only when the cursor moved to another sample."""
        record = self.current()
        sample_id = str(record["id"]) if record else None
        if record is None:
            self.query_one("#sample-title", Static).update("Nothing left to curate")
            self.query_one("#sample-meta", Static).update(
                "Put folders or playlists in crates/ and press i to scan them."
            )
        else:
            self.query_one("#sample-title", Static).update(str(record.get("name")))
            self.query_one("#sample-meta", Static).update(self._meta(record))
        if sample_id == self._shown_sample:
            return
        self._shown_sample = sample_id
        self._selection = None
        self.query_one("#sample-like", Static).update("")
        if record is None:
            self.query_one(Waveform).show_message("no sample")
            return
        self.query_one(Waveform).show_message("reading…")
        self._load_peaks(record)
        self._schedule_autoplay()

    def _meta(self, record: Record) -> Text:
        from phase_tui.tags import SAMPLE_TAGS

        tags = (self.studio_app.context.store.get(SAMPLE_TAGS, str(record["id"])) or {}).get(
            "tags", []
        )
        text = Text()
        length = format_sample_length(record.get("duration_s"))
        text.append(f"{record.get('crate', '—')} · {length}")
        text.append(f" · {record.get('sample_rate_hz') or '?'} Hz · {record.get('format', '')}")
        text.append(f"\n{self.studio_app.context.studio.relative(self._path(record))}", "dim")
        if tags:
            text.append("\n" + " ".join(f"#{tag}" for tag in tags), style="cyan")
        return text

    @work(thread=True, exclusive=True, group="curator-peaks", exit_on_error=False)
    def _load_peaks(self, record: Record) -> None:
        from phase_tui.audio.errors import UnreadableAudio
        from phase_tui.audio.overview import load_overview

        try:
            overview = load_overview(self._path(record), self.studio_app.peaks_cache())
        except UnreadableAudio as error:
            self.app.call_from_thread(self.query_one(Waveform).show_message, error.reason)
            return
        if self._shown_sample == str(record["id"]):
            self.app.call_from_thread(self.query_one(Waveform).show, overview.peaks)

    def _path(self, record: Record) -> Path:
        return self.studio_app.context.studio.root / str(record["path"])

    @on(Waveform.SelectionChanged)
    def _selection_changed(self, event: Waveform.SelectionChanged) -> None:
        self._selection = event.selection

    # ------------------------------------------------------------------ playing
    def _schedule_autoplay(self) -> None:
        if self._autoplay is not None:
            self._autoplay.stop()
        delay = self.studio_app.context.config.oracle.autoplay_delay_s
        if delay > 0:
            self._autoplay = self.set_timer(delay, self._play_current)

    def _play_current(self, again: bool = False) -> None:
        """Play the sample under the cursor (from its start when `again`)."""
        record = self.current()
        if record is None:
            return
        path = self._path(record)
        if self.studio_app.playing == str(path) and not again:
            return
        self.studio_app.play_file(path)

    def action_play(self) -> None:
        """Stop what plays, or play the sample under the cursor."""
        if self.studio_app.playing:
            self.studio_app.stop_playing()
        else:
            self._play_current()

    def action_preview_region(self) -> None:
        """Play the region selected on the waveform."""
        record = self.current()
        if record is None or self._selection is None:
            self.app.notify("Select a region on the waveform first (shift+arrows)", timeout=4)
            return
        self._preview_region(record, self._selection)

    @work(thread=True, exit_on_error=False, group="curator-slice")
    def _preview_region(self, record: Record, selection: tuple[float, float]) -> None:
        from phase_tui.oracle.slicer import save_slice

        start, end = self._snapped(record, selection)
        folder = self.studio_app.context.studio.cache_dir / "preview"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink(missing_ok=True)
        fade = self.studio_app.context.config.oracle.fade_ms
        path = save_slice(self._path(record), start, end, folder, fade_ms=fade)
        self.app.call_from_thread(self.studio_app.play_file, path)

    def _snapped(self, record: Record, selection: tuple[float, float]) -> tuple[int, int]:
        from phase_tui.oracle.slicer import snap_region

        settings = self.studio_app.context.config.oracle
        bpm = record.get("bpm")
        snap = settings.snap if settings.snap != "beat" or bpm else "zero"
        return snap_region(self._path(record), selection[0], selection[1], snap, bpm)

    # ------------------------------------------------------------------ deciding
    def action_decide(self, decision: str) -> None:
        """Approve, reject or skip the sample and move on to the next."""
        record = self.current()
        if record is None:
            return
        self.curation.decide(str(record["id"]), decision)
        self.studio_app.stop_playing()
        table = self.query_one("#queue", DataTable)
        row = table.cursor_row
        next_id = self.queue[row + 1]["id"] if row + 1 < len(self.queue) else None
        self._shown_sample = None
        self._shown_key = ()
        self.refresh_view()
        if next_id is not None:
            self.call_after_refresh(self._move_to, str(next_id))

    def _move_to(self, sample_id: str) -> None:
        table = self.query_one("#queue", DataTable)
        if sample_id in table.rows:
            table.move_cursor(row=table.get_row_index(sample_id), animate=False)

    def action_undo(self) -> None:
        """Take the last decision back; the sample returns under the cursor."""
        sample_id = self.curation.undo()
        if sample_id is None:
            self.app.notify("Nothing to undo", timeout=3)
            return
        self._shown_key = ()
        self.refresh_view()
        self.call_after_refresh(self._move_to, sample_id)

    def action_edit_tags(self) -> None:
        """Edit the tags of the sample under the cursor."""
        from phase_tui.tags import SAMPLE_TAGS

        record = self.current()
        if record is None:
            return
        sample_id = str(record["id"])
        tags = (self.studio_app.context.store.get(SAMPLE_TAGS, sample_id) or {}).get("tags", [])

        def apply(new: list[str] | None) -> None:
            if new is not None:  # the views refresh once the tags are stored
                self.studio_app.set_item_tags("samples", sample_id, new)

        self.app.push_screen(TagEditor(str(record["name"]), list(tags)), apply)

    def memo_focus(self) -> dict[str, str] | None:
        """What a voice memo recorded now tags: the sample under the cursor."""
        record = self.current()
        if record is None:
            return None
        return {"kind": "samples", "id": str(record["id"]), "name": str(record["name"])}

    def action_like(self) -> None:
        """Show the samples most like this one: in sound, raised by shared tags."""
        record = self.current()
        if record is not None:
            self._find_like(record)

    @work(thread=True, exclusive=True, group="curator-like", exit_on_error=False)
    def _find_like(self, record: Record) -> None:
        from phase_tui.oracle.miner import studio_library
        from phase_tui.oracle.suggest import suggest
        from phase_tui.tags import SAMPLE_TAGS

        app = self.studio_app
        matrix = studio_library(app.context).features()
        tags = {str(r["id"]): r.get("tags") or [] for r in app.context.store.all(SAMPLE_TAGS)}
        try:
            found = suggest(matrix, str(record["id"]), SUGGESTIONS_SHOWN, tags=tags)
        except KeyError:
            app.call_from_thread(app.notify, "No features for this sample yet (scan: i)")
            return
        store = app.context.store
        text = Text("More like this:", style="bold")
        for sample_id, score in found:
            other = store.get("samples", sample_id) or {}
            text.append(f"\n{score:.2f}  {other.get('name', sample_id)}")
        self.app.call_from_thread(self.query_one("#sample-like", Static).update, text)

    # ------------------------------------------------------------------ slices, remix
    def action_save_slice(self) -> None:
        """Save the selected region as a slice in slices/, log it with a screenshot."""
        record = self.current()
        if record is None or self._selection is None:
            self.app.notify("Select a region on the waveform first (shift+arrows)", timeout=4)
            return
        self._save_slice(record, self._selection)

    @work(thread=True, exit_on_error=False, group="curator-slice")
    def _save_slice(self, record: Record, selection: tuple[float, float]) -> None:
        import soundfile

        from phase_tui.oracle.slice_log import log_slice
        from phase_tui.oracle.slicer import save_slice
        from phase_tui.tags import SAMPLE_TAGS

        app = self.studio_app
        source = self._path(record)
        start, end = self._snapped(record, selection)
        rate = soundfile.info(str(source)).samplerate
        fade = app.context.config.oracle.fade_ms
        path = save_slice(source, start, end, app.context.studio.folder("slices"), fade_ms=fade)
        shot = app.call_from_thread(
            app.save_screenshot, path.with_suffix(".svg").name, str(path.parent)
        )
        tags = (app.context.store.get(SAMPLE_TAGS, str(record["id"])) or {}).get("tags", [])
        log_slice(
            app.context.store,
            path=path,
            source=source,
            source_id=str(record["id"]),
            start_s=start / rate,
            end_s=end / rate,
            session=str(app.session["name"]),
            phase=app.switcher.current,
            tags=tags,
            screenshot=Path(shot),
            at=app.clock(),
        )
        self._last_slice = path
        shown = app.context.studio.relative(path)
        app.call_from_thread(app.notify, f"{shown} (and its screenshot)", title="Slice saved")

    def action_to_remix(self) -> None:
        """Copy the slice just saved, else the sample, into a remix session."""
        record = self.current()
        if record is None and self._last_slice is None:
            return
        if self._remix_session is None:

            def chosen(name: str | None) -> None:
                if name and name.strip():
                    self._remix_session = name.strip()
                    self.action_to_remix()

            self.app.push_screen(TextPrompt("Remix session to put fragments in:"), chosen)
            return
        self._add_to_remix(record, self._remix_session)

    @work(thread=True, exit_on_error=False, group="curator-remix")
    def _add_to_remix(self, record: Record | None, session: str) -> None:
        from phase_tui.oracle.remix import RemixSessions

        app = self.studio_app
        sessions = RemixSessions(app.context.studio.folder("remix"))
        if session not in sessions.names():
            sessions.create(session)
        if self._last_slice is not None:
            fragment = sessions.add(session, self._last_slice, kind="slice")
            self._last_slice = None
        else:
            assert record is not None
            fragment = sessions.add(
                session, self._path(record), kind="sample", source_id=str(record["id"])
            )
        app.call_from_thread(app.notify, f"{fragment['file']} → remix/{session}", title="Remix")

    def action_scan(self) -> None:
        """Re-scan every crate for new, changed and vanished samples."""
        self.studio_app.scan_crates()

    # ------------------------------------------------------------------ filter
    @on(Input.Changed, "#queue-filter")
    def _filter_changed(self, _event: Input.Changed) -> None:
        self.refresh_view()

    @on(Input.Submitted, "#queue-filter")
    def _filter_submitted(self, _event: Input.Submitted) -> None:
        self.query_one("#queue", DataTable).focus()

    def action_filter(self) -> None:
        """Type to filter the queue."""
        self.query_one("#queue-filter", Input).focus()

    def action_leave_filter(self) -> None:
        """Back to the queue (the filter stays as typed)."""
        self.query_one("#queue", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        return self.body_ready


def _cells(record: Record) -> tuple[str | Text, ...]:
    level = record.get("rms_dbfs")
    return (
        str(record.get("name", "")),
        str(record.get("crate", "")),
        format_sample_length(record.get("duration_s")),
        f"{record['bpm']:g}" if record.get("bpm") else "",
        str(record.get("key") or ""),
        f"{level:.0f}" if isinstance(level, int | float) else "",
    )
