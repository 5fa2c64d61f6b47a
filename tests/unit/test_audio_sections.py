"""`detect_sections`: synthetic energy envelopes with known change points, then the demo's
synthesized tracks, whose arrangements say where each section lies."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import pytest

from phase_tui.audio.section_detection import detect_sections
from phase_tui.audio.sections import Section
from phase_tui.demo import synth
from phase_tui.demo.synth import BREAKBEAT, FOUR_ON_THE_FLOOR, Key, Track

HOP_S = 0.1
SMOOTHING_S = 1.0  # boundaries of clean steps land within this of the truth
# (start level dB, end level dB, seconds): quiet intro, loud, quiet breakdown, a louder
# drop, then an outro that steps down and fades out.
ARRANGEMENT = (
    (-40.0, -40.0, 16.0),
    (-12.0, -12.0, 32.0),
    (-30.0, -30.0, 16.0),
    (-6.0, -6.0, 32.0),
    (-12.0, -50.0, 16.0),
)


def envelope(
    parts: Sequence[tuple[float, float, float]], *, seed: int = 0, noise_db: float = 1.5
) -> np.ndarray:
    """Linear RMS per hop of levels ramping from start to end dB in each part, plus noise."""
    level_db = np.concatenate(
        [
            np.linspace(start, end, round(seconds / HOP_S), endpoint=False)
            for start, end, seconds in parts
        ]
    )
    noise_db_per_hop = np.random.default_rng(seed).normal(0.0, noise_db, len(level_db))
    return 10.0 ** ((level_db + noise_db_per_hop) / 20.0)


def truth_starts_s(parts: Sequence[tuple[float, float, float]]) -> np.ndarray:
    return np.cumsum([0.0, *(seconds for _, _, seconds in parts)])[:-1]


def labels(sections: Sequence[Section]) -> list[str]:
    return [section.label for section in sections]


def starts_s(sections: Sequence[Section]) -> np.ndarray:
    return np.array([section.start_s for section in sections])


def assert_tiles(sections: Sequence[Section], hops: int) -> None:
    assert sections[0].start_s == 0.0
    assert sections[-1].end_s == hops * HOP_S
    for before, after in zip(sections, sections[1:], strict=False):
        assert before.end_s == after.start_s
    assert all(section.duration_s > 0 for section in sections)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_arrangement_gives_its_boundaries_and_labels(seed: int) -> None:
    rms = envelope(ARRANGEMENT, seed=seed)
    sections = detect_sections(rms, HOP_S)
    assert labels(sections) == ["intro", "section", "breakdown", "drop", "outro"]
    errors_s = np.abs(starts_s(sections) - truth_starts_s(ARRANGEMENT))
    assert errors_s.max() <= SMOOTHING_S
    assert_tiles(sections, len(rms))


def test_energies_run_from_the_quietest_to_the_loudest_section() -> None:
    sections = detect_sections(envelope(ARRANGEMENT), HOP_S)
    energies = [section.energy for section in sections]
    assert all(0.0 <= energy <= 1.0 for energy in energies)
    assert energies[3] == 1.0  # the drop
    assert energies[0] == 0.0  # the intro at -40 dB
    # linear in dB: the breakdown (-30) lies about 10/34 of the way from intro to drop
    assert energies[2] == pytest.approx(10.0 / 34.0, abs=0.05)


def test_a_ramp_rising_into_the_drop_is_a_build() -> None:
    parts = ((-36.0, -36.0, 16.0), (-28.0, -10.0, 16.0), (-4.0, -4.0, 32.0), (-30.0, -30.0, 16.0))
    sections = detect_sections(envelope(parts), HOP_S)
    assert labels(sections) == ["intro", "build", "drop", "outro"]
    assert np.abs(starts_s(sections) - truth_starts_s(parts)).max() <= SMOOTHING_S


def test_a_level_step_between_intro_and_drop_is_a_build() -> None:
    parts = (
        (-39.0, -39.0, 7.6),
        (-24.0, -24.0, 7.6),
        (-14.0, -14.0, 15.2),
        (-37.0, -37.0, 7.6),
        (-27.0, -50.0, 7.6),
    )
    sections = detect_sections(envelope(parts), HOP_S)
    assert labels(sections) == ["intro", "build", "drop", "breakdown", "outro"]
    assert np.abs(starts_s(sections) - truth_starts_s(parts)).max() <= SMOOTHING_S


def test_a_dip_between_drops_is_a_breakdown_not_a_build() -> None:
    parts = ((-30.0, -30.0, 8.0), (-8.0, -8.0, 24.0), (-28.0, -28.0, 8.0), (-8.0, -8.0, 24.0))
    sections = detect_sections(envelope(parts), HOP_S)
    assert labels(sections) == ["intro", "drop", "breakdown", "drop 2"]


def test_short_gaps_of_silence_in_a_drop_do_not_split_it() -> None:
    rms = envelope(ARRANGEMENT, seed=3)
    for gap_s in (20.0, 33.0, 42.0, 70.0, 76.0, 90.0):  # 0.3 s breaks in the loud parts
        rms[round(gap_s / HOP_S) : round((gap_s + 0.3) / HOP_S)] = 0.0
    sections = detect_sections(rms, HOP_S)
    assert labels(sections) == ["intro", "section", "breakdown", "drop", "outro"]


@pytest.mark.parametrize(
    "rms",
    [
        np.zeros(600),
        np.full(600, 0.25),
        np.random.default_rng(4).uniform(0.2, 0.3, 3000),  # steady noise, +-1.7 dB
    ],
    ids=["silence", "constant", "noise"],
)
def test_flat_audio_is_one_section(rms: np.ndarray) -> None:
    sections = detect_sections(rms, HOP_S)
    assert [(section.label, section.energy) for section in sections] == [("section", 1.0)]
    assert_tiles(sections, len(rms))


def test_audio_under_8_seconds_is_one_section_whatever_it_holds() -> None:
    rms = envelope(((-40.0, -40.0, 3.5), (-6.0, -6.0, 3.5)))
    sections = detect_sections(rms, HOP_S)
    assert len(sections) == 1
    assert (sections[0].start_s, sections[0].end_s) == (0.0, pytest.approx(7.0))


def test_no_hops_no_sections_and_bad_input_is_refused() -> None:
    assert detect_sections(np.zeros(0), HOP_S) == []
    with pytest.raises(ValueError, match="hop_s"):
        detect_sections(np.ones(100), 0.0)
    with pytest.raises(ValueError, match="one-dimensional"):
        detect_sections(np.ones((100, 2)), HOP_S)


def test_ids_come_from_start_times_and_survive_a_rerun() -> None:
    rms = envelope(ARRANGEMENT)
    sections = detect_sections(rms, HOP_S)
    assert [section.id for section in sections] == [
        f"s{round(section.start_s * 10):05d}" for section in sections
    ]
    assert detect_sections(rms.copy(), HOP_S) == sections


@pytest.mark.parametrize(
    "new_tail",
    [((-6.0, -6.0, 8.0), (-20.0, -60.0, 8.0)), ((-6.0, -6.0, 8.0), (-24.0, -24.0, 16.0))],
    ids=["same-length", "longer"],
)
def test_a_new_tail_leaves_the_earlier_ids_alone(
    new_tail: tuple[tuple[float, float, float], ...],
) -> None:
    before = detect_sections(envelope(ARRANGEMENT), HOP_S)
    changed = detect_sections(envelope((*ARRANGEMENT[:3], (-6.0, -6.0, 24.0), *new_tail)), HOP_S)
    assert [section.id for section in changed[:4]] == [section.id for section in before[:4]]
    assert changed[-1].id != before[-1].id


def test_an_hour_at_tenth_second_hops_takes_well_under_50_ms() -> None:
    rng = np.random.default_rng(5)
    level_db = np.repeat(rng.uniform(-40.0, -5.0, 120), 300) + rng.normal(0.0, 2.0, 36_000)
    rms = 10.0 ** (level_db / 20.0)
    timings_s = []
    for _ in range(5):
        started = time.perf_counter()
        sections = detect_sections(rms, HOP_S)
        timings_s.append(time.perf_counter() - started)
    assert len(sections) > 1
    assert min(timings_s) < 0.05


def hop_rms(track: Track) -> np.ndarray:
    """RMS over all channels of each 0.1 s hop of the track's audio."""
    hop_frames = round(HOP_S * track.sample_rate_hz)
    hops = len(track.audio) // hop_frames
    frames = track.audio[: hops * hop_frames].reshape(hops, -1).astype(np.float64)
    return np.sqrt(np.mean(frames * frames, axis=1))


