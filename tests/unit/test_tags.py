"""Tests for tag normalisation and merging."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phase_tui.tags import merge_tags, normalise_tag


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#Dark", "dark"),
        (" Late  Night ", "late-night"),
        ("lo_fi", "lo-fi"),
        ("Dark.", "dark"),
        ("Ünïcode", "ünïcode"),
        ("U\u0308nicode", "ünicode"),  # decomposed umlaut is composed, not dropped
        ("##dark!", "dark"),
        ("late - night", "late-night"),
        ("late--night", "late-night"),
        ("lo__fi  _ beats", "lo-fi-beats"),
        ("-dark-", "dark"),
        ("rock'n'roll", "rocknroll"),
        ("808", "808"),
        ("Straße", "strasse"),
        ("夜", "夜"),
        ("", ""),
        ("#", ""),
        ("  ...  ", ""),
        ("-_-", ""),
    ],
)
def test_normalise_tag(text: str, expected: str) -> None:
    assert normalise_tag(text) == expected


@given(st.text())
def test_normalise_tag_is_idempotent_and_clean(text: str) -> None:
    tag = normalise_tag(text)
    assert normalise_tag(tag) == tag
    assert all(char.isalnum() or char == "-" for char in tag)
    assert not tag.startswith("-")
    assert not tag.endswith("-")
    assert "--" not in tag


def test_merge_tags_keeps_order_existing_first() -> None:
    assert merge_tags(["dark", "Lo_Fi"], ["#new", "DARK", "lo-fi", "  ", "#"]) == [
        "dark",
        "lo-fi",
        "new",
    ]


def test_merge_tags_normalises_existing_duplicates() -> None:
    assert merge_tags(["Dark", "#dark", "dark."], []) == ["dark"]


def test_merge_tags_empty() -> None:
    assert merge_tags([], []) == []


def test_merge_tags_accepts_iterators() -> None:
    assert merge_tags(iter(["a"]), (tag for tag in ["b", "a"])) == ["a", "b"]
