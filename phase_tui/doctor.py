"""`phase-os doctor`: what works in a studio and what does not, each with what to do.

`run_checks` looks at the config, the watched export folders, the Store files, the control
socket (and what answers it), the audio devices, the Whisper backend and model, the free
disk, the queues of a running app or daemon, the memos waiting, the last digest and crate
scan. It only looks: it never loads a model, opens an audio stream or writes a file.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phase_tui import control
from phase_tui.context import StudioContext

OK, WARN, FAIL = "ok", "warn", "fail"
DISK_WARN_BYTES = 1_000_000_000
DISK_FAIL_BYTES = 200_000_000
STORE_GROUPS = ("journal", "library")
NO_DEVICE = "memos and playback need a device"


@dataclass(frozen=True)
class Check:
    """One finding: `status` is ok, warn or fail; `hint` says what to do when not ok."""

    name: str
    status: str
    detail: str
    hint: str = ""


@dataclass(frozen=True)
class Served:
    """What answers on the control socket: its role, and its `status` report if it gives one."""

    role: str
    report: dict[str, Any] | None


def run_checks(context: StudioContext) -> list[Check]:
    """Every check of the studio, in the order they are shown."""
    internal = context.studio.internal
    served = ask_server(internal)
    running = served is not None
    return [
        Check("config", OK, f"{context.studio.config_path} is valid"),
        *check_watch_folders(context),
        *check_store(internal, context.store.machine),
        check_socket(internal, served),
        check_audio(),
        check_whisper(context),
        check_disk(context.studio.root),
        *check_queues(served),
        check_memos(context, running),
        check_digests(context, running),
        check_crates(context, running),
    ]


def ask_server(internal: Path) -> Served | None:
    """The app or daemon answering on the studio's control socket, or None."""
    role = control.served_role(internal)
    if role is None:
        return None
    try:
        report = control.send(internal, "status")
    except (control.CommandError, ConnectionError, OSError, ValueError):
        report = None
    return Served(role, report if isinstance(report, dict) else None)


# ----------------------------------------------------------------- files and folders
def check_watch_folders(context: StudioContext) -> list[Check]:
    """Each export folder of `[watch] folders`: there, readable, watched how."""
    from phase_tui.loop.mounts import network_filesystem

    root = context.studio.root
    watch = context.config.watch
    polled = set(watch.resolved(root, watch.poll_folders))
    checks = []
    for folder in watch.resolved(root):
        name = f"watch {context.studio.relative(folder)}"
        if not folder.exists():
            inside = folder.is_relative_to(root)
            checks.append(
                Check(
                    name,
                    WARN if inside else FAIL,
                    f"{folder} does not exist: bounces exported there are not logged",
                    "it is made when the app or daemon starts"
                    if inside
                    else "create it, mount its drive, or fix [watch] folders in phase_os.toml",
                )
            )
        elif not folder.is_dir() or not os.access(folder, os.R_OK | os.X_OK):
            checks.append(
                Check(
                    name,
                    FAIL,
                    f"{folder} is not a folder this user can read",
                    f"fix its permissions (chmod u+rx '{folder}') or [watch] folders",
                )
            )
        elif folder in polled:
            checks.append(Check(name, OK, "polled ([watch] poll_folders asks for it)"))
        elif fstype := network_filesystem(folder):
            detail = f"polled: on a {fstype} network drive, which sends no change events"
            checks.append(Check(name, OK, detail))
        else:
            events = "inotify" if sys.platform.startswith("linux") else "file system events"
            checks.append(Check(name, OK, f"watched by {events}"))
    return checks


def check_store(internal: Path, machine: str) -> list[Check]:
    """Each Store file (size, last write, readable JSON) and the damaged ones put aside;
    `machine` is this machine's id (its own files are put aside when damaged)."""
    files = sorted(path for group in STORE_GROUPS for path in internal.glob(f"{group}-*.json"))
    checks = [_store_file(path, path.stem.endswith(f"-{machine}")) for path in files]
    if not files:
        checks.append(Check("store", OK, "no records yet"))
    aside = sorted(path.name for path in internal.glob("*.corrupt-*"))
    if aside:
        checks.append(
            Check(
                "store aside",
                WARN,
                f"damaged Store files were put aside: {', '.join(aside)}",
                f"look in them (in {internal}) for records worth keeping, then delete them",
            )
        )
    return checks


def _store_file(path: Path, own: bool) -> Check:
    name = f"store {path.name}"
    try:
        stat = path.stat()
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if text.strip() else {}
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise ValueError("the top level is not an object of tables")
    except (OSError, ValueError, UnicodeDecodeError) as error:
        hint = (
            "restore it from a backup; else the next start puts it aside and begins afresh"
            if own
            else "another machine's file, skipped here: let the sync finish, or repair it there"
        )
        return Check(name, FAIL, f"unreadable: {error}", hint)
    records = sum(len(table) for table in data.values())
    detail = f"{_size(stat.st_size)}, {records} records, written {_when(stat.st_mtime)}"
    return Check(name, OK, detail)


def check_socket(internal: Path, served: Served | None) -> Check:
    """Whether an app or a daemon answers on the control socket, or a dead one left it."""
    path = control.socket_path(internal)
    if served is not None:
        return Check("control socket", OK, f"the {served.role} answers on {path}")
    if path.exists():
        return Check(
            "control socket",
            WARN,
            f"stale socket file {path}: nothing answers on it",
            "a crashed app or daemon left it; the next one to start replaces it (or delete it)",
        )
    return Check("control socket", OK, "no app or daemon runs (commands work on the files)")


