"""The waveform widget as a person uses it: drawn at its size, cursor, zoom, select, scroll."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from textual.app import App, ComposeResult

from phase_tui.audio.sections import Section
from widgets.waveform import Waveform

RATE_HZ = 1000


@dataclass
class Columns:
    minimum: np.ndarray
    maximum: np.ndarray
    rms: np.ndarray


class ArrayPeaks:
    """Peaks worked out from samples in memory, column by column (the reference)."""

    def __init__(self, samples: np.ndarray) -> None:
        self.samples = samples
        self.asked: list[tuple[float, float, int]] = []

    @property
    def duration_s(self) -> float:
        return len(self.samples) / RATE_HZ

    def columns(self, start_s: float, end_s: float, count: int) -> Columns:
        self.asked.append((start_s, end_s, count))
        edges = np.linspace(start_s * RATE_HZ, end_s * RATE_HZ, count + 1).astype(int)
        parts = [self.samples[a : max(b, a + 1)] for a, b in pairwise(edges)]
        pick = [p if len(p) else np.zeros(1) for p in parts]
        return Columns(
            np.array([p.min() for p in pick]),
            np.array([p.max() for p in pick]),
            np.array([np.sqrt(np.mean(p**2)) for p in pick]),
        )


def quiet_loud_quiet() -> np.ndarray:
    """30 s: 10 s at 0.05, 10 s at 0.9, 10 s of silence."""
    t = np.arange(30 * RATE_HZ) / RATE_HZ
    level = np.where(t < 10, 0.05, np.where(t < 20, 0.9, 0.0))
    return level * np.sin(2 * np.pi * 50 * t)


SECTIONS = (
    Section("s00000", "intro", 0.0, 10.0, 0.0),
    Section("s00100", "drop", 10.0, 20.0, 1.0),
    Section("s00200", "outro", 20.0, 30.0, 0.0),
)


class WaveApp(App[None]):
    def __init__(self, style: str = "braille") -> None:
        super().__init__()
        self.style_name = style
        self.moves: list[float] = []
        self.selections: list[tuple[float, float] | None] = []

    def compose(self) -> ComposeResult:
        yield Waveform(self.style_name)

    def on_waveform_cursor_moved(self, message: Waveform.CursorMoved) -> None:
        self.moves.append(message.cursor_s)

    def on_waveform_selection_changed(self, message: Waveform.SelectionChanged) -> None:
        self.selections.append(message.selection)


def screen_text(wave: Waveform) -> list[str]:
    return [wave.render_line(y).text for y in range(wave.size.height)]


async def test_draws_sections_waveform_and_ruler_at_its_size() -> None:
    app = WaveApp()
    async with app.run_test(size=(60, 12)) as pilot:
        wave = app.query_one(Waveform)
        wave.show(ArrayPeaks(quiet_loud_quiet()), SECTIONS)
        await pilot.pause()
        lines = screen_text(wave)
        assert len(lines) == 12 and {len(line) for line in lines} == {60}
        labels = lines[0]
        assert labels.startswith("intro") and labels[20:24] == "drop" and labels[40:45] == "outro"
        assert lines[-1].startswith("╵0:00") and "╵0:10" in lines[-1]
        top_row = lines[1]  # the loud middle third reaches the top row, the rest not
        assert "⠀" not in top_row[22:38] and set(top_row[:18]) == {"⠀"}
        middle = lines[1 + 10 // 2 - 1 : 1 + 10 // 2 + 1]  # silence keeps a centre line
        assert all(line[-5:].strip("⠀") for line in middle)


async def test_keys_move_zoom_select_and_scroll() -> None:
    app = WaveApp()
    async with app.run_test(size=(60, 12)) as pilot:
        wave = app.query_one(Waveform)
        wave.show(ArrayPeaks(quiet_loud_quiet()), SECTIONS)
        wave.focus()
        await pilot.press("right", "right")
        assert wave.viewport.cursor_s == 1.0  # a cell is 0.5 s at this width
        await pilot.press("plus")
        assert wave.viewport.span_s == 15.0 and wave.viewport.start_s <= 1.0
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert wave.viewport.selection == (1.0, 1.75)
        await pilot.press("escape")
        assert wave.viewport.selection is None
        await pilot.press("end")
        assert wave.viewport.cursor_s == 30.0 and wave.viewport.end_s == 30.0
        await pilot.press("pageup")
        assert wave.viewport.end_s == 22.5 and wave.viewport.cursor_s == 22.5
        await pilot.press("home", "minus")
        assert (wave.viewport.start_s, wave.viewport.span_s) == (0.0, 30.0)
        await pilot.pause()
        assert app.moves[:2] == [0.5, 1.0] and app.moves[-1] == 0.0
        assert (1.0, 1.75) in app.selections and app.selections[-1] is None


async def test_redraws_only_when_something_changed() -> None:
    app = WaveApp()
    async with app.run_test(size=(60, 12)) as pilot:
        wave = app.query_one(Waveform)
        peaks = ArrayPeaks(quiet_loud_quiet())
        wave.show(peaks, SECTIONS)
        await pilot.pause()
        asked = len(peaks.asked)
        wave.refresh()
        await pilot.pause()
        assert len(peaks.asked) == asked  # the same view: drawn from what was drawn
        await pilot.resize_terminal(80, 12)
        await pilot.pause()
        assert peaks.asked[-1] == (0.0, 30.0, 160)  # two braille columns a cell


async def test_blocks_style_and_messages() -> None:
    app = WaveApp("blocks")
    async with app.run_test(size=(40, 8)) as pilot:
        wave = app.query_one(Waveform)
        wave.show_progress(0.42)
        await pilot.pause()
        assert "42%" in "".join(screen_text(wave))
        wave.show(ArrayPeaks(quiet_loud_quiet()))
        await pilot.pause()
        lines = screen_text(wave)
        assert "█" in "".join(lines) and "⣿" not in "".join(lines)
        assert lines[0].strip() == ""  # no sections: an empty label row
