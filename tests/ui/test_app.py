"""The app as a person uses it: keys, palette, help, HUD, the phase file, the shell."""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Callable

import pytest
from rich.console import Console
from textual.widgets import HelpPanel, Static

from phase_tui import control
from phase_tui.app import PhaseOSApp
from phase_tui.phase.phase_file import read_phase_file
from screens.dashboard import DashboardScreen
from screens.phase import PhaseScreen
from tests.ui.conftest import wait_for
from widgets.activity_feed import ActivityFeed
from widgets.hud import Hud

AppFactory = Callable[..., PhaseOSApp]


def widget_text(widget: Static) -> str:
    """The plain text of what a Static shows (a string, Text or a Rich renderable)."""
    console = Console(width=max(widget.size.width, 40), file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def hud_text(app: PhaseOSApp, part: str) -> str:
    """A part of the HUD line as drawn: the phase chip, the session, the message."""
    hud = app.screen.query_one(Hud)
    line = hud.render().plain
    parts = {
        "phase": line.split()[0],
        "session": line.split("●")[1].split()[0],
        "message": hud.message_text(),
    }
    assert parts["message"] in line or len(line) >= hud.size.width - 8  # shown (or cut)
    return parts[part]


def phase_events(app: PhaseOSApp) -> list[dict[str, object]]:
    return [e for e in app.context.store.all("events") if e["type"] == "phase"]


async def test_opens_on_the_dashboard_with_the_hud(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert hud_text(app, "phase") == "ORACLE"
        assert "amber-heron-7f3a" in hud_text(app, "session")
        feed = app.screen.query_one(ActivityFeed)
        assert feed.row_count >= 1  # "Phase OS opened"
    kinds = [e["type"] for e in app.context.store.all("events")]
    assert kinds[-2:] == ["app_start", "app_stop"]


async def test_phase_keys_switch_and_record(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("2")
        await wait_for(pilot, lambda: hud_text(app, "phase") == "BUILDER")
        assert read_phase_file(app.context.studio.phase_file) == "builder"
        assert phase_events(app)[-1]["by"] == "key"
        await pilot.press("4")
        await wait_for(pilot, lambda: hud_text(app, "phase") == "RECOVERY")
        assert [e["to"] for e in phase_events(app)] == ["builder", "recovery"]


async def test_phase_screen_follows_the_phase(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.id == "phase-oracle"  # the oracle's screen is the curator
        await pilot.press("2")
        await wait_for(pilot, lambda: getattr(app.screen, "phase", None) == "builder")
        assert isinstance(app.screen, PhaseScreen)
        await wait_for(pilot, lambda: app.screen.body_ready)  # mounted after the first paint
        about = widget_text(app.screen.query_one("#phase-about", Static))
        assert "BUILDER" in about and "(current)" in about
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_question_mark_toggles_the_keys_panel(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query(HelpPanel)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(HelpPanel)


async def test_command_palette_reaches_phases_by_name(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Phase: recovery")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: hud_text(app, "phase") == "RECOVERY")


async def test_exit_rule_suggests_and_n_accepts(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("2")
        await wait_for(pilot, lambda: app.switcher.current == "builder")
        clock = app.clock
        for _ in range(2):
            app.context.store.insert(
                "events", {"type": "bounce", "at": clock() + 1, "name": "memory-spike.wav"}
            )
        app._refresh_state()
        await pilot.pause()
        assert "2 bounces in builder" in hud_text(app, "message")
        assert "remix" in hud_text(app, "message")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.switcher.current == "remix")
        assert phase_events(app)[-1]["by"] == "rule"
        assert hud_text(app, "message") == ""


async def test_user_keymap_from_config(make_app: AppFactory) -> None:
    app = make_app('[keys]\nnext_phase = "x"\n')
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("x")
        await wait_for(pilot, lambda: app.switcher.current == "builder")


async def test_failing_payload_is_shown_and_the_app_goes_on(make_app: AppFactory) -> None:
    config = f'[phases.builder]\non_enter = [["{sys.executable}", "-c", "raise SystemExit(4)"]]\n'
    app = make_app(config)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("2")
        await wait_for(pilot, lambda: "exited with 4" in hud_text(app, "message"))
        assert any("exited with 4" in n.message for n in app._notifications)
        await pilot.press("3")
        await wait_for(pilot, lambda: app.switcher.current == "remix")
        assert hud_text(app, "message") == ""  # the alert clears on the next change


async def test_outside_edit_of_the_phase_file_switches(make_app: AppFactory) -> None:
    app = make_app(services=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: app.services.phase_watcher is not None)
        app.context.studio.phase_file.write_text("remix\n")
        await wait_for(pilot, lambda: hud_text(app, "phase") == "REMIX")
        assert phase_events(app)[-1]["by"] == "file"
        app.context.studio.phase_file.write_text("jazz\n")
        await wait_for(pilot, lambda: any("jazz" in n.message for n in app._notifications))
        assert app.switcher.current == "remix"


async def test_shell_commands_reach_the_running_app(make_app: AppFactory) -> None:
    app = make_app(services=True)
    async with app.run_test(size=(120, 35)) as pilot:
        internal = app.context.studio.internal
        await wait_for(pilot, lambda: control.app_is_running(internal))
        assert oct(control.socket_path(internal).stat().st_mode & 0o777) == "0o600"
        reply = await asyncio.to_thread(control.send, internal, "phase.set", name="builder")
        assert reply == "builder"
        await wait_for(pilot, lambda: hud_text(app, "phase") == "BUILDER")
        assert phase_events(app)[-1]["by"] == "shell"
        await asyncio.to_thread(control.send, internal, "notify", text="bounce is done")
        await wait_for(
            pilot, lambda: any("bounce is done" in n.message for n in app._notifications)
        )
        try:
            await asyncio.to_thread(control.send, internal, "phase.set", name="jazz")
        except control.CommandError as error:
            assert "unknown phase 'jazz'" in str(error)
        else:
            raise AssertionError("an unknown phase must be refused")
    assert not control.app_is_running(internal)


async def test_a_failing_worker_is_a_notification_not_a_crash(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app()

    def broken() -> None:
        raise OSError("disk on fire")

    async with app.run_test(size=(120, 35)) as pilot:
        app._run_in_thread(broken)
        await wait_for(pilot, lambda: any("disk on fire" in n.message for n in app._notifications))
        await pilot.press("2")
        await wait_for(pilot, lambda: app.switcher.current == "builder")
    assert any("disk on fire" in record.getMessage() for record in caplog.records)


async def test_an_edit_made_before_the_watcher_started_is_not_lost(make_app: AppFactory) -> None:
    app = make_app(services=True)
    app.context.studio.phase_file.write_text("remix\n")  # after start-up read, before watching
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: app.switcher.current == "remix")
        assert phase_events(app)[-1]["by"] == "file"
