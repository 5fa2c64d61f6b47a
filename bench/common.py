"""Shared helpers of the bench: the run context, a pty-hosted app, /proc readers, stats.

Every measure gets one `BenchContext`: a temporary HOME (so the user's config is never
touched), one studio made with `phase-os init`, and the commands that start Phase OS and
the bare reference app. `PtyApp` runs a full-screen app under a pseudo-terminal of a fixed
size and drains its output on a thread, stamping every chunk with its arrival time, so a
measure can ask when a marker first appeared after a given point of the stream.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
COLS, ROWS = 120, 35
CTRL_Q = b"\x11"
MACHINE_ID = "bench"


@dataclass(frozen=True)
class Row:
    """One line of the results table; `passed` None marks an informational row."""

    name: str
    value: float | None
    unit: str
    reference: float | None = None
    ratio: float | None = None
    target: str = "-"
    passed: bool | None = None


@dataclass
class BenchContext:
    """What every measure shares: repetition counts, a private HOME and a studio."""

    quick: bool
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="phase-os-bench-")))

    def __post_init__(self) -> None:
        self.home = self.root / "home"
        self.home.mkdir()
        self.studio = self.root / "studio"
        self.env = child_env(self.home)
        run_quiet([*self.phase_os_cmd(), "init", str(self.studio)], self.env)

    def reps(self, full: int, quick: int) -> int:
        """`full` repetitions, or `quick` with --quick."""
        return quick if self.quick else full

    def phase_os_cmd(self) -> list[str]:
        """The installed console script beside this interpreter (else `python -m`)."""
        script = Path(sys.executable).parent / "phase-os"
        return [str(script)] if script.exists() else [sys.executable, "-m", "phase_tui"]

    def app_cmd(self) -> list[str]:
        """Open Phase OS on the bench studio."""
        return [*self.phase_os_cmd(), "--studio", str(self.studio)]

    def bare_cmd(self) -> list[str]:
        """Open the bare reference app."""
        return [sys.executable, str(BENCH_DIR / "bare_app.py")]

    def current_phase(self) -> str:
        """The phase in the studio's `current_phase.txt` (the default, oracle, if none)."""
        try:
            words = (self.studio / "current_phase.txt").read_text().split()
        except OSError:
            words = []
        return words[0].lower() if words else "oracle"

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def child_env(home: Path) -> dict[str, str]:
    """The environment of every child: private HOME, fixed machine id and terminal type."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "XDG_", "PHASE_OS_"))
        and k not in {"COLUMNS", "LINES", "NO_COLOR"}
    }
    env.update(
        HOME=str(home), PHASE_OS_MACHINE_ID=MACHINE_ID, TERM="xterm-256color", LANG="C.UTF-8"
    )
    return env


def run_quiet(argv: list[str], env: dict[str, str]) -> str:
    """Run a command to completion; its stdout, or RuntimeError with its stderr."""
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


class PtyApp:
    """A child process on a pseudo-terminal of COLS x ROWS, its output drained on a thread."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path | None = None) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.master = master
        self._buffer = bytearray()
        self._chunks: list[tuple[int, float]] = []  # (end offset, arrival perf_counter)
        self._cond = threading.Condition()
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: every holder of the slave side has closed it
                chunk = b""
            now = time.perf_counter()
            with self._cond:
                if chunk:
                    self._buffer += chunk
                    self._chunks.append((len(self._buffer), now))
                self._cond.notify_all()
            if not chunk:
                return

    def offset(self) -> int:
        """How many bytes have arrived so far (a point to search from)."""
        with self._cond:
            return len(self._buffer)

    def wait_for(self, marker: bytes, since: int = 0, timeout_s: float = 20.0) -> float:
        """When (perf_counter) `marker` first fully arrived at or after offset `since`."""
        deadline = time.perf_counter() + timeout_s
        with self._cond:
            while True:
                found = self._buffer.find(marker, since)
                if found >= 0:
                    end = found + len(marker)
                    return next(t for offset, t in self._chunks if offset >= end)
                left = deadline - time.perf_counter()
                if left <= 0 or not self._reader.is_alive():
                    tail = bytes(self._buffer[-300:])
                    raise TimeoutError(
                        f"{marker!r} not seen in {timeout_s:.0f} s "
                        f"(exit code {self.proc.poll()}); output ends {tail!r}"
                    )
                self._cond.wait(min(left, 0.5))

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        """Quit with ctrl+q; SIGTERM, then SIGKILL, if the app does not go."""
        for action in (lambda: self.send(CTRL_Q), self.proc.terminate, self.proc.kill):
            if self.proc.poll() is not None:
                break
            with contextlib.suppress(OSError):
                action()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                continue
        self._reader.join(timeout=2)
        os.close(self.master)

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the whole process (every thread), from /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    """Resident memory (VmRSS) of a process in MiB, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: list[float], pct: float) -> float:
    """Linear-interpolated percentile (pct in 0..100)."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(value: float, reference: float) -> float:
    return value / reference if reference > 0 else math.inf


def upper_marker(phase: str) -> bytes:
    """What the HUD shows for a phase: its name in upper case."""
    return phase.upper().encode()


def status_kib(field: str) -> int:
    """A memory figure of this process in KiB from /proc/self/status: VmRSS (now) or VmHWM
    (the highest since the program started)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def run_json_child(ctx: BenchContext, argv: list[str], timeout_s: float) -> dict[str, Any]:
    """Run a bench child process to its end; the JSON object it printed last. A child
    that fails raises, with the end of its stderr."""
    done = subprocess.run(
        argv, cwd=REPO_ROOT, env=ctx.env, capture_output=True, text=True, timeout=timeout_s
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[1:3])} exited {done.returncode}: {done.stderr[-500:]}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result
