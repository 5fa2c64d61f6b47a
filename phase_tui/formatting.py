"""How durations are written for people: `1h 05m` for spans of time, `3:17` for audio.

Standard library only: the `phase-os status` fast path uses it.
"""

from __future__ import annotations


def format_duration(seconds: float) -> str:
    """A span of time: `1h 05m`, `12m`, `40s`."""
    seconds = int(max(seconds, 0))
    if seconds < 60:
        return f"{seconds}s"
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def format_clock(seconds: float | None) -> str:
    """An audio length as the seeds write it: `3:17`, `1:02:05`; `-:--` when unknown."""
    if seconds is None:
        return "-:--"
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_sample_length(seconds: float | None) -> str:
    """A sample's length: `0.4s` under a minute (one-shots are short), else like
    `format_clock`."""
    if seconds is None or seconds >= 60:
        return format_clock(seconds)
    return f"{seconds:.1f}s"
