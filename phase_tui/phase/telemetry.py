"""Telemetry: time spent per phase, per day and per week, from the event journal.

Time counts while Phase OS is open: between `app_start` and `app_stop` events, split at
every `phase` event. A run that ended without `app_stop` (a crash, a kill) is counted up
to its last event. Each machine's events are counted on their own, then added up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from phase_tui.formatting import format_duration

__all__ = [
    "Span",
    "day_bounds",
    "format_duration",
    "phase_spans",
    "time_per_phase",
    "today_and_week",
    "week_bounds",
]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TIMELINE_TYPES = frozenset({"phase", "app_start", "app_stop"})


@dataclass(frozen=True)
class Span:
    """A stretch of time spent in one phase."""

    phase: str
    start: float
    end: float


def phase_spans(
    events: Iterable[Mapping[str, Any]], now: float, running_machines: frozenset[str] = frozenset()
) -> list[Span]:
    """Spans of open time per phase; machines in `running_machines` count up to `now`."""
    by_machine: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for event in events:
        if event.get("type") in TIMELINE_TYPES:
            by_machine[str(event.get("machine", ""))].append(event)
    spans: list[Span] = []
    for machine, timeline in by_machine.items():
        timeline.sort(key=lambda e: float(e["at"]))
        spans.extend(_machine_spans(timeline, now, machine in running_machines))
    return spans


def _machine_spans(timeline: list[Mapping[str, Any]], now: float, running: bool) -> list[Span]:
    spans: list[Span] = []
    phase: str | None = None
    open_since: float | None = None
    last_at = 0.0

    def close(at: float) -> None:
        if phase is not None and open_since is not None and at > open_since:
            spans.append(Span(phase, open_since, at))

    for event in timeline:
        at, kind = float(event["at"]), event["type"]
        if kind == "app_start":
            if open_since is not None:
                close(last_at)  # the previous run ended without app_stop
            open_since = at
        elif kind == "app_stop":
            close(at)
            open_since = None
        else:  # phase
            if open_since is not None:
                close(at)
                open_since = at
            phase = str(event.get("to"))
        last_at = at
    if open_since is not None:
        close(now if running else last_at)
    return spans


def time_per_phase(spans: Iterable[Span], start: float, end: float) -> dict[str, float]:
    """Seconds per phase inside [start, end)."""
    totals: dict[str, float] = defaultdict(float)
    for span in spans:
        overlap = min(span.end, end) - max(span.start, start)
        if overlap > 0:
            totals[span.phase] += overlap
    return dict(totals)


def day_bounds(now: float) -> tuple[float, float]:
    """Local midnight to midnight around `now`, as epoch seconds."""
    today = dt.datetime.fromtimestamp(now).astimezone().date()
    return _local_midnight(today), _local_midnight(today + dt.timedelta(days=1))


def week_bounds(now: float, starts_on: str = "monday") -> tuple[float, float]:
    """The local week around `now` that begins on `starts_on`, as epoch seconds."""
    today = dt.datetime.fromtimestamp(now).astimezone().date()
    back = (today.weekday() - WEEKDAYS.index(starts_on)) % 7
    first = today - dt.timedelta(days=back)
    return _local_midnight(first), _local_midnight(first + dt.timedelta(days=7))


def _local_midnight(day: dt.date) -> float:
    return dt.datetime(day.year, day.month, day.day).astimezone().timestamp()


def today_and_week(
    events: Iterable[Mapping[str, Any]],
    now: float,
    running_machines: frozenset[str],
    week_starts_on: str = "monday",
) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds per phase today and this week."""
    spans = phase_spans(events, now, running_machines)
    return (
        time_per_phase(spans, *day_bounds(now)),
        time_per_phase(spans, *week_bounds(now, week_starts_on)),
    )
