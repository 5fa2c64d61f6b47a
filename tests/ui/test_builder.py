"""The builder screen as a producer uses it: generate, lock, re-roll, edit, save, diff."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from phase_tui.app import PhaseOSApp
from screens.builder import BuilderScreen
from tests.ui.conftest import wait_for
from widgets.form_timeline import FormTimeline


async def open_builder(pilot: Pilot[int]) -> BuilderScreen:
    await pilot.press("f")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, BuilderScreen))
    screen = pilot.app.screen
    assert isinstance(screen, BuilderScreen)
    await wait_for(pilot, lambda: screen.body_ready)
    await pilot.pause()
    return screen


def title(screen: BuilderScreen) -> str:
    return str(screen.query_one("#form-title", Static).render())


async def test_generate_lock_reroll_edit_and_save(make_app: Callable[..., PhaseOSApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_builder(pilot)
        assert "No form map yet" in title(screen)
        await pilot.press("g")
        form = screen.form
        assert form is not None and len(form.sections) == 4  # [builder] parts
        assert "unsaved" in title(screen)
        assert screen.query_one("#form-sections", DataTable).row_count == 4
        assert screen.query_one(FormTimeline).form == form
        table = screen.query_one("#form-sections", DataTable)
        table.focus()
        table.move_cursor(row=2)
        await pilot.press("l")  # lock the third section
        locked = screen.form.sections[2]
        assert locked.locked
        await pilot.press("r")
        assert screen.form.sections[2] == locked  # kept through the re-roll
        assert screen.form.seed != form.seed
        bars, energy = locked.bars, locked.energy
        await pilot.press("right_square_bracket", "comma")
        assert screen.form.sections[2].bars == bars + 4
        assert screen.form.sections[2].energy == max(energy - 1, 1)
        await pilot.press("s")
        versions = app.form_versions()
        active = versions.active()
        assert active is not None and active.form == screen.form
        assert "active" in title(screen) and "unsaved" not in title(screen)
        assert screen.query_one("#form-history", DataTable).row_count == 1
        assert app._bounce_context()["form"] == active.id  # bounces now link to it


async def test_history_loads_a_version_and_diff_says_what_changed(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_builder(pilot)
        await pilot.press("g", "s")
        first = screen.form
        table = screen.query_one("#form-sections", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("right_square_bracket", "s")  # a second version, a phrase longer
        history = screen.query_one("#form-history", DataTable)
        assert history.row_count == 2
        history.focus()
        history.move_cursor(row=0)
        await pilot.press("v")
        diff = str(screen.query_one("#form-diff", Static).render())
        assert "bars" in diff and "~ " in diff and "(+4)" in diff
        await pilot.press("enter")  # load the first version
        await pilot.pause()
        assert screen.form == first
