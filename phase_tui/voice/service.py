"""Voice memos as a service of an open studio: record, stop, transcribe, act on the words.

Textual-free, so the app and a headless daemon share it; it reports through `emit`
(`MemoChanged`, `Notice`) from whatever thread did the work. The record is written before
the microphone opens, so a crash leaves a trace that `recover` repairs on the next start.
Heavy things (sounddevice, numpy, Whisper) are imported on first use.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from phase_tui.activity import log_event
from phase_tui.context import StudioContext
from phase_tui.events import Emit, MemoChanged, Notice
from phase_tui.store import Record
from phase_tui.voice.context_stream import Focus, apply_spoken, default_focus
from phase_tui.voice.memos import (
    MEMOS,
    memo_audio_path,
    memos_with_status,
    new_memo,
    recover_unfinished,
    set_memo,
    trash_memo,
    write_transcript_file,
)
from phase_tui.voice.worker import TranscriptionWorker

if TYPE_CHECKING:
    from phase_tui.voice.model_holder import ModelHolder
    from phase_tui.voice.recorder import MemoRecorder

log = logging.getLogger(__name__)


class MemoService:
    """The memo key's work: one recording at a time, transcription one memo at a time."""

    def __init__(
        self,
        context: StudioContext,
        emit: Emit,
        *,
        session: Callable[[], str],
        phase: Callable[[], str],
        switch_phase: Callable[[str], None],
        focus: Callable[[], Focus | None] = lambda: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.context = context
        self.settings = context.config.memo
        self._emit = emit
        self._session = session
        self._phase = phase
        self._switch_phase = switch_phase
        self._focus = focus
        self._clock = clock
        self._lock = threading.RLock()
        self._recorder: MemoRecorder | None = None
        self._memo: Record | None = None
        self._holder: ModelHolder | None = None
        self._last_problem = ""
        self.worker = TranscriptionWorker(self._transcribe, self._unload_if_idle)
        self.make_recorder: Callable[..., MemoRecorder] = _microphone_recorder

    # ----------------------------------------------------------------- recording
    @property
    def recording(self) -> Record | None:
        """The memo being recorded, or None."""
        return self._memo

    def meter(self) -> tuple[float, float] | None:
        """(seconds recorded, level in dBFS) while recording, else None."""
        recorder = self._recorder
        if recorder is None or not recorder.recording:
            return None
        return recorder.elapsed_s, recorder.level_db

    def toggle(self) -> Record:
        """Start a memo, or stop the one recording."""
        with self._lock:
            return self.stop() if self._memo is not None else self.start()

    def start(self) -> Record:
        """Open the microphone and record a new memo; raises MicUnavailable (nothing kept).

        Starting while a memo records returns that memo (push-to-talk sends start twice)."""
        with self._lock:
            if self._memo is not None:
                return self._memo
            at = self._clock()
            session = self._session()
            memos_dir = self.context.studio.folder("memos")
            memos_dir.mkdir(parents=True, exist_ok=True)
            path = memo_audio_path(memos_dir, at)
            focus = self._focus() or default_focus(self.context.store, session)
            memo = new_memo(
                self.context.store, path, session=session, phase=self._phase(), at=at, focus=focus
            )
            recorder = self.make_recorder(
                device=self.settings.device or None,
                sample_rate=self.settings.sample_rate,
                silence_stop_s=self.settings.silence_stop_s,
                silence_db=self.settings.silence_db,
                on_silence=self._stop_after_silence,
            )
            try:
                recorder.start(path)
            except Exception:
                self.context.store.delete(MEMOS, memo["id"])
                path.unlink(missing_ok=True)
                raise
            self._recorder, self._memo = recorder, memo
        self._cue("start")
        self._emit(MemoChanged(memo, "started"))
        return memo

    def stop(self) -> Record:
        """Stop the memo recording, keep it, and queue its transcription.

        Raises LookupError when no memo records."""
        with self._lock:
            recorder, memo = self._recorder, self._memo
            if recorder is None or memo is None:
                raise LookupError("no memo is recording")
            self._recorder = self._memo = None
            memo = self._keep(recorder, memo)
        self._cue("stop")
        self._emit(MemoChanged(memo, "stopped"))
        if self.settings.transcribe:
            self.transcribe(memo["id"])
        return memo

    def _keep(self, recorder: MemoRecorder, memo: Record) -> Record:
        """Close the recording and make the memo pending; journal it."""
        taken = recorder.stop()
        memo = set_memo(
            self.context.store,
            memo["id"],
            status="pending",
            duration_s=round(taken.duration_s, 3),
            sample_rate=taken.sample_rate,
        )
        log_event(
            self.context.store,
            "memo",
            session=memo.get("session"),
            phase=memo.get("phase"),
            at=self._clock(),
            memo=memo["id"],
            name=memo["name"],
            duration_s=memo["duration_s"],
        )
        return memo

    def _stop_after_silence(self) -> None:
        """The recorder heard silence long enough (its thread): stop on another thread."""
        threading.Thread(target=self._stop_quietly, name="memo-silence-stop").start()

    def _stop_quietly(self) -> None:
        with contextlib.suppress(LookupError):  # stopped by hand meanwhile
            self.stop()

    def _cue(self, kind: str) -> None:
        if self.settings.cue:
            from phase_tui.voice.cue import play_cue

            play_cue(kind)

    # ----------------------------------------------------------------- transcription
    def recover(self) -> list[Record]:
        """Repair memos a crash left unfinished and queue the pending ones."""
        recording = self._memo["id"] if self._memo else None
        repaired = recover_unfinished(self.context.store, recording)
        for memo in repaired:
            self._emit(MemoChanged(memo, memo["status"]))
        if repaired:
            kept = sum(1 for memo in repaired if memo["status"] == "pending")
            self._emit(Notice(f"{kept} memo(s) cut short by a crash were repaired and kept"))
        if self.settings.transcribe:
            self.transcribe_pending()
        return repaired

    def transcribe(self, memo_id: str) -> bool:
        """Queue one memo's transcription (again, if it was done); False if already queued."""
        return self.worker.submit(memo_id)

    def transcribe_pending(self) -> int:
        """Queue every memo waiting for a transcript (and those that were mid-way)."""
        waiting = memos_with_status(self.context.store, "pending", "transcribing")
        return sum(self.transcribe(memo["id"]) for memo in waiting)

    def _model(self) -> ModelHolder:
        from phase_tui.voice.backends import make_backend
        from phase_tui.voice.model_holder import ModelHolder

        with self._lock:
            if self._holder is None:
                settings = self.settings
                backend = make_backend(
                    settings.backend,
                    settings.model,
                    models_dir=self.context.studio.internal / "models",
                    beam_size=settings.beam_size,
                )
                self._holder = ModelHolder(backend, idle_unload_s=settings.idle_unload_minutes * 60)
            return self._holder

    def _unload_if_idle(self) -> None:
        if self._holder is not None:
            self._holder.unload_if_idle()

    def _transcribe(self, memo_id: str) -> None:
        """Transcribe one memo (the worker's thread), then act on its words."""
        from phase_tui.audio.errors import UnreadableAudio
        from phase_tui.voice.backends import TranscriberUnavailable
        from phase_tui.voice.whisper_audio import load_for_whisper

        store = self.context.store
        memo = store.get(MEMOS, memo_id)
        if memo is None or memo.get("status") == "recording":
            return
        memo = set_memo(store, memo_id, status="transcribing", error=None)
        self._emit(MemoChanged(memo, "transcribing"))
        try:
            audio = load_for_whisper(Path(memo["path"]))
            language = self.settings.language or None
            transcript = self._model().transcribe(audio, language)
        except TranscriberUnavailable as error:
            self._fail(memo_id, "pending", str(error))
            return
        except UnreadableAudio as error:
            self._fail(memo_id, "failed", f"the audio is unreadable: {error.reason}")
            return
        except Exception as error:  # a backend's own failure must not lose the memo
            log.exception("transcribing %s failed", memo["path"])
            self._fail(memo_id, "failed", f"transcription failed: {error}")
            return
        self._last_problem = ""
        memo = set_memo(
            store, memo_id, status="done", transcript=transcript.to_record(), text=transcript.text
        )
        done = apply_spoken(
            store,
            self.context.studio.root,
            memo,
            self.settings,
            self.context.config.phase_names,
            self._switch_phase,
            self._clock(),
        )
        memo = set_memo(store, memo_id, actions=done)
        write_transcript_file(memo)
        log_event(
            store,
            "memo_text",
            session=memo.get("session"),
            phase=memo.get("phase"),
            at=self._clock(),
            memo=memo_id,
            name=memo["name"],
            text=transcript.text[:80],
        )
        self._cue("done")
        self._emit(MemoChanged(memo, "transcribed", tuple(done)))

    def _fail(self, memo_id: str, status: str, problem: str) -> None:
        """Keep the memo (pending: to try again later; failed: it cannot be) and say why,
        once for a problem that repeats across the queue."""
        memo = set_memo(self.context.store, memo_id, status=status, error=problem)
        self._emit(MemoChanged(memo, status))
        if problem != self._last_problem:
            self._last_problem = problem
            kept = "audio kept"
            if status == "pending":
                kept = "kept as pending: `phase-os memo transcribe --pending` later"
            self._emit(Notice(f"Memo not transcribed: {problem} ({kept})", "warning"))

    # ----------------------------------------------------------------- editing
    def set_tags(self, memo_id: str, tags: Sequence[str]) -> Record:
        """Replace a memo's tags."""
        from phase_tui.tags import merge_tags

        memo = set_memo(self.context.store, memo_id, tags=merge_tags((), tags))
        if memo.get("transcript"):
            write_transcript_file(memo)
        self._emit(MemoChanged(memo, "edited"))
        return memo

    def delete(self, memo_id: str) -> Path:
        """Move a memo's files to the trash and forget it; returns the trash folder."""
        memo = self.context.store.get(MEMOS, memo_id)
        if memo is None:
            raise LookupError(f"no memo {memo_id}")
        if self._memo is not None and self._memo["id"] == memo_id:
            raise LookupError("the memo is still recording: stop it first")
        folder = trash_memo(self.context.store, self.context.studio.root, memo)
        self._emit(MemoChanged(memo, "deleted"))
        return folder

    def shutdown(self) -> None:
        """Stop a memo in progress (it is kept, and transcribed next start), stop the worker,
        and let the model go."""
        with self._lock:
            recorder, memo = self._recorder, self._memo
            self._recorder = self._memo = None
        if recorder is not None and memo is not None:
            self._keep(recorder, memo)
        self.worker.shutdown()
        if self._holder is not None:
            self._holder.unload()

    def describe_state(self) -> dict[str, Any]:
        """For `phase-os memo` and the doctor: recording or not, queue length."""
        meter = self.meter()
        return {
            "recording": self._memo["name"] if self._memo else None,
            "elapsed_s": round(meter[0], 1) if meter else None,
            "queued": self.worker.waiting,
        }


def _microphone_recorder(**settings: Any) -> MemoRecorder:
    """A recorder of the real microphone (sounddevice is imported with it)."""
    from phase_tui.voice.recorder import MemoRecorder

    return MemoRecorder(**settings)
