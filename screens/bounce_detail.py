"""One bounce up close: its waveform with the section map, loudness over time, its metadata.

Opened with enter on a bounce in the catalogue. The peaks are read on a worker (from the
cache when the file is known: instant) while the waveform shows how far it got; the
waveform keys move, zoom and select, space plays and stops, `a` makes the PNG art. The
section map is that of the form map the bounce was logged with (bars x tempo), else the
one detected from its energy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from phase_tui.audio.errors import UnreadableAudio
from phase_tui.audio.sections import Section
from phase_tui.store import Record
from screens.base import StudioScreen
from widgets.bounce_detail import BounceDetail
from widgets.loudness_plot import LoudnessPlot
from widgets.waveform import Waveform

if TYPE_CHECKING:
    import numpy as np

    from phase_tui.audio.overview import Overview

PROGRESS_STEP = 0.05  # progress is shown in steps of 5 %


class BounceDetailScreen(StudioScreen):
    """The waveform, loudness plot and metadata of the bounce `record`."""

    DEFAULT_CSS = """
    BounceDetailScreen #detail-title { padding: 0 1; text-style: bold; }
    BounceDetailScreen #detail-title.-problem { color: $warning; }
    BounceDetailScreen Waveform { height: 1fr; min-height: 8; margin: 0 1; }
    BounceDetailScreen LoudnessPlot { height: 10; margin: 0 1; }
    BounceDetailScreen BounceDetail { height: auto; max-height: 12; }
    """

    BINDINGS = [
        Binding("space", "play", "Play/stop", id="detail.play"),
        Binding("a", "art", "PNG art", id="detail.art"),
        Binding("escape,backspace", "back", "Back", id="detail.back"),
    ]

    class Progress(Message):
        def __init__(self, fraction: float) -> None:
            super().__init__()
            self.fraction = fraction

    class Loaded(Message):
        def __init__(self, overview: Overview, sections: tuple[Section, ...]) -> None:
            super().__init__()
            self.overview = overview
            self.sections = sections

    class Failed(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, record: Record) -> None:
        super().__init__()
        self.record = record
        self.overview: Overview | None = None
        self.sections: tuple[Section, ...] = ()  # the form map's, else those detected
        self._curve: tuple[np.ndarray, np.ndarray] | None = None

    def memo_focus(self) -> dict[str, str]:
        """What a voice memo recorded now tags: the bounce shown."""
        return {"kind": "bounces", "id": self.record["id"], "name": self.record["name"]}

    def compose_body(self) -> ComposeResult:
        yield Static(str(self.record.get("name")), id="detail-title")
        yield Waveform(self.studio_app.context.config.waveform.style)
        yield LoudnessPlot()
        yield BounceDetail()

    def refresh_view(self) -> None:
        """Show the metadata as stored now; read the audio the first time."""
        current = self.studio_app.bounce_record(str(self.record["id"])) or self.record
        self.record = current
        self.query_one(BounceDetail).show_bounce(current)
        if self.overview is None:
            self.query_one(Waveform).focus()
            self.query_one(Waveform).show_progress(0.0)
            self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def _load(self) -> None:
        """Read the peaks (the cache, else the audio) and detect the sections."""
        from phase_tui.audio.overview import load_overview
        from phase_tui.audio.peaks import PeaksCancelled

        worker = get_current_worker()
        shown = [0.0]

        def progress(fraction: float) -> None:
            if fraction - shown[0] >= PROGRESS_STEP:
                shown[0] = fraction
                self.post_message(self.Progress(fraction))

        path = self.studio_app.bounce_path(self.record)
        try:
            overview = load_overview(
                path, self.studio_app.peaks_cache(), progress, lambda: worker.is_cancelled
            )
        except UnreadableAudio as error:
            self.post_message(self.Failed(error.reason))
        except PeaksCancelled:
            return
        else:
            self.post_message(self.Loaded(overview, self._form_sections() or overview.sections))

    def _form_sections(self) -> tuple[Section, ...]:
        """The section map of the form map the bounce was made with (bars x tempo), if any."""
        form_id = self.record.get("form")
        version = self.studio_app.form_versions().get(str(form_id)) if form_id else None
        return tuple(version.form.as_sections()) if version else ()

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.query_one(Waveform).show_progress(message.fraction)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.overview = overview = message.overview
        self.sections = message.sections
        if problem := overview.peaks.problem:  # e.g. truncated: drawn as far as it goes
            title = self.query_one("#detail-title", Static)
            title.update(f"{self.record.get('name')} · {problem}")
            title.add_class("-problem")
        self.query_one(Waveform).show(overview.peaks, self.sections)
        self._curve = overview.loudness_curve()
        self.query_one(LoudnessPlot).show(*self._curve, self.sections)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one(Waveform).show_message(f"cannot draw: {message.reason}")

    @on(Waveform.CursorMoved)
    def _cursor_moved(self, message: Waveform.CursorMoved) -> None:
        if self._curve is not None:
            plot = self.query_one(LoudnessPlot)
            plot.show(*self._curve, self.sections, message.cursor_s)

    def action_play(self) -> None:
        """Play this bounce, or stop it."""
        self.studio_app.toggle_playback(self.record)

    def action_art(self) -> None:
        """Make the PNG art of this bounce in art/."""
        self.studio_app.make_art(self.record)

    def action_back(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        return self.body_ready
