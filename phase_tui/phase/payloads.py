"""Phase payloads: the `on_enter`/`on_exit` commands of a phase, run off the UI thread.

Commands are argument lists from `phase_os.toml` only, never a shell string, so a phase or
file name can never be interpreted by a shell. Each runs with a timeout; its output goes
to the log; a failing, missing or hanging command is reported, never fatal.
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from phase_tui.events import PayloadFinished

log = logging.getLogger(__name__)

OUTPUT_TAIL_CHARS = 400


def payload_env(phase: str, previous: str | None, session: str, studio: str) -> dict[str, str]:
    """The environment a payload sees: ours plus the PHASE_OS_* variables."""
    env = dict(os.environ)
    env.update(
        PHASE_OS_PHASE=phase,
        PHASE_OS_PREVIOUS=previous or "",
        PHASE_OS_SESSION=session,
        PHASE_OS_STUDIO=studio,
    )
    return env


def run_payload(
    argv: Sequence[str], *, phase: str, hook: str, env: dict[str, str], cwd: str, timeout_s: float
) -> PayloadFinished:
    """Run one payload command to the end (or the timeout) and describe what happened."""
    started = time.monotonic()
    command = tuple(argv)

    def finished(**fields: object) -> PayloadFinished:
        defaults: dict[str, object] = dict(
            returncode=None, timed_out=False, error=None, output_tail=""
        )
        defaults.update(fields)
        return PayloadFinished(
            phase=phase,
            hook=hook,
            argv=command,
            duration_s=time.monotonic() - started,
            **defaults,  # type: ignore[arg-type]
        )

    try:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as error:
        result = finished(error=error.strerror or str(error))
        log.error("%s", result.summary())
        return result
    try:
        output, _ = proc.communicate(timeout=timeout_s)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        output, _ = proc.communicate()
        timed_out = True
    text = output.decode("utf-8", errors="replace")
    result = finished(
        returncode=proc.returncode, timed_out=timed_out, output_tail=text[-OUTPUT_TAIL_CHARS:]
    )
    level = logging.INFO if result.ok else logging.ERROR
    log.log(level, "%s; output: %s", result.summary(), text.strip()[-2000:] or "(none)")
    return result


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, 9)
    except (ProcessLookupError, PermissionError):
        proc.kill()


class PayloadRunner:
    """Runs payload commands in a small thread pool and reports each result by callback."""

    def __init__(self, report: Callable[[PayloadFinished], None], workers: int = 2) -> None:
        self._report = report
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="payload")

    def submit(
        self,
        commands: Sequence[Sequence[str]],
        *,
        phase: str,
        hook: str,
        env: dict[str, str],
        cwd: str,
        timeout_s: float,
    ) -> list[Future[PayloadFinished]]:
        """Start each command in the background; results arrive through the callback."""
        futures = []
        for argv in commands:
            future = self._pool.submit(
                run_payload, argv, phase=phase, hook=hook, env=env, cwd=cwd, timeout_s=timeout_s
            )
            future.add_done_callback(self._done)
            futures.append(future)
        return futures

    def _done(self, future: Future[PayloadFinished]) -> None:
        try:
            self._report(future.result())
        except Exception:
            log.exception("reporting a payload result failed")

    def shutdown(self, wait: bool = False) -> None:
        """Stop taking work; with `wait`, let queued payloads finish first."""
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
