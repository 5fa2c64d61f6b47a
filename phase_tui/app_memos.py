"""The app's side of voice memos: the memo key, the HUD's meter and cues, shell commands.

`MemoControls` belongs to the app (the composition root) and turns `MemoService` reports
into what the producer sees: a flash of the HUD and a sound on start, stop and transcript
done; `● REC 0:12 █████░░░` in the HUD while recording (redrawn ten times a second only
then); the transcript and what its words did as a notification. Opening the microphone
takes a few tens of milliseconds, so it happens on a worker thread, never on the UI's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from phase_tui import control
from phase_tui.events import Emit, MemoChanged
from phase_tui.voice.context_stream import Focus
from phase_tui.voice.memos import memo_title
from phase_tui.voice.meter import recording_slot
from phase_tui.voice.service import MemoService

if TYPE_CHECKING:
    from textual.timer import Timer

    from phase_tui.app import PhaseOSApp

log = logging.getLogger(__name__)

METER_INTERVAL_S = 0.1
FLASH_S = 0.35
PROBLEM_SHOWN_S = 12.0  # how long the HUD says why the microphone could not open


class MemoControls:
    """The memo key and everything the app shows of memos."""

    def __init__(self, app: PhaseOSApp, emit: Emit) -> None:
        self.app = app
        self.service = MemoService(
            app.context,
            emit,
            session=lambda: str(app.session["name"]),
            phase=lambda: app.switcher.current,
            switch_phase=lambda name: app.switcher.switch(name, by="voice"),
            focus=self._focus,
            clock=app.clock,
        )
        self._meter: Timer | None = None
        self.attached = False

    def _focus(self) -> Focus | None:
        """The item the screen shown has selected (a bounce...), if it offers one."""
        offered: Callable[[], Focus | None] | None = getattr(self.app.screen, "memo_focus", None)
        return offered() if offered is not None else None

    # ----------------------------------------------------------------- start up, shut down
    def start(self, attached: bool = False) -> None:
        """After the first paint (a worker thread): load sounddevice so the first press is
        quick, repair what a crash left, queue the pending transcriptions. `attached`: a
        daemon serves the studio and transcribes; memos stopped here are handed to it."""
        from dataclasses import replace

        from phase_tui.voice.microphone import MicUnavailable, sounddevice_module

        self.attached = attached
        if attached:
            self.service.settings = replace(self.service.settings, transcribe=False)
        try:
            sounddevice_module()
        except MicUnavailable as error:
            log.info("memos: %s", error)
        self.service.recover()

    def shutdown(self) -> None:
        self.service.shutdown()

    # ----------------------------------------------------------------- the key
    def toggle(self) -> None:
        """Start or stop a memo (from the key: off the UI thread)."""
        self.app.run_worker(
            self._toggle, thread=True, exit_on_error=False, group="memo", name="memo"
        )

    def _toggle(self) -> None:
        from phase_tui.voice.microphone import MicUnavailable

        try:
            self.service.toggle()
        except MicUnavailable as error:
            self.app.call_from_thread(self.show_problem, str(error))

    def show_problem(self, text: str) -> None:
        """Say in the HUD (for a while) and in a notification why no memo records."""
        self.app.set_hud_slot("memo", f"🎙 {text}")
        self.app.notify(text, title="No memo", severity="error", timeout=8)
        self.app.set_timer(PROBLEM_SHOWN_S, self._clear_problem)

    def _clear_problem(self) -> None:
        if self.service.recording is None:
            self.app.set_hud_slot("memo", self._queue_text())

    # ----------------------------------------------------------------- reports
    def changed(self, event: MemoChanged) -> None:
        """A memo report reached the UI thread."""
        if event.what == "started":
            self._flash()
            self._meter = self.app.set_interval(METER_INTERVAL_S, self._show_meter)
            self._show_meter()
            return
        if event.what == "stopped":
            self._flash()
            if self._meter is not None:
                self._meter.stop()
                self._meter = None
            self.app.notify(f"{memo_title(event.record)} kept", title="Memo", timeout=3)
            if self.attached:
                self._hand_to_daemon(str(event.record["id"]))
        elif event.what == "transcribed":
            self._flash()
            text = str(event.record.get("text") or "(no words heard)")
            lines = [f"“{text}”", *(f"→ {line}" for line in event.done)]
            self.app.notify("\n".join(lines), title=memo_title(event.record), timeout=10)
        if self.service.recording is None:
            self.app.set_hud_slot("memo", self._queue_text())

    def _hand_to_daemon(self, memo_id: str) -> None:
        """Ask the daemon to transcribe a memo stopped here (off the UI thread)."""

        def send() -> None:
            try:
                control.send(self.app.context.studio.internal, "memo.transcribe", id=memo_id)
            except (ConnectionError, OSError, control.CommandError) as error:
                log.warning("the daemon did not take memo %s: %s", memo_id, error)

        self.app.run_worker(send, thread=True, exit_on_error=False, group="memo-daemon")

    def _show_meter(self) -> None:
        meter = self.service.meter()
        if meter is not None:
            self.app.set_hud_slot("memo", recording_slot(*meter))

    def _queue_text(self) -> str:
        waiting = self.service.worker.waiting
        return f"✎ transcribing {waiting} memo{'s' if waiting > 1 else ''}" if waiting else ""

    def _flash(self) -> None:
        """Light the HUD up for a moment: the visible cue."""
        for hud in self.app.screen.query("Hud"):
            hud.add_class("-flash")
            self.app.set_timer(FLASH_S, lambda hud=hud: hud.remove_class("-flash"))

    # ----------------------------------------------------------------- the shell
    def commands(self) -> dict[str, Callable[[dict[str, Any]], Any]]:
        """Control socket commands (they run on the socket's thread)."""
        return {
            "memo.start": lambda args: self._shell(self.service.start),
            "memo.stop": lambda args: self._shell(self.service.stop),
            "memo.toggle": lambda args: self._shell(self.service.toggle),
            "memo.transcribe": lambda args: self.service.transcribe(str(args["id"])),
            "memo.transcribe_pending": lambda args: self.service.transcribe_pending(),
            "memo.status": lambda args: self.service.describe_state(),
        }

    def _shell(self, act: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        from phase_tui.voice.microphone import MicUnavailable

        try:
            memo = act()
        except MicUnavailable as error:
            self.app.call_from_thread(self.show_problem, str(error))
            raise control.CommandError(str(error)) from error
        except LookupError as error:
            raise control.CommandError(str(error)) from error
        return {"id": memo["id"], "name": memo["name"], "status": memo["status"]}
