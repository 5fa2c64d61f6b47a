"""The form map model: lengths in seconds, the waveform overlay, JSON, the content hash."""

from __future__ import annotations

from dataclasses import replace

import pytest

from phase_tui.builder.form_map import FormMap, FormSection

MAP = FormMap(
    track="memory spike",
    tempo_bpm=120.0,
    key="A minor",
    beats_per_bar=4,
    sections=(
        FormSection("intro", 8, 3, "sparse", ("pad",)),
        FormSection("build", 8, 6),
        FormSection("drop", 16, 10, "full", ("kick", "bass")),
        FormSection("outro", 8, 2),
    ),
    template="club",
    seed=7,
)


def test_bars_and_tempo_give_seconds() -> None:
    assert MAP.total_bars == 40 and MAP.bar_s == 2.0 and MAP.duration_s == 80.0
    assert replace(MAP, beats_per_bar=6, beat_unit=8).bar_s == 1.5  # 6/8: six eighth notes
    overlay = MAP.as_sections(offset_s=0.5)
    assert [(s.label, s.start_s, s.end_s) for s in overlay] == [
        ("intro", 0.5, 16.5),
        ("build", 16.5, 32.5),
        ("drop", 32.5, 64.5),
        ("outro", 64.5, 80.5),
    ]
    assert overlay[2].energy == 1.0 and overlay[3].energy == pytest.approx(1 / 9)


def test_json_round_trips_and_names_what_is_wrong() -> None:
    locked = MAP.with_section(1, replace(MAP.sections[1], locked=True))
    assert FormMap.from_json(locked.to_json()) == locked
    with pytest.raises(ValueError, match="tempo_bpm"):
        FormMap.from_json({k: v for k, v in MAP.to_json().items() if k != "tempo_bpm"})


def test_the_hash_covers_the_music_only() -> None:
    same_music = replace(MAP, seed=99, template="other", notes="hello")
    same_music = same_music.with_section(0, replace(MAP.sections[0], locked=True))
    assert same_music.content_hash() == MAP.content_hash()
    assert len(MAP.content_hash()) == 32
    for changed in (
        replace(MAP, tempo_bpm=121.0),
        replace(MAP, key="C major"),
        MAP.with_section(2, replace(MAP.sections[2], energy=9)),
        replace(MAP, sections=MAP.sections[::-1]),
    ):
        assert changed.content_hash() != MAP.content_hash()
