"""The remix browser, and the remix phase's screen: the remix sessions (folders under
`remix/` of copied fragments, with a manifest), each one's fragments in order with the
waveform of the one under the cursor.

Space plays a fragment, `[` and `]` move it up and down, `x` takes it out (its copy goes
to the trash), `n` starts a new session. Fragments come from the curator (`R`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from phase_tui.formatting import format_clock
from screens.base import StudioScreen
from screens.text_prompt import TextPrompt
from widgets.waveform import Waveform


class RemixScreen(StudioScreen):
    """Remix sessions and their fragments."""

    DEFAULT_CSS = """
    RemixScreen #remix-sessions { width: 30; height: 1fr; }
    RemixScreen #remix-right { width: 1fr; padding: 0 1; }
    RemixScreen #remix-fragments { height: 1fr; }
    RemixScreen #remix-wave { height: 8; }
    RemixScreen #remix-source { height: auto; color: $text-muted; }
    """
    BINDINGS = [
        Binding("space", "play", "Play/stop", id="remix.play"),
        Binding("left_square_bracket", "move(-1)", "Up", id="remix.up"),
        Binding("right_square_bracket", "move(1)", "Down", id="remix.down"),
        Binding("x", "remove", "Take out", id="remix.remove"),
        Binding("n", "new", "New session", id="remix.new"),
    ]

    def __init__(self, phase: str | None = None) -> None:
        super().__init__(id=f"phase-{phase}" if phase else "remix")
        self.phase = phase
        self._fragments: list[dict[str, Any]] = []
        self._shown: tuple[object, ...] = ()

    @property
    def sessions(self) -> Any:
        from phase_tui.oracle.remix import RemixSessions

        return RemixSessions(self.studio_app.context.studio.folder("remix"))

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="remix-sessions", cursor_type="row")
            with Vertical(id="remix-right"):
                yield DataTable(id="remix-fragments", cursor_type="row")
                yield Waveform(self.studio_app.context.config.waveform.style, id="remix-wave")
                yield Static(id="remix-source")

    def refresh_view(self) -> None:
        names = self.sessions.names()
        counts = [len(self.sessions.manifest(name)["fragments"]) for name in names]
        shown = tuple(zip(names, counts, strict=True))
        if shown != self._shown:
            self._shown = shown
            table = self.query_one("#remix-sessions", DataTable)
            selected = self.session()
            table.clear(columns=not table.columns)
            if not table.columns:
                table.add_column("session", key="session", width=20)
                table.add_column("parts", key="parts", width=5)
            for name, count in shown:
                table.add_row(name, str(count), key=name)
            if selected in table.rows:
                table.move_cursor(row=table.get_row_index(selected), animate=False)
            if self.focused is None:
                table.focus()
        self._show_fragments()

    def session(self) -> str | None:
        """The session under the cursor."""
        table = self.query_one("#remix-sessions", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def fragment(self) -> dict[str, Any] | None:
        """The fragment under the cursor of the fragments table."""
        table = self.query_one("#remix-fragments", DataTable)
        if not table.row_count or not self._fragments:
            return None
        return self._fragments[min(table.cursor_row, len(self._fragments) - 1)]

    def _show_fragments(self, keep: str | None = None) -> None:
        name = self.session()
        self._fragments = self.sessions.manifest(name)["fragments"] if name else []
        table = self.query_one("#remix-fragments", DataTable)
        current = keep or (self.fragment() or {}).get("file")
        table.clear(columns=not table.columns)
        if not table.columns:
            for label, width in (("#", 3), ("fragment", 40), ("kind", 7), ("length", 6)):
                table.add_column(label, key=label, width=width)
        for index, item in enumerate(self._fragments, 1):
            length = format_clock(item.get("duration_s"))
            table.add_row(str(index), item["file"], item.get("kind", ""), length, key=item["file"])
        if current in table.rows:
            table.move_cursor(row=table.get_row_index(current), animate=False)
        self._show_wave()

    @on(DataTable.RowHighlighted, "#remix-sessions")
    def _session_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_fragments()

    @on(DataTable.RowHighlighted, "#remix-fragments")
    def _fragment_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_wave()

    @on(DataTable.RowSelected, "#remix-sessions")
    def _session_selected(self, _event: DataTable.RowSelected) -> None:
        self.query_one("#remix-fragments", DataTable).focus()

    def _file(self, fragment: dict[str, Any]) -> Path:
        return (
            self.studio_app.context.studio.folder("remix") / str(self.session()) / fragment["file"]
        )

    def _show_wave(self) -> None:
        fragment = self.fragment()
        wave = self.query_one(Waveform)
        source = self.query_one("#remix-source", Static)
        if fragment is None:
            wave.show_message("no fragment: add some from the curator (R)")
            source.update("")
            return
        source.update(f"from {fragment.get('source', '?')}")
        wave.show_message("reading…")
        self._load_peaks(self._file(fragment))

    @work(thread=True, exclusive=True, group="remix-peaks", exit_on_error=False)
    def _load_peaks(self, path: Path) -> None:
        from phase_tui.audio.errors import UnreadableAudio
        from phase_tui.audio.overview import load_overview

        wave = self.query_one(Waveform)
        try:
            overview = load_overview(path, self.studio_app.peaks_cache())
        except UnreadableAudio as error:
            self.app.call_from_thread(wave.show_message, error.reason)
            return
        self.app.call_from_thread(wave.show, overview.peaks)

    # ------------------------------------------------------------------ actions
    def action_play(self) -> None:
        """Play the fragment under the cursor, or stop it."""
        fragment = self.fragment()
        if fragment is not None:
            self.studio_app.toggle_play(self._file(fragment))

    def action_move(self, steps: int) -> None:
        """Move the fragment up or down the session's order."""
        name, fragment = self.session(), self.fragment()
        if name is None or fragment is None:
            return
        self.sessions.move(name, fragment["file"], steps)
        self._show_fragments(keep=fragment["file"])

    def action_remove(self) -> None:
        """Take the fragment out of the session (its copy goes to the trash)."""
        name, fragment = self.session(), self.fragment()
        if name is None or fragment is None:
            return
        self.sessions.remove(name, fragment["file"])
        self.app.notify(f"{fragment['file']} taken out of {name} (in trash/remix/)", timeout=5)
        self._shown = ()
        self.refresh_view()

    def action_new(self) -> None:
        """Start a new remix session."""

        def create(name: str | None) -> None:
            if not name or not name.strip():
                return
            try:
                self.sessions.create(name.strip())
            except ValueError as error:
                self.app.notify(str(error), severity="error", timeout=6)
                return
            self._shown = ()
            self.refresh_view()

        self.app.push_screen(TextPrompt("Name of the new remix session:"), create)

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        return self.body_ready
