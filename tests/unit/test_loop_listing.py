"""Bounce records grouped by track, sorted and filtered as the catalogue screen shows them."""

from __future__ import annotations

from typing import Any

import pytest

from phase_tui.loop.listing import grouped, matches


def bounce(name: str, track: str, mtime: float, duration: float | None, lufs: float | None,
           **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"id": name, "name": name, "track": track, "mtime": mtime, "duration_s": duration,
            "lufs": lufs, **extra}  # fmt: skip


RECORDS = [
    bounce("memory-spike-v2.wav", "memory spike", 100, 200.0, -9.0),
    bounce("memory spike v3.wav", "memory spike", 300, 190.0, -8.0),
    bounce("Memory Spike (final).wav", "memory spike", 200, 210.0, -7.5),
    bounce("dusk loop.flac", "dusk loop", 250, 16.0, -14.0, format="FLAC"),
    bounce("broken.wav", "broken", 400, None, None, status="unreadable"),
]


def names(groups: list[Any]) -> list[tuple[str, list[str]]]:
    return [(g.track, [str(v["name"]) for v in g.versions]) for g in groups]


def test_time_sort_puts_the_newest_track_and_version_first() -> None:
    assert names(grouped(RECORDS, "time")) == [
        ("broken", ["broken.wav"]),
        (
            "memory spike",
            ["memory spike v3.wav", "Memory Spike (final).wav", "memory-spike-v2.wav"],
        ),
        ("dusk loop", ["dusk loop.flac"]),
    ]


def test_reverse_flips_the_direction() -> None:
    assert names(grouped(RECORDS, "time", reverse=True))[0] == (
        "memory spike",
        ["memory-spike-v2.wav", "Memory Spike (final).wav", "memory spike v3.wav"],
    )


def test_loudness_and_duration_put_files_without_a_value_last() -> None:
    loud = names(grouped(RECORDS, "loudness"))
    assert loud[0] == (
        "memory spike",
        ["Memory Spike (final).wav", "memory spike v3.wav", "memory-spike-v2.wav"],
    )
    assert loud[-1] == ("broken", ["broken.wav"])
    assert names(grouped(RECORDS, "duration"))[-1] == ("broken", ["broken.wav"])


def test_name_sort_orders_tracks_alphabetically() -> None:
    assert [g.track for g in grouped(RECORDS, "name")] == ["broken", "dusk loop", "memory spike"]
    assert [g.track for g in grouped(RECORDS, "name", reverse=True)][0] == "memory spike"


def test_filter_matches_every_word_in_any_field_case_insensitively() -> None:
    assert names(grouped(RECORDS, "time", text="SPIKE final")) == [
        ("memory spike", ["Memory Spike (final).wav"])
    ]
    assert names(grouped(RECORDS, "time", text="flac")) == [("dusk loop", ["dusk loop.flac"])]
    assert names(grouped(RECORDS, "time", text="unreadable")) == [("broken", ["broken.wav"])]
    assert grouped(RECORDS, "time", text="nothing like it") == []
    assert matches(RECORDS[0], "")


def test_an_unknown_sort_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sort 'size'"):
        grouped(RECORDS, "size")
