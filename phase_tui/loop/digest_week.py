"""Digest weeks: seven local calendar days ending on the `[digest] day`, dated by that day.

A week runs from 00:00 local time on the day after the previous digest day to the midnight
after its own digest day. Boundaries are local midnights found with `time.mktime`, so a week
holding a daylight-saving change lasts 167 or 169 hours, never a fixed 7 * 86400 seconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEK = timedelta(days=7)


def local_midnight(day: date) -> float:
    """00:00 local time on `day`, as epoch seconds."""
    return time.mktime((day.year, day.month, day.day, 0, 0, 0, 0, 0, -1))


def week_ending(day: date) -> tuple[float, float]:
    """(start, end) in epoch seconds of the week whose last day is `day`: [start, end)."""
    return local_midnight(day - timedelta(days=6)), local_midnight(day + timedelta(days=1))


def week_end_on_or_after(day: date, digest_day: str) -> date:
    """The digest date of the week holding the local calendar day `day`."""
    ahead = (WEEKDAYS.index(digest_day) - day.weekday()) % 7
    return day + timedelta(days=ahead)


def week_end_for(moment: float, digest_day: str) -> date:
    """The digest date of the week holding the epoch time `moment`."""
    return week_end_on_or_after(date.fromtimestamp(moment), digest_day)


def last_complete_week_end(now: float, digest_day: str) -> date:
    """The digest date of the newest week that is over at `now`."""
    return week_end_for(now, digest_day) - WEEK


def week_ends(first: date, last: date) -> Iterator[date]:
    """`first`, a week later, ... up to and including `last` (nothing when `last` < `first`)."""
    day = first
    while day <= last:
        yield day
        day += WEEK
