"""Tags: the one spelling every tag is stored under, and merging tag lists."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

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