def section_start_s(track: Track, name: str, occurrence: int = 0) -> float:
    spans = [span for span in track.sections if span.name == name]
    return spans[occurrence].start_frame / track.sample_rate_hz


def near(sections: Sequence[Section], label: str, start_s: float) -> bool:
    """Whether a section labelled `label` starts within 1.5 s of `start_s`."""
    return any(s.label == label and abs(s.start_s - start_s) <= 1.5 for s in sections)


@pytest.fixture(scope="module")
def memory_spike() -> Track:
    """The demo's memory spike v2 (intro, build, drop, breakdown, fading outro)."""
    return synth.render_track(
        synth.STANDARD_ARRANGEMENT,
        bpm=126.0,
        key=Key.parse("Am"),
        pattern=FOUR_ON_THE_FLOOR,
        sample_rate_hz=22050,
    )


def test_memory_spike_sections_are_found_where_the_arrangement_puts_them(
    memory_spike: Track,
) -> None:
    sections = detect_sections(hop_rms(memory_spike), HOP_S)
    assert sections[0].label == "intro"
    assert abs(sections[0].end_s - section_start_s(memory_spike, "build")) <= 1.5
    assert near(sections, "build", section_start_s(memory_spike, "build"))
    assert near(sections, "drop", section_start_s(memory_spike, "drop"))
    assert near(sections, "breakdown", section_start_s(memory_spike, "breakdown"))
    assert near(sections, "outro", section_start_s(memory_spike, "outro"))


def test_night_drive_has_a_breakdown_between_two_drops() -> None:
    arrangement = (
        synth.Section("intro", 2, ("pad",), -12.0),
        synth.Section("drop", 6, synth.LAYERS, 0.0),
        synth.Section("breakdown", 2, ("pad", "hats"), -12.0),
        synth.Section("drop", 4, synth.LAYERS, 0.0),
        synth.Section("outro", 2, ("pad",), -8.0, -40.0),
    )
    track = synth.render_track(
        arrangement, bpm=100.0, key=Key.parse("Dm"), pattern=BREAKBEAT, sample_rate_hz=22050
    )
    sections = detect_sections(hop_rms(track), HOP_S)
    assert labels(sections) == ["intro", "drop", "breakdown", "drop 2", "outro"]
    assert near(sections, "drop", section_start_s(track, "drop"))
    assert near(sections, "breakdown", section_start_s(track, "breakdown"))
    assert near(sections, "drop 2", section_start_s(track, "drop", occurrence=1))
    assert near(sections, "outro", section_start_s(track, "outro"))
