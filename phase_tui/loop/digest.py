"""The weekly loop digest: what a week made, gathered from the Store, rendered as Markdown.

`gather_week` reads one week's bounces (bounce events of the journal, one line per bounce
record), saved slices, form map versions, tags, memos, Oracle samples, time per phase and
sessions into a `WeekDigest`; `digest_markdown` writes it as the file `digests/DATE.md`,
every path relative to `digests/` (absolute for a file outside the studio).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from phase_tui.activity import EVENTS
from phase_tui.builder.versions import FORMS
from phase_tui.formatting import format_clock, format_duration
from phase_tui.loop.digest_week import week_ending
from phase_tui.phase.telemetry import phase_spans, time_per_phase
from phase_tui.session.sessions import SESSIONS
from phase_tui.store import Record, Store
from phase_tui.tags import tagged_items
from phase_tui.voice.memos import MEMOS

DIGESTS = "digests"  # the studio folder of the files
SLICES = "slices"
SAMPLES = "samples"
TOP_TAGS = 10
SAMPLES_NAMED = 5
MEMO_WORDS = 12


@dataclass(frozen=True)
class FileRef:
    """A file the digest mentions: its name and its link from `digests/`."""

    name: str
    link: str


@dataclass(frozen=True)
class BounceLine:
    """One new bounce of the week."""

    file: FileRef
    duration_s: float | None


@dataclass(frozen=True)
class TagLine:
    """A tag used this week: on how many items, and whether it was first used this week."""

    tag: str
    count: int
    new: bool


@dataclass(frozen=True)
class MemoLine:
    """A memo of the week: when, how long, its first words, its audio."""

    started_at: float
    duration_s: float | None
    words: str
    file: FileRef | None


@dataclass(frozen=True)
class SessionLine:
    """A session worked in this week: its name, start, and how long it ran."""

    name: str
    started_at: float
    length_s: float


@dataclass(frozen=True)
class WeekDigest:
    """Everything one week's digest says."""

    week_end: date
    start: float
    end: float
    bounces: tuple[BounceLine, ...]
    slices: int
    form_changes: int
    form_files: tuple[FileRef, ...]
    tags: tuple[TagLine, ...]
    memos: tuple[MemoLine, ...]
    samples: int
    sample_files: tuple[FileRef, ...]
    phase_time: tuple[tuple[str, float], ...]
    sessions: tuple[SessionLine, ...]

    @property
    def empty(self) -> bool:
        """True when nothing at all happened in the week."""
        return not (
            self.bounces
            or self.slices
            or self.form_changes
            or self.tags
            or self.memos
            or self.samples
            or self.phase_time
            or self.sessions
        )

    @property
    def files(self) -> tuple[FileRef, ...]:
        """Every file the digest mentions, once each, in the order of the sections."""
        refs = [
            *(line.file for line in self.bounces),
            *(line.file for line in self.memos if line.file is not None),
            *self.sample_files,
            *self.form_files,
        ]
        return tuple(dict.fromkeys(refs))


def gather_week(store: Store, root: Path, week_end: date, now: float) -> WeekDigest:
    """The digest of the week ending on `week_end` in the studio at `root`, as of `now`."""
    start, end = week_ending(week_end)
    inside = _Window(start, end)
    link = _Linker(root)
    events = store.all(EVENTS)
    forms = [r for r in store.all(FORMS) if inside(r.get("saved_at", r.get("created_at")))]
    samples = [r for r in store.all(SAMPLES) if inside(r.get("created_at"))]
    spans = phase_spans(events, min(now, end))
    phase_time = time_per_phase(spans, start, end)
    return WeekDigest(
        week_end=week_end,
        start=start,
        end=end,
        bounces=_bounces(store, events, inside, link),
        slices=sum(1 for r in store.all(SLICES) if inside(r.get("created_at"))),
        form_changes=len(forms),
        form_files=tuple(link(r["path"]) for r in forms if r.get("path")),
        tags=_tags(store, inside),
        memos=tuple(_memo(r, link) for r in store.all(MEMOS) if inside(r.get("started_at"))),
        samples=len(samples),
        sample_files=tuple(_sample_file(r, link) for r in samples[:SAMPLES_NAMED]),
        phase_time=tuple(sorted(phase_time.items(), key=lambda item: -item[1])),
        sessions=_sessions(store, events, inside),
    )


class _Window:
    """Whether an epoch time lies in [start, end)."""

    def __init__(self, start: float, end: float) -> None:
        self.start, self.end = start, end

    def __call__(self, at: Any) -> bool:
        return at is not None and self.start <= float(at) < self.end