def check_disk(root: Path) -> Check:
    """The free space where the studio is."""
    free = shutil.disk_usage(root).free
    detail = f"{_size(free)} free"
    hint = "free some space: bounces, memos and the Store are written there"
    if free < DISK_FAIL_BYTES:
        return Check("disk", FAIL, detail, hint)
    if free < DISK_WARN_BYTES:
        return Check("disk", WARN, detail, hint)
    return Check("disk", OK, detail)


# ----------------------------------------------------------------- devices and models
def check_audio() -> Check:
    """PortAudio and the input and output devices (nothing is opened)."""
    from phase_tui.voice.microphone import MicUnavailable, input_names, sounddevice_module

    try:
        inputs = input_names()
        sd = sounddevice_module()
        outputs = [d for d in sd.query_devices() if d["max_output_channels"] > 0]
    except MicUnavailable as error:
        return Check("audio", WARN, str(error), f"{NO_DEVICE}: install PortAudio")
    except Exception as error:  # PortAudio's own errors: the check reports, never crashes
        return Check("audio", WARN, f"the audio devices cannot be listed: {error}", NO_DEVICE)
    detail = f"{len(inputs)} input(s), {len(outputs)} output(s)"
    if not inputs or not outputs:
        hint = f"{NO_DEVICE}: plug one in or check the system's sound settings"
        return Check("audio", WARN, detail, hint)
    return Check("audio", OK, f"{detail}; inputs: {', '.join(inputs)}")


def check_whisper(context: StudioContext) -> Check:
    """The `[memo]` backend installed and its model on disk (found, never loaded)."""
    from phase_tui.voice.backends import BACKENDS, TranscriberUnavailable

    memo = context.config.memo
    if not memo.transcribe:
        return Check("whisper", OK, "off ([memo] transcribe = false)")
    models_dir = context.studio.internal / "models"
    if memo.backend == "faster-whisper":
        from phase_tui.voice.faster_backend import INSTALL, resolve_model

        modules, resolve = ("faster_whisper",), resolve_model
    elif memo.backend == "openai-whisper":
        from phase_tui.voice.openai_backend import INSTALL, resolve_checkpoint

        modules, resolve = ("whisper", "torch"), resolve_checkpoint
    else:
        return Check(
            "whisper",
            FAIL,
            f"unknown backend {memo.backend!r}",
            f"set [memo] backend to one of {', '.join(BACKENDS)}",
        )
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        detail = f"{memo.backend} is not installed (no {', '.join(missing)})"
        return Check("whisper", FAIL, detail, f"{INSTALL}; memos wait as pending until then")
    try:
        found = resolve(memo.model, models_dir)
    except TranscriberUnavailable as error:
        detail = f"{memo.backend}: the model {memo.model!r} is not on disk"
        return Check("whisper", FAIL, detail, f"{error}; memos wait as pending until then")
    return Check("whisper", OK, f"{memo.backend}, model {memo.model} at {found}")


# ----------------------------------------------------------------- work waiting
def check_queues(served: Served | None) -> list[Check]:
    """The worker queues of the app or daemon, when it reports them."""
    if served is None or served.report is None:
        return []
    queues = served.report.get("queues") or {}
    detail = ", ".join(f"{name} {count}" for name, count in queues.items()) or "none"
    return [Check("queues", OK, f"{served.role}: {detail}")]


def check_memos(context: StudioContext, running: bool) -> Check:
    """Memos waiting for a transcript, and memos whose transcription failed."""
    from phase_tui.voice.memos import memos_with_status

    store = context.store
    pending = len(memos_with_status(store, "pending", "transcribing"))
    failed = len(memos_with_status(store, "failed"))
    detail = f"{pending} pending, {failed} failed"
    if failed:
        hint = "`phase-os memo ls` says why; `phase-os memo transcribe REF` tries one again"
        return Check("memos", WARN, detail, hint)
    if pending and context.config.memo.transcribe and not running:
        hint = "`phase-os memo transcribe --pending`, or start the app or `phase-os daemon`"
        return Check("memos", WARN, detail, hint)
    return Check("memos", OK, detail)


def check_digests(context: StudioContext, running: bool) -> Check:
    """The last weekly digest, the weeks over without one, and mails that failed."""
    from phase_tui.loop.digest_scheduler import DigestScheduler

    scheduler = DigestScheduler(context)
    records = scheduler.records()
    last = max(records, key=lambda record: record["written_at"], default=None)
    detail = f"last written {_when(last['written_at'])} ({last['path']})" if last else "none yet"
    unsent = [r["week"] for r in records if (r.get("mail") or {}).get("error")]
    if unsent:
        hint = "check [mail] in phase_os.toml; failed mails are sent again at the next start"
        return Check("digests", WARN, f"{detail}; not mailed: {', '.join(unsent)}", hint)
    due = scheduler.due() if context.config.digest.auto else []
    if due and not running:
        hint = "`phase-os digest` writes them (a running app or daemon does it every hour)"
        return Check("digests", WARN, f"{detail}; {len(due)} week(s) over without one", hint)
    return Check("digests", OK, detail)


def check_crates(context: StudioContext, running: bool) -> Check:
    """The last crate scan, and whether one is due."""
    from phase_tui.oracle.miner import CrateMiner

    miner = CrateMiner(context)
    last = miner.last_scan()
    detail = f"last scan {_when(last['at'])}" if last else "never scanned"
    if miner.due() and not running:
        days = context.config.oracle.rescan_days
        hint = "`phase-os crate scan` (a running app or daemon scans when due)"
        return Check("crates", WARN, f"{detail}; a scan is due (every {days:g} days)", hint)
    return Check("crates", OK, detail)


# ----------------------------------------------------------------- formatting
def _size(count: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} TB"


def _when(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(float(at)))
