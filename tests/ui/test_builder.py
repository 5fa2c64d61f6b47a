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
        head = str(screen.query_one("#diff-head", Static).render())
        changes = str(screen.query_one("#diff-changes", Static).render())
        assert head.startswith("Diff from ") and "(+4)" in head
        assert changes.startswith("~ ") and "bars" in changes
        old, new = screen.query_one("#diff-old", FormTimeline), screen.query_one("#diff-new")
        assert old.form == first and new.form == screen.form  # both timelines, one scale
        assert old.span_bars == new.span_bars == screen.form.total_bars
        await pilot.press("enter")  # load the first version
        await pilot.pause()
        assert screen.form == first


async def test_diff_since_the_session_began(make_app: Callable[..., PhaseOSApp]) -> None:
    from phase_tui.builder.generator import generate

    app = make_app()
    earlier = generate(app.context.config.builder, "night drive", seed=3)
    before_session = app.session["started_at"] - 60
    app.form_versions().save(earlier, session="old", phase="builder", now=before_session)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_builder(pilot)
        screen.form = earlier
        await pilot.press("t", "V")  # a bpm faster than before the session
        head = str(screen.query_one("#diff-head", Static).render())
        assert head.startswith("Diff since the session began") and "tempo" in head
        assert f"{earlier.tempo_bpm:g} -> {earlier.tempo_bpm + 1:g}" in head


async def test_the_edit_dialog_checks_and_applies_every_field(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    from textual.widgets import Input

    from screens.section_editor import SectionEditor

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_builder(pilot)
        await pilot.press("g")
        table = screen.query_one("#form-sections", DataTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionEditor))
        dialog = app.screen

        def type_into(name: str, value: str) -> None:
            dialog.query_one(f"#edit-{name}", Input).value = value

        type_into("energy", "11")
        await pilot.click("#editor-apply")
        assert isinstance(app.screen, SectionEditor)  # refused, still open
        assert "energy must be 1..10" in str(dialog.query_one("#editor-error").render())
        for name, value in [
            ("energy", "7"),
            ("role", "breakdown"),
            ("bars", "12"),
            ("density", "airy"),
            ("instruments", "pad, choir"),
            ("tempo_bpm", "124.5"),
            ("key", "F# minor"),
            ("time_signature", "7/8"),
        ]:
            type_into(name, value)
        dialog.query_one("#edit-key", Input).focus()
        await pilot.press("enter")  # enter in any field applies too
        await wait_for(pilot, lambda: isinstance(app.screen, BuilderScreen))
        section = screen.form.sections[1]
        assert (section.role, section.bars, section.energy) == ("breakdown", 12, 7)
        assert (section.density, section.instruments) == ("airy", ("pad", "choir"))
        assert (screen.form.tempo_bpm, screen.form.key) == (124.5, "F# minor")
        assert screen.form.time_signature() == "7/8"
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, SectionEditor))
        await pilot.press("escape")  # cancel: nothing changes
        await wait_for(pilot, lambda: isinstance(app.screen, BuilderScreen))
        assert screen.form.sections[1] == section
