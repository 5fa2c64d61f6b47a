"""Items of the tag index named on the shell: `KIND:REF` (`bounce:last`, `form:night drive@2`).

KIND is a tagged kind in the singular, any case; REF an id, the start or end of an id (any
case), a name (a file's name or stem for bounces, samples and slices; a memo's or session's
name; a form's `track@N`) or `last`, the newest item of the kind.
"""

from __future__ import annotations

from pathlib import PurePath

from phase_tui.store import Record, Store
from phase_tui.tags import TAGGED_KINDS, TaggedItem, kind_items, newest_first

SINGULAR: dict[str, str] = {kind.removesuffix("s"): kind for kind in TAGGED_KINDS}
"""The kinds as the shell names them (`bounce`) -> Store kind (`bounces`)."""

_FILE_KINDS = frozenset({"bounces", "samples", "slices"})  # named by a file: its stem too
ITEM_FORMS = (
    "name an item as KIND:REF, KIND one of bounce, memo, form, session, sample, slice; "
    "REF an id, the start or end of an id, a name (a bounce's, sample's or slice's file "
    "name or stem, a memo's or session's name, a form's TRACK@N) or `last` (the newest)"
)


def resolve_item(store: Store, ref: str) -> tuple[str, Record]:
    """(Store kind, record) of an item named `KIND:REF`; LookupError with a sentence saying
    what is accepted when nothing matches, or which items match when several do."""
    singular, colon, wanted = ref.partition(":")
    singular, wanted = singular.strip().lower(), wanted.strip()
    kind = SINGULAR.get(singular)
    if not colon or kind is None or not wanted:
        raise LookupError(f"no item {ref!r}: {ITEM_FORMS}")
    records = {str(record["id"]): record for record in store.all(kind)}
    matches = _matches(kind_items(store, kind), records, wanted)
    if len(matches) > 1:
        listed = ", ".join(f"{item.name} ({item.id})" for item in newest_first(matches)[:5])
        more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        raise LookupError(
            f"{ref!r} is ambiguous: it matches {len(matches)} {kind}: {listed}{more}; "
            f"name one by its id ({singular}:ID)"
        )
    if not matches:
        raise LookupError(f"no {singular} {wanted!r}: {ITEM_FORMS}")
    return kind, records[matches[0].id]


def _matches(items: list[TaggedItem], records: dict[str, Record], wanted: str) -> list[TaggedItem]:
    """The items `wanted` names: `last`, else an exact id, else names, else id ends."""
    if wanted.lower() == "last":
        return newest_first(items)[:1]
    exact = [item for item in items if item.id == wanted]
    if exact:
        return exact
    folded = wanted.casefold()
    named = [item for item in items if folded in _names(item, records[item.id])]
    if named:
        return named
    upper = wanted.upper()
    return [
        item
        for item in items
        if upper in (item.id.upper()[: len(upper)], item.id.upper()[-len(upper) :])
    ]


def _names(item: TaggedItem, record: Record) -> set[str]:
    """The names, casefolded, a REF may give an item."""
    names = {str(record.get("name") or "")} - {""}
    if item.kind in _FILE_KINDS:
        names |= {PurePath(name).stem for name in names}
    if item.kind == "forms":
        names.add(item.name)
    return {name.casefold() for name in names}
