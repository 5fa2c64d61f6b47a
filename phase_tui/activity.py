"""The activity journal: every event is a record of kind `events` in the Store.

Each event carries its time, type, session and phase; `describe` turns one into the line
the dashboard's journal and `phase-os log` show.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from phase_tui.formatting import format_clock
from phase_tui.store import Record, Store

EVENTS = "events"


def log_event(
    store: Store,
    kind: str,
    *,
    session: str | None,
    phase: str | None,
    at: float | None = None,
    **fields: Any,
) -> Record:
    """Record one event of type `kind` in the Store and return it."""
    record = {
        "type": kind,
        "at": time.time() if at is None else at,
        "session": session,
        "phase": phase,
        **fields,
    }
    return store.insert(EVENTS, record)


def describe(event: Record) -> str:
    """A short human line for one event."""
    kind = event.get("type")
    if kind == "phase":
        source = event.get("from") or "—"
        return f"phase {source} → {event.get('to')} (by {event.get('by')})"
    if kind == "app_start":
        return "Phase OS opened"
    if kind == "app_stop":
        return "Phase OS closed"
    if kind == "session":
        return f"session {event.get('name')} started ({event.get('reason')})"
    if kind == "notify":
        return f"note: {event.get('text')}"
    if kind == "payload":
        return str(event.get("summary"))
    if kind == "bounce":
        return f"bounce {event.get('name')}"
    if kind == "memo":
        return f"memo recorded ({format_clock(event.get('duration_s'))})"
    if kind == "memo_text":
        return f"memo: “{event.get('text')}”"
    return str(event.get("text") or kind)


def bounce_slot(events: Iterable[Record], day_start: float) -> str:
    """The HUD's bounce slot: the last bounce logged and how many since `day_start`.

    The last is the latest by time (a catch-up journals older files after newer ones);
    "" before the first bounce ever.
    """
    bounces = [event for event in events if event.get("type") == "bounce"]
    if not bounces:
        return ""
    last = max(bounces, key=lambda event: float(event["at"]))
    today = sum(1 for event in bounces if float(event["at"]) >= day_start)
    length = format_clock(last.get("duration_s")) if last.get("duration_s") else ""
    return f"♪ {last.get('name')} {length}".rstrip() + f" · {today} today"
