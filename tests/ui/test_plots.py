"""The plotext charts as drawn in an app: time per phase and loudness over time."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widget import Widget

import widgets.loudness_plot as loudness_module
import widgets.phase_times as phase_times_module
from phase_tui.audio.sections import Section
from phase_tui.formatting import format_duration
from widgets.loudness_plot import FLOOR_DB, LoudnessPlot, clamp_levels, envelope
from widgets.phase_times import PhaseTimes

PHASES = [("oracle", "#ffbf00"), ("builder", "#3399ff"), ("remix", "#cc44cc")]
TODAY_S = {"oracle": 3900.0, "builder": 1200.0}
WEEK_S = {"oracle": 22_000.0, "builder": 14_400.0, "remix": 5400.0}
SECTIONS = (
    Section("s0", "intro", 0.0, 60.0, 0.1),
    Section("s1", "drop", 60.0, 120.0, 1.0),
    Section("s2", "outro", 120.0, 180.0, 0.3),
)
DOTS = set("▖▗▘▙▚▛▜▝▞▟▀▄▌▐█")  # the "hd" quarter blocks plotext draws a line with


class OneWidget(App[None]):
    """An app holding just the widget under test."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


def lines_of(widget: Widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


def count_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    """Wrap `module.name` so each call appends to the returned list."""
    calls: list[int] = []
    original: Callable[..., Text] = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> Text:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def loud_then_quiet() -> tuple[np.ndarray, np.ndarray]:
    """3 minutes at 10 Hz: -6 dB for the first half, -40 dB after, silent for the last 10 s."""
    times_s = np.arange(0, 180, 0.1)
    level_db = np.where(times_s < 90, -6.0, -40.0)
    level_db[times_s >= 170] = -np.inf
    return times_s, level_db


# ---------------------------------------------------------------- time per phase
async def test_phase_times_labels_bars_and_colours() -> None:
    chart = PhaseTimes()
    async with OneWidget(chart).run_test(size=(60, 12)) as pilot:
        chart.show(PHASES, TODAY_S, WEEK_S, current="builder")
        await pilot.pause()
        assert chart.size.height == 1 + 2 * len(PHASES)  # a title, two rows a phase
        title, *rows = lines_of(chart)
        assert "today 1h 25m" in title and "week 11h 36m" in title  # the totals
        today_rows, week_rows = rows[0::2], rows[1::2]
        for (name, _), row in zip(PHASES, today_rows, strict=True):
            assert name in row and format_duration(TODAY_S.get(name, 0.0)) in row
        for (name, _), row in zip(PHASES, week_rows, strict=True):
            assert format_duration(WEEK_S[name]) in row
        assert "▸ builder" in today_rows[1] and "▸" not in today_rows[0]
        today_cells = [row.count("█") for row in today_rows]
        week_cells = [row.count("▒") for row in week_rows]
        assert today_cells[0] > today_cells[1] > today_cells[2] == 0
        assert week_cells[0] > week_cells[1] > week_cells[2] > 0
        assert week_cells[0] > today_cells[0]  # one scale: the week holds today
        for y, (_, colour) in enumerate(PHASES):
            bar = [s for s in chart.render_line(2 + 2 * y) if "▒" in s.text]
            assert bar and bar[0].style is not None and bar[0].style.color is not None
            assert bar[0].style.color.triplet is not None
            assert bar[0].style.color.triplet.hex == colour


async def test_phase_times_builds_only_when_data_or_size_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = count_calls(monkeypatch, phase_times_module, "phase_times_chart")
    chart = PhaseTimes()
    async with OneWidget(chart).run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        before = len(built)  # the empty chart drawn at mount
        chart.show(PHASES, TODAY_S, WEEK_S, current="oracle")
        await pilot.pause()
        assert len(built) == before + 1
        chart.show(PHASES, dict(TODAY_S), dict(WEEK_S), current="oracle")
        chart.refresh()  # a repaint for another reason reuses the plot
        await pilot.pause()
        assert len(built) == before + 1
        chart.show(PHASES, {**TODAY_S, "remix": 60.0}, WEEK_S, current="oracle")
        await pilot.pause()
        assert len(built) == before + 2 and "1m" in lines_of(chart)[5]
        await pilot.resize_terminal(90, 12)
        await pilot.pause()
        assert len(built) == before + 3 and {len(line) for line in lines_of(chart)} == {88}


async def test_phase_times_fits_the_dashboard_column() -> None:
    chart = PhaseTimes()
    async with OneWidget(chart).run_test(size=(48, 12)) as pilot:
        chart.show(PHASES, TODAY_S, WEEK_S)
        await pilot.pause()
        lines = lines_of(chart)  # the content, within the padding
        assert {len(line) for line in lines} == {46} and "week 11h 36m" in lines[0]
        assert lines[2].rstrip().endswith("▒▒") and len(lines[2].rstrip()) == 46


# ---------------------------------------------------------------- loudness over time
async def test_loudness_plot_axes_sections_and_level() -> None:
    plot = LoudnessPlot()
    async with OneWidget(plot).run_test(size=(100, 14)) as pilot:
        plot.show(*loud_then_quiet(), SECTIONS)
        await pilot.pause()
        lines = lines_of(plot)
        labels_row = lines[0]
        assert [labels_row.find(label) for label in ("intro", "drop", "outro")] == sorted(
            labels_row.find(label) for label in ("intro", "drop", "outro")
        )
        assert labels_row.find("intro") >= 0 and "dB" in lines[-1]
        time_row = lines[-2]
        assert all(tick in time_row for tick in ("0:00", "1:00", "2:00"))
        canvas = [line for line in lines if "┤" in line or "│" in line[:5]]
        boundaries = [x for x, char in enumerate(lines[1]) if char == "┼"]  # on the top frame
        assert len(boundaries) == 2 and boundaries[0] == labels_row.find("drop") < boundaries[1]
        for x in boundaries:  # a dotted line down the canvas (the level may cross it)
            assert sum(line[x] == "┊" for line in canvas) >= len(canvas) - 2
        rows_with_dots = [
            (y, line) for y, line in enumerate(canvas) if DOTS & set(line[line.find("┤") + 1 :])
        ]
        loud_y = min(y for y, line in rows_with_dots if DOTS & set(line[5:40]))
        quiet_y = min(y for y, line in rows_with_dots if DOTS & set(line[60:90]))
        assert loud_y < quiet_y  # -6 dB is drawn higher than -40 dB
        floor_row = next(line for line in canvas if line.lstrip().startswith("-60"))
        assert DOTS & set(floor_row[-10:-1])  # the silent end sits on the floor


async def test_loudness_plot_cursor_and_rebuilds(monkeypatch: pytest.MonkeyPatch) -> None:
    built = count_calls(monkeypatch, loudness_module, "loudness_chart")
    plot = LoudnessPlot()
    times_s, level_db = loud_then_quiet()
    async with OneWidget(plot).run_test(size=(100, 14)) as pilot:
        plot.show(times_s, level_db, SECTIONS)
        await pilot.pause()
        assert len(built) == 1 and not any("│" in line[5:-1] for line in lines_of(plot))
        plot.show(times_s.copy(), level_db.copy(), list(SECTIONS))
        plot.refresh()  # a repaint for another reason reuses the plot
        await pilot.pause()
        assert len(built) == 1  # equal data: nothing to draw
        plot.show(times_s, level_db, SECTIONS, cursor_s=90.0)
        await pilot.pause()
        assert len(built) == 2
        canvas = [line for line in lines_of(plot) if "┤" in line or "│" in line[:5]]
        columns = {line.find("│", 5) for line in canvas}  # over the level too (it drops here)
        assert len(columns) == 1 and 45 < columns.pop() < 60  # half way along columns 4-98
        plot.show(times_s, level_db, SECTIONS, cursor_s=90.01)
        await pilot.pause()
        assert len(built) == 2  # the cursor stays in its cell
        await pilot.resize_terminal(70, 14)
        await pilot.pause()
        assert len(built) == 3 and {len(line) for line in lines_of(plot)} == {70}


async def test_loudness_plot_no_audio_and_silence() -> None:
    plot = LoudnessPlot()
    async with OneWidget(plot).run_test(size=(60, 12)) as pilot:
        plot.show(np.zeros(0), np.zeros(0), ())
        await pilot.pause()
        assert lines_of(plot)[0].strip() == "no audio"
        plot.show(np.arange(0, 5, 0.5), np.full(10, -np.inf), ())
        await pilot.pause()
        lines = lines_of(plot)
        assert "no audio" not in "".join(lines)
        floor_row = next(line for line in lines if line.lstrip().startswith("-60"))
        assert DOTS & set(floor_row)
        with pytest.raises(ValueError):
            plot.show(np.zeros(3), np.zeros(2), ())


def test_levels_clamped_and_reduced_to_their_loudest() -> None:
    levels = clamp_levels(np.array([-np.inf, np.nan, np.inf, -90.0, -12.5, 3.0]))
    assert levels.tolist() == [FLOOR_DB, FLOOR_DB, FLOOR_DB, FLOOR_DB, -12.5, 3.0]
    times_s, loudest = envelope(np.arange(8.0), np.array([-9.0, -3, -8, -7, -1, -6, -5, -4]), 4)
    assert times_s.tolist() == [0, 2, 4, 6] and loudest.tolist() == [-3, -7, -1, -4]
