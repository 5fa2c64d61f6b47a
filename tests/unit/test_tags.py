"""Tests for tags: normalisation and merging, the tagged items of every kind, the tag index
(queries, rebuilds, edits across kinds) and items named on the shell as KIND:REF."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phase_tui.item_refs import resolve_item
from phase_tui.store import Store
from phase_tui.tags import (
    TAGGED_KINDS,
    TaggedItem,
    TagIndex,
    merge_tags,
    normalise_tag,
    tagged_items,
    tags_kind,
)


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


# ---------------------------------------------------------------- tagged items and the index
def studio_store(folder: Path) -> Store:
    """A Store with tagged items of every kind (dates 100..700) and some without tags."""
    store = Store(folder, "m1")
    store.insert_many(
        "bounces",
        [
            {"id": "01B0UNCE00000000000000000A", "name": "night.wav", "mtime": 100.0,
             "tags": ["dark", "lo-fi"]},
            {"id": "01B0UNCE00000000000000000B", "name": "night v2.wav", "mtime": 600.0,
             "tags": ["dark", "808"]},
            {"id": "01B0UNCE00000000000000000C", "name": "plain.wav", "mtime": 50.0},
        ],
    )  # fmt: skip
    store.insert("memos", {"id": "01MEM0000000000000000000AA", "name": "2026-11-23_2342-05",
                           "started_at": 300.0, "duration_s": 12, "tags": ["dark"]})  # fmt: skip
    store.insert_many(
        "forms",
        [
            {"id": "01F0RM00000000000000000001", "track": "night drive", "saved_at": 200.0,
             "tags": ["lo-fi"]},
            {"id": "01F0RM00000000000000000002", "track": "night drive", "saved_at": 400.0,
             "tags": ["dark", "lo-fi"]},
        ],
    )  # fmt: skip
    store.insert("sessions", {"id": "01SESS0000000000000000000A", "name": "amber-heron-7f3a",
                              "started_at": 500.0, "tags": ["808"]})  # fmt: skip
    store.insert("samples", {"id": "01SAMP0000000000000000000A", "name": "kick.wav",
                             "created_at": 700.0})  # fmt: skip
    store.insert("sample_tags", {"id": "01SAMP0000000000000000000A", "tags": ["808", "lo-fi"]})
    return store


def keys(items: list[TaggedItem]) -> list[tuple[str, str]]:
    return [(item.kind, item.name) for item in items]


def test_tagged_items_across_kinds_newest_first(tmp_path: Path) -> None:
    items = tagged_items(studio_store(tmp_path))
    assert keys(items) == [
        ("samples", "kick.wav"),
        ("bounces", "night v2.wav"),
        ("sessions", "amber-heron-7f3a"),
        ("forms", "night drive@2"),
        ("memos", "memo " + time.strftime("%H:%M", time.localtime(300)) + " · 0:12"),
        ("forms", "night drive@1"),
        ("bounces", "night.wav"),
    ]
    assert [item.at for item in items] == [700, 600, 500, 400, 300, 200, 100]
    assert items[0].tags == ("808", "lo-fi")


def test_index_counts_items_and_not_cooccurrence(tmp_path: Path) -> None:
    index = TagIndex(studio_store(tmp_path))
    assert index.counts() == {"dark": 4, "lo-fi": 4, "808": 3}
    assert keys(index.items(["#Dark", "lo_fi"])) == [
        ("forms", "night drive@2"),
        ("bounces", "night.wav"),
    ]
    assert keys(index.items(["dark"], none_of=["808", "lo-fi"]))[0][0] == "memos"
    assert len(index.items([])) == 7
    assert keys(index.items([], none_of=["dark", "lo-fi"])) == [("sessions", "amber-heron-7f3a")]
    assert index.items(["nothing-has-this"]) == []
    assert index.cooccurring(["dark"]) == [("lo-fi", 2), ("808", 1)]
    assert index.cooccurring(["dark"], none_of=["808"]) == [("lo-fi", 2)]
    assert index.cooccurring(["808", "lo-fi"]) == []
    assert (index.first_used("DARK"), index.last_used("dark")) == (100.0, 600.0)
    assert (index.first_used("808"), index.last_used("808")) == (500.0, 700.0)
    assert index.first_used("nope") is None and index.last_used("nope") is None
    with pytest.raises(ValueError, match="'#' is not a tag"):
        index.items(["#"])


def test_index_rebuilds_only_when_a_kind_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = studio_store(tmp_path)
    reads: list[str] = []
    real_all = store.all
    monkeypatch.setattr(store, "all", lambda kind: reads.append(kind) or real_all(kind))
    index = TagIndex(store)
    assert index.counts()["dark"] == 4
    assert sorted(reads) == sorted(tags_kind(kind) for kind in TAGGED_KINDS)
    reads.clear()
    index.counts(), index.items(["dark"]), index.cooccurring(["808"]), index.last_used("dark")
    assert reads == []  # nothing changed: no record was read

    other = Store(tmp_path, "m1")  # another process on the same folder
    other.update("sessions", "01SESS0000000000000000000A", {"tags": ["808", "dark"]})
    assert index.counts()["dark"] == 5
    assert "sessions" in reads and "samples" not in reads  # the journal's kinds, not the library
    reads.clear()
    laptop = Store(tmp_path, "laptop")
    snare = laptop.insert("samples", {"name": "snare.wav"})
    laptop.insert("sample_tags", {"id": snare["id"], "tags": ["dark"]})
    assert index.counts()["dark"] == 6
    assert "sample_tags" in reads and "samples" not in reads  # the 100k rows are not read


def test_add_and_remove_normalise_and_name_missing_items(tmp_path: Path) -> None:
    store = studio_store(tmp_path)
    index = TagIndex(store)
    bounce = "01B0UNCE00000000000000000C"
    assert index.add("bounces", bounce, ["#Dark", "Late Night", "dark"]) == ["dark", "late-night"]
    assert store.get("bounces", bounce)["tags"] == ["dark", "late-night"]
    assert index.counts()["dark"] == 5
    assert index.remove("bounces", bounce, ["#DARK", "absent"]) == ["late-night"]
    assert index.counts()["dark"] == 4 and index.counts()["late-night"] == 1
    assert index.remove("bounces", bounce, ["late night"]) == []
    assert "late-night" not in index.counts()
    with pytest.raises(KeyError, match="no bounce with id NOPE"):
        index.add("bounces", "NOPE", ["dark"])
    with pytest.raises(KeyError, match="no memo with id NOPE"):
        index.remove("memos", "NOPE", ["dark"])
    with pytest.raises(ValueError, match="'!!' is not a tag"):
        index.add("bounces", bounce, ["!!"])


def test_rename_and_merge_across_every_kind(tmp_path: Path) -> None:
    store = studio_store(tmp_path)
    store.update("memos", "01MEM0000000000000000000AA", {"tags": ["dark", "night"]})
    store.update("sessions", "01SESS0000000000000000000A", {"tags": ["night", "808"]})
    index = TagIndex(store)
    writes: list[str] = []
    real_modify_all = store.modify_all

    def counted(kind: str, change: Callable[..., object]) -> list[dict]:
        written = real_modify_all(kind, change)  # type: ignore[arg-type]
        writes.extend([kind] if written else [])
        return written

    store.modify_all = counted  # type: ignore[method-assign]

    assert index.rename("#Dark", "Night") == 4  # 2 bounces, memo, form
    assert sorted(writes) == ["bounces", "forms", "memos"]  # one write per kind
    assert store.get("memos", "01MEM0000000000000000000AA")["tags"] == ["night"]  # had both
    assert store.get("bounces", "01B0UNCE00000000000000000B")["tags"] == ["night", "808"]
    assert index.counts() == {"night": 5, "lo-fi": 4, "808": 3}

    writes.clear()
    assert index.merge(["808", "LO FI"], into="#night") == 6
    assert sorted(writes) == ["bounces", "forms", "sample_tags", "sessions"]
    assert store.get("sample_tags", "01SAMP0000000000000000000A")["tags"] == ["night"]
    assert store.get("sessions", "01SESS0000000000000000000A")["tags"] == ["night"]
    assert store.get("forms", "01F0RM00000000000000000002")["tags"] == ["night"]
    assert index.counts() == {"night": 7}
    assert index.rename("unused", "other") == 0


def test_rename_and_merge_refuse_bad_names(tmp_path: Path) -> None:
    index = TagIndex(studio_store(tmp_path))
    with pytest.raises(ValueError, match="the same tag"):
        index.rename("Dark", "#dark")
    with pytest.raises(ValueError, match="'' is not a tag"):
        index.rename("dark", "")
    with pytest.raises(ValueError, match="'#' is not a tag"):
        index.merge(["dark"], into="#")
    with pytest.raises(ValueError, match="at least one tag other than #dark"):
        index.merge(["DARK"], into="dark")
    with pytest.raises(ValueError, match="at least one tag"):
        index.merge([], into="dark")
    assert index.counts()["dark"] == 4


# ---------------------------------------------------------------- items named on the shell
@pytest.mark.parametrize(
    ("ref", "kind", "record_id"),
    [
        ("bounce:01B0UNCE00000000000000000A", "bounces", "01B0UNCE00000000000000000A"),
        ("BOUNCE:night.wav", "bounces", "01B0UNCE00000000000000000A"),
        ("bounce:Night V2", "bounces", "01B0UNCE00000000000000000B"),
        ("bounce:0c", "bounces", "01B0UNCE00000000000000000C"),
        ("bounce:last", "bounces", "01B0UNCE00000000000000000B"),
        ("memo:2026-11-23_2342-05", "memos", "01MEM0000000000000000000AA"),
        ("memo:01mem", "memos", "01MEM0000000000000000000AA"),
        ("memo:Last", "memos", "01MEM0000000000000000000AA"),
        ("form:night drive@1", "forms", "01F0RM00000000000000000001"),
        ("form:Night Drive@2", "forms", "01F0RM00000000000000000002"),
        ("form:last", "forms", "01F0RM00000000000000000002"),
        ("form:0001", "forms", "01F0RM00000000000000000001"),
        ("session:amber-heron-7f3a", "sessions", "01SESS0000000000000000000A"),
        ("session:01sess", "sessions", "01SESS0000000000000000000A"),
        ("sample:kick", "samples", "01SAMP0000000000000000000A"),
        ("sample:kick.wav", "samples", "01SAMP0000000000000000000A"),
        (" sample : last ", "samples", "01SAMP0000000000000000000A"),
    ],
)
def test_resolve_item(tmp_path: Path, ref: str, kind: str, record_id: str) -> None:
    found_kind, record = resolve_item(studio_store(tmp_path), ref)
    assert (found_kind, record["id"]) == (kind, record_id)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("night.wav", "no item 'night.wav': name an item as KIND:REF"),
        ("track:night.wav", "KIND one of bounce, memo, form, session, sample, slice"),
        ("bounce:", "no item 'bounce:'"),
        ("bounce:nope.wav", "no bounce 'nope.wav': name an item as KIND:REF"),
        ("slice:last", "no slice 'last'"),
        ("form:night drive@3", "a form's TRACK@N"),
        (
            "bounce:01b0unce",
            "'bounce:01b0unce' is ambiguous: it matches 3 bounces: "
            "night v2.wav (01B0UNCE00000000000000000B), night.wav (01B0UNCE00000000000000000A)",
        ),
        ("bounce:01B0", "name one by its id (bounce:ID)"),
        ("form:01F0RM", "it matches 2 forms: night drive@2 (01F0RM00000000000000000002), "),
    ],
)
def test_resolve_item_says_what_is_accepted(tmp_path: Path, ref: str, message: str) -> None:
    with pytest.raises(LookupError, match=re.escape(message)):
        resolve_item(studio_store(tmp_path), ref)


def test_tagging_a_sample_never_rewrites_the_library(tmp_path: Path) -> None:
    store = studio_store(tmp_path)
    library = next(tmp_path.glob("library-*.json"))
    before = library.stat().st_mtime_ns, library.read_bytes()
    index = TagIndex(store)
    sample = "01SAMP0000000000000000000A"
    assert index.add("samples", sample, ["Dusty"]) == ["808", "lo-fi", "dusty"]
    assert index.remove("samples", sample, ["808"]) == ["lo-fi", "dusty"]
    assert (library.stat().st_mtime_ns, library.read_bytes()) == before
    assert index.items(["dusty"])[0].name == "kick.wav"
    with pytest.raises(KeyError, match="no sample with id nope"):
        index.add("samples", "nope", ["x"])


def test_set_replaces_an_items_tags(tmp_path: Path) -> None:
    store = studio_store(tmp_path)
    index = TagIndex(store)
    assert index.set("samples", "01SAMP0000000000000000000A", ["#Warm", "warm", "air"]) == [
        "warm",
        "air",
    ]
    assert store.get("sample_tags", "01SAMP0000000000000000000A")["tags"] == ["warm", "air"]
    assert index.set("bounces", "01B0UNCE00000000000000000C", []) == []
