"""Digest weeks: local calendar days, any digest day, and weeks across daylight-saving changes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import pytest

from phase_tui.loop.digest_week import (
    WEEKDAYS,
    last_complete_week_end,
    local_midnight,
    week_end_for,
    week_end_on_or_after,
    week_ending,
    week_ends,
)

HOUR = 3600.0
SetZone = Callable[[str], None]


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[SetZone]:
    """Set TZ for a test (`zone(name)`), restored afterwards."""

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def local(text: str) -> float:
    """Epoch seconds of a local wall-clock time `YYYY-MM-DD HH:MM`."""
    return time.mktime(time.strptime(text, "%Y-%m-%d %H:%M"))


@pytest.mark.parametrize(
    ("name", "spring_end", "autumn_end"),
    [
        ("Europe/Berlin", date(2025, 3, 30), date(2025, 10, 26)),  # both Sundays
        ("America/New_York", date(2025, 3, 9), date(2025, 11, 2)),
    ],
)
def test_weeks_holding_a_dst_change_last_167_or_169_hours(
    zone: SetZone, name: str, spring_end: date, autumn_end: date
) -> None:
    zone(name)
    start, end = week_ending(spring_end)
    assert end - start == 167 * HOUR
    assert start == local("2025-03-24 00:00" if name == "Europe/Berlin" else "2025-03-03 00:00")
    assert time.localtime(end)[:5] == (*(spring_end + timedelta(days=1)).timetuple()[:3], 0, 0)
    start, end = week_ending(autumn_end)
    assert end - start == 169 * HOUR
    assert time.localtime(start).tm_hour == 0 and time.localtime(end).tm_hour == 0
    # the weeks after are ordinary again, and every week starts where the previous ended
    assert week_ending(autumn_end + timedelta(days=7))[0] == end
    assert week_ending(autumn_end + timedelta(days=7))[1] - end == 168 * HOUR


def test_week_end_for_a_moment_near_midnight_across_dst(zone: SetZone) -> None:
    zone("Europe/Berlin")
    # Sunday 30 March 2025, 23:59 (after the spring change) is still in the week ending that day
    assert week_end_for(local("2025-03-30 23:59"), "sunday") == date(2025, 3, 30)
    assert week_end_for(local("2025-03-31 00:00"), "sunday") == date(2025, 4, 6)
    # the autumn change: 02:30 happens twice on Sunday 26 October
    assert week_end_for(local("2025-10-26 02:30"), "sunday") == date(2025, 10, 26)
    assert last_complete_week_end(local("2025-10-27 00:00"), "sunday") == date(2025, 10, 26)
    assert last_complete_week_end(local("2025-10-26 23:59"), "sunday") == date(2025, 10, 19)


def test_new_york_draft_week_and_last_complete_week(zone: SetZone) -> None:
    zone("America/New_York")
    now = local("2025-03-09 12:00")  # the Sunday of the spring change
    assert week_end_for(now, "sunday") == date(2025, 3, 9)
    assert last_complete_week_end(now, "sunday") == date(2025, 3, 2)
    start, end = week_ending(date(2025, 3, 9))
    assert start <= now < end


@pytest.mark.parametrize("digest_day", WEEKDAYS)
def test_every_digest_day(zone: SetZone, digest_day: str) -> None:
    zone("Europe/Berlin")
    moment = local("2025-06-04 13:00")  # a Wednesday
    week_end = week_end_for(moment, digest_day)
    assert WEEKDAYS[week_end.weekday()] == digest_day
    assert date(2025, 6, 4) <= week_end <= date(2025, 6, 10)
    start, end = week_ending(week_end)
    assert start <= moment < end
    assert end - start == 168 * HOUR
    assert datetime.fromtimestamp(start).date() == week_end - timedelta(days=6)
    last = last_complete_week_end(moment, digest_day)
    assert last == week_end - timedelta(days=7)
    assert week_ending(last)[1] <= moment
    assert week_end_on_or_after(week_end, digest_day) == week_end


def test_week_ends_steps_a_week_at_a_time() -> None:
    first = date(2025, 5, 18)
    assert list(week_ends(first, date(2025, 6, 1))) == [
        date(2025, 5, 18),
        date(2025, 5, 25),
        date(2025, 6, 1),
    ]
    assert list(week_ends(first, date(2025, 5, 17))) == []


def test_local_midnight_is_the_day_start(zone: SetZone) -> None:
    zone("America/New_York")
    assert time.localtime(local_midnight(date(2025, 11, 2)))[:6] == (2025, 11, 2, 0, 0, 0)
