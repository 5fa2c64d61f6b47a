"""Sessions: one sitting of work, with a generated identity that every event carries.

A new session starts when Phase OS starts after an idle gap (no event for
`idle_gap_hours`), or on `phase-os session new`; otherwise the latest session resumes.
"""

from __future__ import annotations

import time

from phase_tui.activity import EVENTS, log_event
from phase_tui.session.identity import generate_identity
from phase_tui.store import Record, Store

SESSIONS = "sessions"


def latest_session(store: Store) -> Record | None:
    """The most recently started session, or None."""
    found = store.latest(SESSIONS, 1)
    return found[0] if found else None


def last_activity(store: Store) -> float | None:
    """Time of the newest event in the journal, or None."""
    newest = store.latest(EVENTS, 1)
    return float(newest[0]["at"]) if newest else None


def start_session(
    store: Store, *, reason: str, phase: str | None, now: float | None = None
) -> Record:
    """Create a new session and record its start in the journal."""
    now = time.time() if now is None else now
    name, colour = generate_identity()
    session = store.insert(
        SESSIONS, {"name": name, "colour": colour, "started_at": now, "reason": reason}
    )
    log_event(store, "session", session=name, phase=phase, at=now, name=name, reason=reason)
    return session


def resume_or_start(
    store: Store, *, idle_gap_s: float, phase: str | None, now: float | None = None
) -> tuple[Record, bool]:
    """The session to work in now, and whether it is new (after an idle gap or the first)."""
    now = time.time() if now is None else now
    session = latest_session(store)
    if session is None:
        return start_session(store, reason="first session", phase=phase, now=now), True
    active = last_activity(store) or float(session["started_at"])
    if now - active >= idle_gap_s:
        hours = (now - active) / 3600
        return start_session(store, reason=f"after {hours:.1f} h idle", phase=phase, now=now), True
    return session, False
