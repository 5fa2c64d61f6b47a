"""Telemetry (time per phase per day/week) and exit rules, on events made in the test."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from phase_tui.config import default_config
from phase_tui.phase.rules import next_phase, suggest
from phase_tui.phase.telemetry import (
    day_bounds,
    format_duration,
    phase_spans,
    time_per_phase,
    today_and_week,
    week_bounds,
)

T0 = dt.datetime(2026, 11, 23, 10, 0).astimezone().timestamp()  # a Monday, 10:00 local


def ev(kind: str, at: float, to: str | None = None, machine: str = "m") -> dict[str, object]:
    return {"type": kind, "at": at, "to": to, "machine": machine}


def test_spans_split_at_phase_changes_and_stop() -> None:
    events = [
        ev("phase", T0 - 100, "oracle"),
        ev("app_start", T0),
        ev("phase", T0 + 600, "builder"),
        ev("app_stop", T0 + 1800),
    ]
    totals = time_per_phase(phase_spans(events, now=T0 + 9999), T0 - 1000, T0 + 9999)
    assert totals == {"oracle": 600, "builder": 1200}


def test_time_is_not_counted_while_closed() -> None:
    events = [
        ev("app_start", T0),
        ev("phase", T0, "oracle"),
        ev("app_stop", T0 + 60),
        ev("phase", T0 + 100, "remix"),  # from the shell, app closed
        ev("app_start", T0 + 1000),
        ev("app_stop", T0 + 1030),
    ]
    totals = time_per_phase(phase_spans(events, now=T0 + 5000), T0, T0 + 5000)
    assert totals == {"oracle": 60, "remix": 30}


def test_a_crashed_run_counts_to_its_last_event_and_a_running_one_to_now() -> None:
    crashed = [
        ev("app_start", T0),
        ev("phase", T0 + 10, "builder"),
        ev("phase", T0 + 70, "remix"),
        ev("app_start", T0 + 5000),
    ]
    totals = time_per_phase(phase_spans(crashed, now=T0 + 5100), T0, T0 + 6000)
    assert totals == {"builder": 60}  # remix began at the last event before the crash
    running = [ev("phase", T0 - 5, "oracle"), ev("app_start", T0)]
    totals = time_per_phase(phase_spans(running, T0 + 120, frozenset({"m"})), T0, T0 + 999)
    assert totals == {"oracle": 120}


def test_machines_are_counted_apart() -> None:
    events = [
        ev("app_start", T0, machine="a"),
        ev("phase", T0, "oracle", "a"),
        ev("app_stop", T0 + 60, machine="a"),
        ev("app_start", T0 + 30, machine="b"),
        ev("phase", T0 + 30, "builder", "b"),
        ev("app_stop", T0 + 90, machine="b"),
    ]
    assert time_per_phase(phase_spans(events, T0 + 100), T0, T0 + 100) == {
        "oracle": 60,
        "builder": 60,
    }


def test_day_and_week_bounds_split_spans() -> None:
    monday_midnight = dt.datetime(2026, 11, 23).astimezone().timestamp()
    assert day_bounds(T0)[0] == monday_midnight
    assert week_bounds(T0, "monday")[0] == monday_midnight
    sunday = dt.datetime(2026, 11, 22).astimezone().timestamp()
    assert week_bounds(T0, "sunday")[0] == sunday
    events = [
        ev("app_start", monday_midnight - 3600),
        ev("phase", monday_midnight - 3600, "oracle"),
        ev("app_stop", monday_midnight + 1800),
    ]
    today, week = today_and_week(events, T0, frozenset())
    assert today == {"oracle": 1800}
    assert week == {"oracle": 1800}  # Sunday 23:00 belongs to last week (weeks start Monday)


def test_format_duration() -> None:
    assert [format_duration(s) for s in (0, 59, 60, 3599, 3600, 3725)] == [
        "0s",
        "59s",
        "1m",
        "59m",
        "1h 00m",
        "1h 02m",
    ]


def test_bounce_rule_fires_on_bounces_since_entering() -> None:
    config = default_config()  # builder: leave_after_bounces = 2, next = remix
    bounces = [{"type": "bounce", "at": T0 - 50}, {"type": "bounce", "at": T0 + 10}]
    assert suggest(config, "builder", T0, bounces, T0 + 20) is None
    bounces.append({"type": "bounce", "at": T0 + 15})
    found = suggest(config, "builder", T0, bounces, T0 + 20)
    assert found is not None and found.to == "remix" and "2 bounces" in found.reason


def test_minutes_rule_and_next_in_order() -> None:
    config = default_config()
    phases = tuple(
        replace(p, leave_after_minutes=30.0, next=None) if p.name == "remix" else p
        for p in config.phases
    )
    config = replace(config, phases=phases)
    assert next_phase(config, "remix") == "recovery"
    assert suggest(config, "remix", T0, [], T0 + 29 * 60) is None
    found = suggest(config, "remix", T0, [], T0 + 31 * 60)
    assert found is not None and found.to == "recovery" and "31 min" in found.reason


def test_the_bounce_slot_shows_the_latest_bounce_and_todays_count() -> None:
    from phase_tui.activity import bounce_slot

    day_start = 1_000_000.0
    events = [
        {"type": "bounce", "at": day_start + 50, "name": "final.flac", "duration_s": 61.0},
        {"type": "phase", "at": day_start + 60},
        {"type": "bounce", "at": day_start - 90_000, "name": "sketch.wav", "duration_s": 30.0},
        {"type": "bounce", "at": day_start + 10, "name": "v2.wav", "duration_s": None},
    ]
    assert bounce_slot(events, day_start) == "♪ final.flac 1:01 · 2 today"
    assert bounce_slot(events[1:2], day_start) == ""
