"""The query string of a listing, checked into a `ListQuery`; a wrong one is `BadRequest`
with a sentence naming the parameter, what it takes and what was given.

Every listing takes `page`, `per_page`, `q` (words that must all be in the name), `sort`
and `order`; item listings also `tag` (repeatable: every one must match); the samples
also `crate`, `min_s`, `max_s`, `bpm_min`, `bpm_max` and `key`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from phase_tui.api.errors import BadRequest
from phase_tui.tags import tag_name

PAGING = ("page", "per_page", "q", "sort", "order")
TAG_FILTER = ("tag",)
SAMPLE_FILTERS = ("crate", "min_s", "max_s", "bpm_min", "bpm_max", "key")
REPEATABLE = frozenset(TAG_FILTER)
DESCENDING_FIRST = frozenset({"date", "count"})
"""Sorts whose default order is newest or most first."""


@dataclass(frozen=True)
class Listing:
    """What one kind of listing accepts: its parameters and sorts, the first the default."""

    params: tuple[str, ...]
    sorts: tuple[str, ...]


SAMPLES_LISTING = Listing((*PAGING, *TAG_FILTER, *SAMPLE_FILTERS), ("name", "date", "duration"))
ITEMS_LISTING = Listing((*PAGING, *TAG_FILTER), ("date", "name", "duration"))
TAGS_LISTING = Listing(PAGING, ("count", "name"))


@dataclass(frozen=True)
class ListQuery:
    """A checked listing request. Bounds left out are None."""

    page: int = 1
    per_page: int = 50
    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    sort: str = "name"
    descending: bool = False
    crate: str | None = None
    min_s: float | None = None
    max_s: float | None = None
    bpm_min: float | None = None
    bpm_max: float | None = None
    key: str | None = None

    @property
    def filtered(self) -> bool:
        """True when any filter narrows the listing (else every item is listed)."""
        bounds = (self.min_s, self.max_s, self.bpm_min, self.bpm_max)
        return bool(self.words or self.tags) or any(
            value is not None for value in (self.crate, self.key, *bounds)
        )

    @property
    def start(self) -> int:
        """Index of the first item of the page."""
        return (self.page - 1) * self.per_page


def normalise_key(text: str) -> str:
    """A musical key as compared: casefolded, single spaces ("A  Minor" -> "a minor")."""
    return " ".join(text.casefold().split())


def parse_query(
    pairs: Iterable[tuple[str, str]], listing: Listing, page_size: int, max_page_size: int
) -> ListQuery:
    """The `ListQuery` of a query string's (name, value) pairs; BadRequest when a parameter
    is unknown, given twice, or wrong."""
    given: dict[str, list[str]] = {}
    for name, value in pairs:
        given.setdefault(name, []).append(value)
    for name, values in given.items():
        if name not in listing.params:
            raise BadRequest(_unknown(name, listing))
        if len(values) > 1 and name not in REPEATABLE:
            raise BadRequest(f"`{name}` is given {len(values)} times; give it once")
    one = {name: values[0] for name, values in given.items()}
    sort = one.get("sort", listing.sorts[0])
    if sort not in listing.sorts:
        raise BadRequest(f"`sort` must be one of {', '.join(listing.sorts)}, not {sort!r}")
    order = one.get("order", "desc" if sort in DESCENDING_FIRST else "asc")
    if order not in ("asc", "desc"):
        raise BadRequest(f"`order` must be asc or desc, not {order!r}")
    query = ListQuery(
        page=_whole(one, "page", 1, 1, None),
        per_page=_whole(one, "per_page", page_size, 1, max_page_size),
        words=tuple(one.get("q", "").casefold().split()),
        tags=tuple(_tag(text) for text in given.get("tag", ())),
        sort=sort,
        descending=order == "desc",
        crate=one.get("crate"),
        min_s=_number(one, "min_s"),
        max_s=_number(one, "max_s"),
        bpm_min=_number(one, "bpm_min"),
        bpm_max=_number(one, "bpm_max"),
        key=normalise_key(one["key"]) if "key" in one else None,
    )
    _check_range("min_s", query.min_s, "max_s", query.max_s)
    _check_range("bpm_min", query.bpm_min, "bpm_max", query.bpm_max)
    return query


def _unknown(name: str, listing: Listing) -> str:
    if name in SAMPLE_FILTERS:
        return f"`{name}` filters samples only (/api/samples)"
    if name in TAG_FILTER:
        return "`tag` filters items, not the list of tags"
    return f"unknown parameter `{name}` (known: {', '.join(listing.params)})"


def _whole(one: dict[str, str], name: str, default: int, low: int, high: int | None) -> int:
    text = one.get(name)
    if text is None:
        return default
    span = f"from {low} to {high}" if high is not None else f">= {low}"
    try:
        value = int(text, 10)
    except ValueError:
        raise BadRequest(f"`{name}` must be a whole number {span}, not {text!r}") from None
    if value < low or (high is not None and value > high):
        raise BadRequest(f"`{name}` must be a whole number {span}, not {value}")
    return value


def _number(one: dict[str, str], name: str) -> float | None:
    text = one.get(name)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise BadRequest(f"`{name}` must be a number >= 0, not {text!r}")
    return value


def _tag(text: str) -> str:
    try:
        return tag_name(text)
    except ValueError as error:
        raise BadRequest(f"`tag`: {error}") from None


def _check_range(low_name: str, low: float | None, high_name: str, high: float | None) -> None:
    if low is not None and high is not None and low > high:
        raise BadRequest(
            f"`{low_name}` ({low:g}) is larger than `{high_name}` ({high:g}): nothing can match"
        )
