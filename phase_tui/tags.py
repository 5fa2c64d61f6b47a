"""Tags: the one spelling every tag is stored under, and the tag index across every kind.

An item is a record of one of `TAGGED_KINDS` with a `tags` list. `TagIndex` keeps the
tagged items of each kind with the Store's `revision` of that kind and re-reads a kind only
when its revision changed (another process, or this one, wrote), so a query on an unchanged
studio costs a few `stat`s; its edits go straight to the Store. `phase_tui.item_refs`
resolves an item named on the shell (`bounce:last`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from phase_tui.store import Record, Store
from phase_tui.voice.memos import memo_title

_SEPARATORS = re.compile(r"[\s_]+")
_DASHES = re.compile(r"-{2,}")


def normalise_tag(text: str) -> str:
    """The stored spelling of a tag: casefolded, `#`s and outer punctuation gone, inner spaces
    and underscores as one `-`, only letters, digits and `-` kept; "" when nothing is left.

    >>> normalise_tag(" Late  Night ")
    'late-night'
    """
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    dashed = _SEPARATORS.sub("-", folded.strip())
    kept = "".join(char for char in dashed if char.isalnum() or char == "-")
    return unicodedata.normalize("NFC", _DASHES.sub("-", kept).strip("-"))


def merge_tags(existing: Iterable[str], added: Iterable[str]) -> list[str]:
    """`existing` then `added`, normalised, without duplicates or empties, order kept."""
    merged: dict[str, None] = {}
    for tag in (*existing, *added):
        name = normalise_tag(tag)
        if name:
            merged[name] = None
    return list(merged)


def tag_name(text: str) -> str:
    """`text` normalised; ValueError with a clear sentence when nothing of a tag is left."""
    name = normalise_tag(text)
    if not name:
        raise ValueError(f"{text!r} is not a tag: a tag needs at least one letter or digit")
    return name


TAGGED_KINDS: tuple[str, ...] = ("bounces", "memos", "forms", "sessions", "samples", "slices")
"""The Store kinds whose records carry tags."""

SAMPLE_TAGS = "sample_tags"
"""Samples keep their tags apart, in the small journal (records with the sample's id): the
library file holds 100,000 rows, and a tag must never rewrite it."""

_DATE_FIELDS = {
    "bounces": "mtime",
    "memos": "started_at",
    "forms": "saved_at",
    "sessions": "started_at",
}


@dataclass(frozen=True)
class TaggedItem:
    """A record with tags, as lists show it: Store kind, id, display name, date, tags."""

    kind: str
    id: str
    name: str
    at: float
    tags: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        """(kind, id): unique across kinds."""
        return self.kind, self.id


def kind_items(store: Store, kind: str, tagged_only: bool = False) -> list[TaggedItem]:
    """Every record of a tagged kind as an item (with or without tags, unless
    `tagged_only`: then at least those with tags), oldest first."""
    if kind == "samples":
        return _sample_items(store, tagged_only)
    records = store.all(kind)
    forms = _form_names(records) if kind == "forms" else {}
    return [
        TaggedItem(
            kind=kind,
            id=str(record["id"]),
            name=memo_title(record)
            if kind == "memos"
            else forms.get(record["id"]) or str(record.get("name") or record["id"]),
            at=_date(kind, record),
            tags=tuple(merge_tags(record.get("tags") or (), ())),
        )
        for record in records
    ]


def _sample_items(store: Store, tagged_only: bool) -> list[TaggedItem]:
    """Samples with their tags from the journal; `tagged_only` reads just the tagged ones
    from the library (a few lookups, not 100,000 rows)."""
    tags = {
        str(r["id"]): tuple(merge_tags(r.get("tags") or (), ())) for r in store.all(SAMPLE_TAGS)
    }
    if tagged_only:
        samples = [found for sample_id in tags if (found := store.get("samples", sample_id))]
    else:
        samples = store.all("samples")
    return [
        TaggedItem(
            kind="samples",
            id=str(sample["id"]),
            name=str(sample.get("name") or sample["id"]),
            at=_date("samples", sample),
            tags=tags.get(str(sample["id"]), ()),
        )
        for sample in samples
    ]


def tags_kind(kind: str) -> str:
    """The Store kind whose records hold the tags of items of `kind`."""
    return SAMPLE_TAGS if kind == "samples" else kind


def newest_first(items: Iterable[TaggedItem]) -> list[TaggedItem]:
    """Items by date, newest first (ties: the newer id first)."""
    return sorted(items, key=lambda item: (item.at, item.id), reverse=True)


def tagged_items(store: Store) -> list[TaggedItem]:
    """Every item with at least one tag, newest first."""
    return newest_first(
        item for kind in TAGGED_KINDS for item in kind_items(store, kind, True) if item.tags
    )


class TagIndex:
    """Tag -> items across `TAGGED_KINDS`, rebuilt when the Store says a kind changed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._kinds: dict[str, tuple[tuple[Any, ...], list[TaggedItem]]] = {}
        self._items: dict[tuple[str, str], TaggedItem] = {}
        self._by_tag: dict[str, set[tuple[str, str]]] = {}
        self._spans: dict[str, tuple[float, float]] = {}  # tag -> (first, last used)

    # ----------------------------------------------------------------- queries
    def counts(self) -> dict[str, int]:
        """Every tag in use -> how many items carry it."""
        with self._lock:
            self._refresh()
            return {tag: len(keys) for tag, keys in self._by_tag.items()}

    def items(self, all_of: Iterable[str], none_of: Iterable[str] = ()) -> list[TaggedItem]:
        """Items having every tag of `all_of` and none of `none_of`, newest first; every
        tagged item when `all_of` is empty."""
        wanted, unwanted = _names(all_of), _names(none_of)
        with self._lock:
            self._refresh()
            if wanted:
                keys = set.intersection(*(self._by_tag.get(tag, set()) for tag in wanted))
            else:
                keys = set(self._items)
            for tag in unwanted:
                keys -= self._by_tag.get(tag, set())
            return newest_first(self._items[key] for key in keys)

    def cooccurring(
        self, all_of: Iterable[str], none_of: Iterable[str] = ()
    ) -> list[tuple[str, int]]:
        """The other tags on the items `items(all_of, none_of)` gives, with how many of them
        carry each, most first (ties by name)."""
        wanted = _names(all_of)
        counted = Counter(
            tag for item in self.items(wanted, none_of) for tag in item.tags if tag not in wanted
        )
        return sorted(counted.items(), key=lambda pair: (-pair[1], pair[0]))

    def first_used(self, tag: str) -> float | None:
        """The date of the oldest item with `tag`, or None when no item has it."""
        return self._span(tag)[0]

    def last_used(self, tag: str) -> float | None:
        """The date of the newest item with `tag`, or None when no item has it."""
        return self._span(tag)[1]

    # ----------------------------------------------------------------- edits
    def add(self, kind: str, item_id: str, tags: Iterable[str]) -> list[str]:
        """Add `tags` to an item; its tags after. KeyError when the item does not exist."""
        names = _names(tags)
        return self._retag(kind, item_id, lambda current: merge_tags(current, names))

    def remove(self, kind: str, item_id: str, tags: Iterable[str]) -> list[str]:
        """Take `tags` off an item; its tags after. KeyError when the item does not exist."""
        gone = set(_names(tags))
        return self._retag(
            kind, item_id, lambda current: [t for t in merge_tags(current, ()) if t not in gone]
        )

    def set(self, kind: str, item_id: str, tags: Iterable[str]) -> list[str]:
        """Replace an item's tags; its tags after. KeyError when the item does not exist."""
        names = _names(tags)
        return self._retag(kind, item_id, lambda _current: names)

    def _retag(
        self, kind: str, item_id: str, change: Callable[[list[str]], list[str]]
    ) -> list[str]:
        """Set an item's tags from its tags as stored now (read and write under one lock)."""
        self._check_kind(kind)
        missing = KeyError(f"no {kind.removesuffix('s')} with id {item_id}")
        if kind == "samples" and self.store.get(kind, item_id) is None:
            raise missing
        try:
            record = self.store.modify(
                tags_kind(kind),
                item_id,
                lambda found: {"tags": change(list(found.get("tags") or ()))},
                create=kind == "samples",
            )
        except KeyError:
            raise missing from None
        return list(record["tags"])

    def rename(self, old: str, new: str) -> int:
        """Rename tag `old` to `new` on every item (an item with both keeps one); how many
        items changed. ValueError for an invalid name or renaming a tag onto itself."""
        source, target = tag_name(old), tag_name(new)
        if source == target:
            raise ValueError(f"#{source} and {new!r} are the same tag: nothing to rename")
        return self.merge([source], into=target)

    def merge(self, sources: Iterable[str], into: str) -> int:
        """Replace every tag of `sources` by `into` on every item, in place (an item with
        several keeps one); how many items changed. One Store write per kind."""
        target = tag_name(into)
        merged = set(_names(sources)) - {target}
        if not merged:
            raise ValueError(f"name at least one tag other than #{target} to merge into it")

        def renamed(record: Record) -> dict[str, list[str]] | None:
            tags = merge_tags(record.get("tags") or (), ())
            if merged.isdisjoint(tags):
                return None
            return {"tags": merge_tags((target if tag in merged else tag for tag in tags), ())}

        return sum(len(self.store.modify_all(tags_kind(k), renamed)) for k in TAGGED_KINDS)

    # ----------------------------------------------------------------- internals
    @staticmethod
    def _check_kind(kind: str) -> None:
        if kind not in TAGGED_KINDS:
            raise ValueError(f"{kind!r} items carry no tags (kinds: {', '.join(TAGGED_KINDS)})")

    def _refresh(self) -> None:
        """Re-read the kinds whose revision changed; rebuild the tag map if any did."""
        stale = False
        for kind in TAGGED_KINDS:
            revision = (  # taken before reading: a write between
                *self.store.revision(kind),
                *(self.store.revision(SAMPLE_TAGS) if kind == "samples" else ()),
            )
            known = self._kinds.get(kind)  # the two makes the next query re-read
            if known is None or known[0] != revision:
                tagged = [item for item in kind_items(self.store, kind, True) if item.tags]
                self._kinds[kind] = (revision, tagged)
                stale = True
        if not stale:
            return
        self._items = {item.key: item for _, items in self._kinds.values() for item in items}
        by_tag: dict[str, set[tuple[str, str]]] = {}
        spans: dict[str, tuple[float, float]] = {}
        for key, item in self._items.items():
            for tag in item.tags:
                by_tag.setdefault(tag, set()).add(key)
                first, last = spans.get(tag, (item.at, item.at))
                spans[tag] = (min(first, item.at), max(last, item.at))
        self._by_tag, self._spans = by_tag, spans

    def _span(self, tag: str) -> tuple[float | None, float | None]:
        name = tag_name(tag)
        with self._lock:
            self._refresh()
            return self._spans.get(name, (None, None))


def _date(kind: str, record: Record) -> float:
    value = record.get(_DATE_FIELDS.get(kind, "created_at")) or record.get("created_at") or 0
    return float(value)


def _form_names(records: list[Record]) -> dict[str, str]:
    """Form version id -> `track@N`, N counting the track's versions from 1 by saving time."""
    by_track: dict[str, list[Record]] = {}
    for record in records:
        by_track.setdefault(str(record.get("track", "")), []).append(record)
    names = {}
    for track, versions in by_track.items():
        versions.sort(key=lambda record: (_date("forms", record), record["id"]))
        for number, record in enumerate(versions, start=1):
            names[record["id"]] = f"{track}@{number}"
    return names


def _names(tags: Iterable[str]) -> list[str]:
    """Tags normalised (ValueError for one that is no tag), duplicates dropped, order kept."""
    return list(dict.fromkeys(tag_name(tag) for tag in tags))
