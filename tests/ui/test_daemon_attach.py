"""An app opened on a studio that a headless daemon serves attaches to it: no second set
of watchers or socket, the HUD says so, and the bounces the daemon logs show up in the
app; a memo recorded in the app is handed to the daemon to transcribe."""

from __future__ import annotations

from pathlib import Path

from phase_tui import control
from phase_tui.app import PhaseOSApp
from phase_tui.context import StudioContext
from tests.daw_writers import write_wav
from tests.ui.conftest import wait_for
from tests.unit.test_daemon import Running
from tests.voice_fakes import SpeechRecorder


async def test_the_app_attaches_to_a_running_daemon(tmp_path: Path) -> None:
    daemon = Running(tmp_path / "studio")
    try:
        app = PhaseOSApp(StudioContext.open(daemon.root))
        app.memo_controls.service.make_recorder = SpeechRecorder
        async with app.run_test(size=(120, 34)) as pilot:
            await wait_for(pilot, lambda: app.hud_state.slot("daemon") == "⇄ daemon", 15)
            assert app.attached and app.services.server is None and app.services.bounces is None
            assert control.send(daemon.internal, "role") == "daemon"  # the socket stays its
            write_wav(daemon.root / "bounces" / "night drive.wav", seconds=0.5)
            await wait_for(pilot, lambda: "night drive.wav" in app.hud_state.slot("bounce"), 20)

            await pilot.press("m")
            await wait_for(pilot, lambda: app.memo_controls.service.recording is not None)
            await pilot.press("m")
            memos = app.context.store
            await wait_for(pilot, lambda: memos.all("memos") and memos.all("memos")[0]["status"]
                           in ("transcribing", "done", "failed"), 60)  # fmt: skip
    finally:
        assert daemon.stop() == 0
