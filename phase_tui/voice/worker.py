"""One background thread that transcribes memos in the order they were asked for.

Whisper uses every core for a few seconds, so memos are done one at a time; between jobs
the thread wakes every `idle_check_s` to let the model leave memory when it has been idle
(`on_idle`). Submitting a memo already waiting does nothing.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

IDLE_CHECK_S = 20.0
_STOP = ""


class TranscriptionWorker:
    """Runs `work(memo_id)` for each submitted id on its own thread."""

    def __init__(
        self,
        work: Callable[[str], None],
        on_idle: Callable[[], None],
        idle_check_s: float = IDLE_CHECK_S,
    ) -> None:
        self._work = work
        self._on_idle = on_idle
        self._idle_check_s = idle_check_s
        self._queue: queue.Queue[str] = queue.Queue()
        self._waiting: set[str] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, memo_id: str) -> bool:
        """Queue a memo; False when it is already waiting."""
        with self._lock:
            if memo_id in self._waiting:
                return False
            self._waiting.add(memo_id)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="memo-transcriber", daemon=True
                )
                self._thread.start()
        self._queue.put(memo_id)
        return True

    @property
    def waiting(self) -> int:
        """How many memos wait (the one being transcribed included)."""
        with self._lock:
            return len(self._waiting)

    def join(self, timeout: float | None = None) -> None:
        """Wait until every submitted memo is done (the CLI, tests); TimeoutError after
        `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise TimeoutError("the transcriptions did not finish in time")
                self._queue.all_tasks_done.wait(left)

    def shutdown(self) -> None:
        """Stop after the memo in hand (the others stay pending in the Store)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(_STOP)

    def _run(self) -> None:
        while True:
            try:
                memo_id = self._queue.get(timeout=self._idle_check_s)
            except queue.Empty:
                self._safely(self._on_idle)
                continue
            if memo_id == _STOP:
                self._queue.task_done()
                return
            try:
                self._safely(self._work, memo_id)
            finally:
                with self._lock:
                    self._waiting.discard(memo_id)
                self._queue.task_done()

    @staticmethod
    def _safely(function: Callable[..., None], *args: str) -> None:
        try:
            function(*args)
        except Exception:  # the thread outlives any one memo's failure
            log.exception("memo transcription failed")
