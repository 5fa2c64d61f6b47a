"""The status snapshot behind `phase-os status`: computed from the journal, written small.

`write_status_snapshot` is called by whatever records a phase change, a session, a bounce
or the app opening and closing; `phase_tui.session.statusline` reads it in a few
milliseconds. `compute_status` is the full, slow path used when no snapshot exists.
"""

from __future__ import annotations

import time

from phase_tui.atomic import atomic_write_text
from phase_tui.config import Config
from phase_tui.phase.phase_file import read_phase_file
from phase_tui.phase.telemetry import day_bounds, phase_spans, time_per_phase
from phase_tui.session.sessions import latest_session
from phase_tui.session.statusline import SNAPSHOT_NAME, fields_from_snapshot
from phase_tui.session.studio import Studio
from phase_tui.store import Store


def snapshot_values(
    studio: Studio, config: Config, store: Store, *, app_running: bool, now: float
) -> dict[str, str]:
    """The raw figures of the status line at `now`."""
    phase = read_phase_file(studio.phase_file) or config.default_phase
    events = store.all("events")
    running = frozenset({store.machine}) if app_running else frozenset()
    day_start, day_end = day_bounds(now)
    today = time_per_phase(phase_spans(events, now, running), day_start, day_end)
    entered = [e for e in events if e.get("type") == "phase" and e.get("to") == phase]
    session = latest_session(store)
    bounces = sum(1 for e in events if e.get("type") == "bounce" and day_start <= e["at"] < day_end)
    return {
        "at": repr(now),
        "phase": phase,
        "session": session["name"] if session else "-",
        "entered_at": repr(float(entered[-1]["at"]) if entered else now),
        "day_end": repr(day_end),
        "today_s": repr(sum(today.values())),
        "phase_today_s": repr(today.get(phase, 0.0)),
        "bounces_today": str(bounces),
        "running": "on" if app_running else "off",
    }


def write_status_snapshot(
    studio: Studio, config: Config, store: Store, *, app_running: bool, now: float | None = None
) -> dict[str, str]:
    """Recompute the snapshot and replace `.phase_os/status.txt` atomically."""
    values = snapshot_values(
        studio, config, store, app_running=app_running, now=time.time() if now is None else now
    )
    text = "".join(f"{key}={value}\n" for key, value in values.items())
    atomic_write_text(studio.internal / SNAPSHOT_NAME, text)
    return values


def compute_status(
    studio: Studio, config: Config, store: Store, *, app_running: bool, now: float | None = None
) -> dict[str, object]:
    """Template values computed from the journal (the slow path), snapshot refreshed."""
    now = time.time() if now is None else now
    values = write_status_snapshot(studio, config, store, app_running=app_running, now=now)
    return fields_from_snapshot(values, values["phase"], now)
