"""The form map timeline: blocks as wide as their bars, coloured by energy, one marked."""

from __future__ import annotations

from textual.app import App, ComposeResult

from phase_tui.builder.form_map import FormMap, FormSection
from widgets.form_timeline import FormTimeline, block_widths

MAP = FormMap(
    "memory spike",
    126.0,
    "A minor",
    4,
    (
        FormSection("intro", 8, 2),
        FormSection("build", 8, 5),
        FormSection("drop", 16, 10),
        FormSection("outro", 8, 1),
    ),
)


def test_block_widths_follow_bars_and_fill_the_width() -> None:
    assert block_widths([8, 8, 16, 8], 40) == [8, 8, 16, 8]
    assert (
        block_widths([8, 8, 16, 8], 41) == [8, 8, 17, 8]
        or sum(block_widths([8, 8, 16, 8], 41)) == 41
    )
    assert sum(block_widths([1, 1, 64, 1], 20)) == 20 and min(block_widths([1, 1, 64, 1], 20)) == 1
    assert block_widths([], 10) == []


class TimelineApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FormTimeline()


async def test_draws_labelled_blocks_coloured_by_energy_and_marks_the_selection() -> None:
    app = TimelineApp()
    async with app.run_test(size=(40, 3)) as pilot:
        timeline = app.query_one(FormTimeline)
        timeline.show(MAP, selected=2)
        await pilot.pause()
        labels = timeline.render_line(1).text
        assert labels == " intro 8 build 8 drop 16         outro 8"
        assert timeline.render_line(2).text.index("▲") in range(16, 32)  # under the drop
        segments = list(timeline.render_line(1))
        colours = {seg.text.split()[0]: seg.style.bgcolor for seg in segments if seg.text.strip()}
        assert colours["drop"] != colours["intro"] != colours["outro"]
        hot = app.query_one(FormTimeline).get_component_rich_style("form-timeline--hot").bgcolor
        assert colours["drop"] == hot  # energy 10: the hot colour itself
