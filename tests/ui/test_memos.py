"""The memo key and the memo screen with the Pilot: `m` starts and stops a memo from any
screen, the HUD shows the meter while it records, the transcript (real faster-whisper
tiny.en) appears; a missing microphone is said in the HUD; tags are edited, memos deleted."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, Input, Static

from phase_tui.app import PhaseOSApp
from phase_tui.voice.memos import MEMOS
from tests.ui.conftest import wait_for
from tests.voice_fakes import NoMicrophone, SpeechRecorder
from widgets.hud import Hud

QUIET = "[memo]\ncue = false\n"


def memo_app(
    make_app: Callable[..., PhaseOSApp], recorder: type = SpeechRecorder, config: str = QUIET
) -> PhaseOSApp:
    app = make_app(config)
    app.memo_controls.service.make_recorder = recorder
    return app


def memos(app: PhaseOSApp) -> list[dict]:
    return app.context.store.all(MEMOS)


async def test_the_memo_key_records_shows_the_meter_and_the_transcript(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    app = memo_app(make_app)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("b")  # the key works on any screen
        await wait_for(pilot, lambda: app.screen.id == "bounces")
        await pilot.press("m")
        await wait_for(pilot, lambda: "● REC" in app.hud_state.slot("memo"))
        hud = app.screen.query_one(Hud)
        assert "█" in app.hud_state.slot("memo") and hud.has_class("-flash")
        await wait_for(pilot, lambda: "● REC" in hud.render().plain)
        await pilot.press("m")
        await wait_for(pilot, lambda: memos(app) and memos(app)[0]["status"] != "recording")
        await wait_for(pilot, lambda: memos(app)[0]["status"] == "done", timeout_s=120)
        assert "● REC" not in app.hud_state.slot("memo")
        await wait_for(pilot, lambda: any("dark" in n.message.lower() for n in app._notifications))
        await pilot.press("M")
        await wait_for(pilot, lambda: getattr(app.screen, "body_ready", False))
        table = app.screen.query_one("#memo-table", DataTable)
        assert table.row_count == 1
        assert "done" in str(table.get_row_at(0)[2])
        detail = app.screen.query_one("#memo-detail", Static)
        assert "#dark" in str(detail.render()) and "[0:00]" in str(detail.render())


async def test_no_microphone_is_said_in_the_hud(make_app: Callable[..., PhaseOSApp]) -> None:
    app = memo_app(make_app, NoMicrophone)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("m")
        await wait_for(pilot, lambda: "No microphone" in app.hud_state.slot("memo"))
        assert memos(app) == []
        await pilot.press("d")  # the app goes on
        await wait_for(pilot, lambda: app.screen.id != "memos")


async def test_tags_are_edited_and_a_memo_goes_to_the_trash(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    app = memo_app(make_app, config=QUIET + "transcribe = false\n")
    service = app.memo_controls.service
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("m")
        await wait_for(pilot, lambda: service.recording is not None)
        await pilot.press("m")
        await wait_for(pilot, lambda: memos(app) and memos(app)[0]["status"] == "pending")
        await pilot.press("M")
        await wait_for(pilot, lambda: getattr(app.screen, "body_ready", False))
        await pilot.press("e")
        await wait_for(pilot, lambda: app.screen.query("#tags"))
        app.screen.query_one("#tags", Input).value = "#Late-Night, dark DARK"
        await pilot.press("enter")
        await wait_for(pilot, lambda: memos(app)[0]["tags"] == ["late-night", "dark"])
        table = app.screen.query_one("#memo-table", DataTable)
        await wait_for(pilot, lambda: "#late-night" in str(table.get_row_at(0)[3]))
        await pilot.press("x")
        await wait_for(pilot, lambda: memos(app) == [])
        trash = app.context.studio.root / "trash" / "memos"
        assert [p.suffix for p in trash.iterdir()] == [".wav"]
