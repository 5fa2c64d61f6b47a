"""The fast path of `phase-os status`: read a small snapshot file, print one line.

`phase-os status` runs from a tmux status bar every few seconds, so it must cost little
more than starting Python: this module imports only the standard library's `os`, `sys`
and `time`. The snapshot `.phase_os/status.txt` (key=value lines, per machine, never
synced) is rewritten by whoever records a phase change, a session or a bounce; the phase
itself is read fresh from `current_phase.txt`, so `echo builder > current_phase.txt`
shows at once.
"""

from __future__ import annotations

import os
import time

from phase_tui.formatting import format_duration

DEFAULT_FORMAT = (
    "{phase} · {session} · {in_phase} in phase · {today} today · {bounces_today} bounces"
)
SNAPSHOT_NAME = "status.txt"


def read_snapshot(path: str) -> dict[str, str] | None:
    """The key=value pairs of a snapshot file, or None when it is missing or unreadable."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    pairs = dict(line.split("=", 1) for line in lines if "=" in line)
    return pairs if "at" in pairs else None


def fields_from_snapshot(
    snapshot: dict[str, str], phase: str | None, now: float
) -> dict[str, object]:
    """Template values, brought forward from the snapshot's time to `now`."""
    at = float(snapshot["at"])
    running = snapshot.get("running") == "on"
    day_end = float(snapshot["day_end"])
    if now >= day_end:  # a new day since the snapshot: only today's open time counts
        today_s = now - max(day_end, at) if running else 0.0
        phase_today_s, bounces = today_s, 0
    else:
        extra = max(now - at, 0.0) if running else 0.0
        today_s = float(snapshot["today_s"]) + extra
        phase_today_s = float(snapshot["phase_today_s"]) + extra
        bounces = int(snapshot.get("bounces_today", "0"))
    shown_phase = phase or snapshot.get("phase", "-")
    if shown_phase != snapshot.get("phase"):  # changed by hand since the snapshot
        in_phase_s, phase_today_s = 0.0, 0.0
    else:
        in_phase_s = now - float(snapshot["entered_at"])
    return {
        "phase": shown_phase,
        "session": snapshot.get("session", "-"),
        "in_phase": format_duration(in_phase_s),
        "today": format_duration(today_s),
        "phase_today": format_duration(phase_today_s),
        "bounces_today": bounces,
        "running": "on" if running else "off",
    }


def render_status(fields: dict[str, object], template: str = DEFAULT_FORMAT) -> str:
    """Fill the template; an unknown field name is a ValueError that lists the known ones."""
    try:
        return template.format(**fields)
    except (KeyError, IndexError) as error:
        known = ", ".join("{" + key + "}" for key in fields)
        raise ValueError(f"unknown status field {error}; known: {known}") from None


def fast_status(studio_root: str, template: str) -> str | None:
    """The status line from this machine's snapshot, or None when there is no snapshot."""
    snapshot = read_snapshot(os.path.join(studio_root, ".phase_os", SNAPSHOT_NAME))
    if snapshot is None:
        return None
    try:
        with open(os.path.join(studio_root, "current_phase.txt"), encoding="utf-8") as handle:
            words = handle.read().split()
    except OSError:
        words = []
    phase = words[0].lower() if words else None
    return render_status(fields_from_snapshot(snapshot, phase, time.time()), template)