class _Linker:
    """A studio path (relative to the studio, or absolute) as a link from `digests/`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.digests = root / DIGESTS

    def __call__(self, stored: str | os.PathLike[str]) -> FileRef:
        path = self.root / stored
        if path.is_relative_to(self.root):
            return FileRef(path.name, os.path.relpath(path, self.digests))
        return FileRef(path.name, str(path))


def _bounces(
    store: Store, events: Iterable[Record], inside: _Window, link: _Linker
) -> tuple[BounceLine, ...]:
    """One line per bounce record with a bounce event in the week, by its first event."""
    firsts: dict[str, Record] = {}
    week = sorted(
        (e for e in events if e.get("type") == "bounce" and inside(e.get("at"))),
        key=lambda event: float(event["at"]),
    )
    for event in week:
        firsts.setdefault(str(event.get("bounce") or event["id"]), event)
    lines = []
    for bounce_id, event in firsts.items():
        record: Mapping[str, Any] = store.get("bounces", bounce_id) or event
        duration = record.get("duration_s", event.get("duration_s"))
        lines.append(BounceLine(link(str(record.get("path") or event["path"])), duration))
    return tuple(lines)


def _tags(store: Store, inside: _Window) -> tuple[TagLine, ...]:
    """The tags on items of the week, most used first; new ones were never used before."""
    used: Counter[str] = Counter()
    earlier: set[str] = set()
    for item in tagged_items(store):
        if inside(item.at):
            used.update(item.tags)
        elif item.at < inside.start:
            earlier.update(item.tags)
    ranked = sorted(used.items(), key=lambda pair: (-pair[1], pair[0]))[:TOP_TAGS]
    return tuple(TagLine(tag, count, tag not in earlier) for tag, count in ranked)


def _memo(record: Record, link: _Linker) -> MemoLine:
    words = str(record.get("text") or "").split()
    first = " ".join(words[:MEMO_WORDS]) + (" …" if len(words) > MEMO_WORDS else "")
    return MemoLine(
        started_at=float(record["started_at"]),
        duration_s=record.get("duration_s"),
        words=first,
        file=link(record["path"]) if record.get("path") else None,
    )


def _sample_file(record: Record, link: _Linker) -> FileRef:
    """A sample by its name; its link is "" when its record has no path."""
    path = record.get("path")
    linked = link(str(path)) if path else None
    name = record.get("name") or (linked.name if linked else record["id"])
    return FileRef(str(name), linked.link if linked else "")


def _sessions(store: Store, events: Iterable[Record], inside: _Window) -> tuple[SessionLine, ...]:
    """Sessions that began in the week or have events in it: start, and up to their last event."""
    last: dict[str, float] = {}
    active: set[str] = set()
    for event in events:
        name = event.get("session")
        if name:
            last[name] = max(last.get(name, 0.0), float(event["at"]))
            if inside(event.get("at")):
                active.add(name)
    lines = []
    for record in store.all(SESSIONS):
        name, began = str(record.get("name")), float(record.get("started_at", 0))
        if inside(began) or name in active:
            lines.append(SessionLine(name, began, max(last.get(name, began) - began, 0.0)))
    return tuple(sorted(lines, key=lambda line: line.started_at))


# ------------------------------------------------------------------ Markdown


def digest_markdown(week: WeekDigest) -> str:
    """The digest file's text (seed format: `# Weekly Loop Digest — DATE`, `###` sections)."""
    lines = [f"# Weekly Loop Digest — {week.week_end.isoformat()}", ""]
    if week.empty:
        lines += ["Nothing happened this week: no bounces, slices, maps, memos or sessions.", ""]
    sections = (
        ("New Bounces", _bounce_lines(week), "No new bounces"),
        ("Saved Slices", _slice_lines(week.slices), "No Oracle slices saved"),
        ("Form Map Version Changes", _form_lines(week.form_changes), "Builder structure unchanged"),
        ("Notable Tags", _tag_lines(week.tags), "No tags used"),
        ("Memos", _memo_lines(week.memos), "No memos"),
        ("Oracle Additions", _sample_lines(week), "No samples added"),
        ("Time per Phase", _phase_lines(week.phase_time), "No time in Phase OS"),
        ("Sessions", _session_lines(week.sessions), "No sessions"),
        ("Files", [f"- {_link(ref)}" for ref in week.files if ref.link], "No files"),
    )
    for title, body, none in sections:
        lines += [f"### {title}", *(body or [f"- {none}"]), ""]
    return "\n".join(lines).rstrip() + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _code(ref: FileRef) -> str:
    return f"`{ref.link or ref.name}`"


def _link(ref: FileRef) -> str:
    target = f"<{ref.link}>" if any(c in ref.link for c in " ()<>") else ref.link
    return f"[{ref.name}]({target})"


def _bounce_lines(week: WeekDigest) -> list[str]:
    return [f"- {_code(line.file)} — {format_clock(line.duration_s)}" for line in week.bounces]


def _slice_lines(count: int) -> list[str]:
    return [f"- {_plural(count, 'Oracle slice')} saved"] if count else []


def _form_lines(changes: int) -> list[str]:
    return [f"- Builder structure updated {_plural(changes, 'time')}"] if changes else []


def _tag_lines(tags: Iterable[TagLine]) -> list[str]:
    return [f"- #{t.tag} — {t.count}" + (" (new this week)" if t.new else "") for t in tags]


def _memo_lines(memos: Iterable[MemoLine]) -> list[str]:
    lines = []
    for memo in memos:
        when = time.strftime("%a %d %b %H:%M", time.localtime(memo.started_at))
        words = f"“{memo.words}”" if memo.words else "(no transcript yet)"
        audio = f" — {_link(memo.file)}" if memo.file else ""
        lines.append(f"- {when} — {format_clock(memo.duration_s)} — {words}{audio}")
    return lines


def _sample_lines(week: WeekDigest) -> list[str]:
    if not week.samples:
        return []
    names = ", ".join(ref.name for ref in week.sample_files)
    more = week.samples - len(week.sample_files)
    return [
        f"- {_plural(week.samples, 'sample')} added: {names}"
        + (f" and {more} more" if more else "")
    ]


def _phase_lines(phase_time: Iterable[tuple[str, float]]) -> list[str]:
    return [f"- {phase}: {format_duration(seconds)}" for phase, seconds in phase_time]


def _session_lines(sessions: Iterable[SessionLine]) -> list[str]:
    return [
        f"- {s.name} — {time.strftime('%a %d %b %H:%M', time.localtime(s.started_at))}, "
        f"{format_duration(s.length_s)}"
        for s in sessions
    ]
