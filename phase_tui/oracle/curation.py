"""The curation queue: the library's samples one at a time, to approve, reject or skip.

A decision is a record of the small journal (kind "decisions") with the sample's id, the
decision, and the session and phase it was made in; the 100,000-row library is never
rewritten for one. Rejected and approved samples leave the queue for good; skipped ones
go to its end and come back. `undo` takes the last decision of this queue back (the
sample's decision before it is restored, or none). A filter narrows the queue by crate,
tag, duration and words of the name, written the way the curator's filter box takes it:
`crate:demo tag:dark 0.2-3s kick`.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from phase_tui.store import Record, Store

DECISIONS = "decisions"
DECIDED = ("approved", "rejected")
"""Decisions that take a sample out of the queue for good."""
CHOICES = (*DECIDED, "skipped")
_RANGE_RE = re.compile(r"^(\d+(?:\.\d+)?)?-(\d+(?:\.\d+)?)?s$")


@dataclass(frozen=True)
class QueueFilter:
    """What the queue keeps: every word in the name or crate, a crate, a tag, a duration."""

    words: tuple[str, ...] = ()
    crate: str | None = None
    tag: str | None = None
    min_s: float | None = None
    max_s: float | None = None

    @classmethod
    def parse(cls, text: str) -> QueueFilter:
        """`crate:NAME`, `tag:NAME`, `MIN-MAXs` (either end may be left out), other words."""
        words, crate, tag, low, high = [], None, None, None, None
        for token in text.split():
            key, _, value = token.partition(":")
            if key.lower() == "crate" and value:
                crate = value
            elif key.lower() == "tag" and value:
                tag = value.lstrip("#").lower()
            elif found := _RANGE_RE.match(token.lower()):
                low = float(found.group(1)) if found.group(1) else None
                high = float(found.group(2)) if found.group(2) else None
            else:
                words.append(token.casefold())
        return cls(tuple(words), crate, tag, low, high)

    def keeps(self, record: Mapping[str, Any], tagged: set[str] | None) -> bool:
        """Whether `record` passes; `tagged` holds the ids carrying the filter's tag."""
        text = f"{record.get('name', '')} {record.get('crate', '')}".casefold()
        duration = float(record.get("duration_s") or 0.0)
        return (
            all(word in text for word in self.words)
            and (self.crate is None or record.get("crate") == self.crate)
            and (tagged is None or str(record["id"]) in tagged)
            and (self.min_s is None or duration >= self.min_s)
            and (self.max_s is None or duration <= self.max_s)
        )


@dataclass(frozen=True)
class Progress:
    """How far the queue is: decided of all the samples it holds, and today's decisions."""

    done: int
    total: int
    today: Mapping[str, int]

    def text(self) -> str:
        """`◆ 12/240 · ✓5 ✗3 ↷1` for the HUD."""
        marks = {"approved": "✓", "rejected": "✗", "skipped": "↷"}
        today = " ".join(f"{marks[k]}{self.today[k]}" for k in CHOICES if self.today.get(k))
        return f"◆ {self.done}/{self.total}" + (f" · {today}" if today else "")


class CurationQueue:
    """The samples left to curate, in order, and the decisions taken on them."""

    def __init__(
        self,
        store: Store,
        *,
        session: Callable[[], str],
        phase: Callable[[], str],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self._session = session
        self._phase = phase
        self._clock = clock
        self._undo: list[tuple[str, Record | None]] = []

    def decisions(self) -> dict[str, Record]:
        """Every sample's decision, by sample id."""
        return {str(r["id"]): r for r in self.store.all(DECISIONS)}

    def samples(self, wanted: QueueFilter = QueueFilter()) -> list[Record]:
        """The queue: readable samples passing the filter that are neither approved nor
        rejected; the undecided first (by crate, then name), then the skipped."""
        decided = self.decisions()
        tagged = _tagged(self.store, wanted.tag) if wanted.tag else None
        fresh, skipped = [], []
        for record in self.store.all("samples"):
            if record.get("status", "ok") != "ok" or not wanted.keeps(record, tagged):
                continue
            decision = decided.get(str(record["id"]), {}).get("decision")
            if decision in DECIDED:
                continue
            (skipped if decision == "skipped" else fresh).append(record)
        return sorted(fresh, key=_order) + sorted(skipped, key=_order)

    def decide(self, sample_id: str, decision: str) -> Record:
        """Approve, reject or skip a sample (kept with the session and phase); undoable."""
        if decision not in CHOICES:
            raise ValueError(f"{decision!r} is not a decision: {', '.join(CHOICES)}")
        previous = self.store.get(DECISIONS, sample_id)
        fields = {
            "decision": decision,
            "at": self._clock(),
            "session": self._session(),
            "phase": self._phase(),
        }
        record = self.store.modify(DECISIONS, sample_id, lambda _found: fields, create=True)
        self._undo.append((sample_id, previous))
        return record

    def undo(self) -> str | None:
        """Take back the last decision of this queue; the sample's id (None: nothing to undo)."""
        if not self._undo:
            return None
        sample_id, previous = self._undo.pop()
        if previous is None:
            self.store.delete(DECISIONS, sample_id)
        else:
            kept = {k: previous.get(k) for k in ("decision", "at", "session", "phase")}
            self.store.modify(DECISIONS, sample_id, lambda _found: kept)
        return sample_id

    def progress(self, queue_size: int) -> Progress:
        """Decided (for good) against all, given the queue's size now; today's counts."""
        decided = self.decisions().values()
        done = sum(1 for r in decided if r.get("decision") in DECIDED)
        midnight = _local_midnight(self._clock())
        today = Counter(r["decision"] for r in decided if float(r.get("at") or 0) >= midnight)
        return Progress(done, done + queue_size, dict(today))


def approved(store: Store) -> list[str]:
    """The ids of the approved samples, oldest decision first."""
    found = [r for r in store.all(DECISIONS) if r.get("decision") == "approved"]
    return [str(r["id"]) for r in sorted(found, key=lambda r: float(r.get("at") or 0))]


def _tagged(store: Store, tag: str) -> set[str]:
    from phase_tui.tags import TagIndex

    return {item.id for item in TagIndex(store).items([tag]) if item.kind == "samples"}


def _order(record: Mapping[str, Any]) -> tuple[str, str]:
    return str(record.get("crate") or ""), str(record.get("name") or "").casefold()


def _local_midnight(now: float) -> float:
    day = time.localtime(now)
    return time.mktime((day.tm_year, day.tm_mon, day.tm_mday, 0, 0, 0, 0, 0, -1))
