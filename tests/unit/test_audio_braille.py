"""Waveform text: braille and block drawing of known peaks, the time ruler, the viewport."""

from __future__ import annotations

import numpy as np
import pytest

from phase_tui.audio.braille import draw_waveform
from phase_tui.audio.ruler import ruler_text, section_labels, time_label
from phase_tui.audio.sections import Section
from phase_tui.audio.viewport import MIN_SPAN_S, Viewport

RAMP = np.array([0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 1.0, 0.5, 0.0, 0.3])


def test_braille_of_a_known_peak_array() -> None:
    wave = draw_waveform(-RAMP, RAMP, RAMP / 2, 3, "braille")
    assert wave.rows == ["⠀⢀⣼⣇⠀", "⠶⢾⣿⣿⢾", "⠀⠈⢻⡏⠀"]
    # silence (the first and ninth columns) is the centre line: the middle dots only
    assert wave.inner.tolist() == [[False] * 5, [False, False, True, True, False], [False] * 5]


def test_blocks_of_a_known_peak_array() -> None:
    wave = draw_waveform(-RAMP, RAMP, RAMP / 2, 3, "blocks")
    assert wave.rows == ["    ▄██   ", "██████████", "    ▀██   "]


def test_the_drawing_is_mirrored_and_uses_the_larger_extreme() -> None:
    lopsided = draw_waveform(np.array([-0.9, 0.0]), np.array([0.1, 0.9]), np.zeros(2), 4, "blocks")
    assert lopsided.rows[0] == lopsided.rows[3].replace("▀", "▄")[::1]  # top mirrors bottom
    assert lopsided.rows[0][0] == lopsided.rows[0][1]  # -0.9 and +0.9 reach as far


def test_overs_are_clipped_and_odd_braille_columns_leave_half_a_cell() -> None:
    over = np.full(3, 3.0)
    wave = draw_waveform(-over, over, over, 2, "braille")
    assert wave.rows == ["⣿⡇", "⣿⡇"]
    assert wave.inner.all()


@pytest.mark.parametrize("style", ["braille", "blocks"])
def test_any_width_and_height(style: str) -> None:
    rng = np.random.default_rng(1)
    for columns, height in [(1, 1), (7, 2), (400, 30)]:
        peak = rng.random(columns)
        wave = draw_waveform(-peak, peak, peak / 3, height, style)
        assert len(wave.rows) == height == wave.inner.shape[0]
        assert {len(row) for row in wave.rows} == {wave.width} == {wave.inner.shape[1]}


def test_ruler_labels_round_times_that_fit() -> None:
    line = ruler_text(0.0, 197.0, 80)
    assert len(line) == 80
    assert line.startswith("╵0:00") and "╵1:00" in line and "╵3:00" in line
    close = ruler_text(10.3, 2.5, 60)
    assert "╵0:10.5" in close and "╵0:12.5" in close
    assert time_label(65.0, 1.0) == "1:05" and time_label(65.5, 0.5) == "1:05.5"
    assert ruler_text(0.0, 0.0, 5) == "     "


def test_viewport_zooms_around_the_cursor_and_keeps_it_in_view() -> None:
    view = Viewport(100.0).jumped(40.0)
    assert (view.start_s, view.span_s) == (0.0, 100.0)
    zoomed = view.zoomed(0.5)
    assert zoomed.span_s == 50.0 and zoomed.start_s == pytest.approx(20.0)  # 40 stays at 40 %
    assert zoomed.zoomed(1e-9).span_s == MIN_SPAN_S
    assert zoomed.zoomed(10).span_s == 100.0  # never more than the whole
    far = zoomed.moved(55.0)  # past the right edge: the view follows
    assert far.cursor_s == 95.0 and far.start_s <= 95.0 <= far.end_s
    assert Viewport(100.0).jumped(500).cursor_s == 100.0
    scrolled = zoomed.scrolled(1.0)
    assert scrolled.start_s == 50.0 and scrolled.end_s == 100.0


def test_viewport_selection_runs_from_the_anchor_to_the_cursor() -> None:
    view = Viewport(10.0).jumped(4.0)
    assert view.selection is None
    selected = view.selecting(1.0).selecting(1.0)
    assert selected.selection == (4.0, 6.0)
    assert selected.selecting(-3.0).selection == (3.0, 4.0)  # past the anchor: the other way
    assert selected.moved(1.0).selection is None
    assert selected.cleared().selection is None and selected.cleared().cursor_s == 6.0


def test_section_labels_sit_where_their_sections_start_in_view() -> None:
    sections = [
        Section("s00000", "intro", 0.0, 10.0, 0.0),
        Section("s00100", "drop", 10.0, 20.0, 1.0),
        Section("s00200", "outro", 20.0, 30.0, 0.2),
    ]
    text, bands = section_labels(sections, 0.0, 30.0, 30, mark="|")
    assert text == "|intro    |drop     |outro    "
    assert bands == [1] * 10 + [2] * 10 + [1] * 10
    zoomed, bands = section_labels(sections, 15.0, 10.0, 20)  # from the middle of the drop
    assert zoomed == "drop      outro     " and bands == [2] * 10 + [1] * 10
    assert section_labels(sections, 0.0, 3.0, 3)[0] == "in "  # cut before the next one
    assert section_labels([], 0.0, 30.0, 4) == ("    ", [0, 0, 0, 0])
