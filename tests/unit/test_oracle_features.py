"""`analyse_sample` and `name_hints`: finite features for every odd file, sounds told apart,
bpm and key read from real-looking names and never invented from ordinary words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from phase_tui.audio.errors import UnreadableAudio
from phase_tui.oracle.features import FEATURE_NAMES, SampleAnalysis, analyse_sample, name_hints

RATE_HZ = 44100
Sound = Callable[[np.random.Generator], np.ndarray]


def kick(rng: np.random.Generator) -> np.ndarray:
    """A decaying low sine whose pitch drops fast."""
    t = np.arange(int(RATE_HZ * rng.uniform(0.4, 0.6))) / RATE_HZ
    pitch_hz = rng.uniform(45, 60) + rng.uniform(80, 120) * np.exp(-t * rng.uniform(25, 40))
    return np.sin(2 * np.pi * np.cumsum(pitch_hz) / RATE_HZ) * np.exp(-t * rng.uniform(6, 9))


def hat(rng: np.random.Generator) -> np.ndarray:
    """A short burst of high-passed noise."""
    frames = int(RATE_HZ * rng.uniform(0.05, 0.12))
    noise = np.diff(rng.normal(size=frames + 2), n=2)
    return 0.3 * noise * np.exp(-np.arange(frames) / RATE_HZ * rng.uniform(40, 60))


def pad(rng: np.random.Generator) -> np.ndarray:
    """A long chord that swells in and out."""
    t = np.arange(int(RATE_HZ * rng.uniform(3, 4))) / RATE_HZ
    root_hz = rng.uniform(200, 260)
    chord = sum(np.sin(2 * np.pi * root_hz * r * t + rng.uniform(0, 6)) for r in (1, 1.26, 1.5, 2))
    envelope = np.minimum(1, t / 0.8) * np.minimum(1, (t[-1] - t) / 0.8)
    return 0.2 * chord * envelope


def pluck(rng: np.random.Generator) -> np.ndarray:
    """A bass pluck: a square-ish low note with a quick decay."""
    t = np.arange(int(RATE_HZ * rng.uniform(0.25, 0.4))) / RATE_HZ
    note_hz = rng.uniform(70, 110)
    tone = 0.5 * np.sign(np.sin(2 * np.pi * note_hz * t)) + 0.3 * np.sin(4 * np.pi * note_hz * t)
    return 0.6 * tone * np.exp(-t * rng.uniform(10, 16))


FAMILIES: dict[str, Sound] = {"kick": kick, "hat": hat, "pad": pad, "pluck": pluck}


def write_family_samples(folder: Path, per_family: int, seed: int = 3) -> dict[str, Path]:
    """`per_family` variations of every family as 16-bit WAVs, by name ("kick0", "hat3"...)."""
    rng = np.random.default_rng(seed)
    paths = {}
    for family, sound in FAMILIES.items():
        for index in range(per_family):
            path = folder / f"{family}{index}.wav"
            sf.write(path, sound(rng).astype(np.float32), RATE_HZ, subtype="PCM_16")
            paths[path.stem] = path
    return paths


def feature(analysis: SampleAnalysis, name: str) -> float:
    return float(analysis.features[FEATURE_NAMES.index(name)])


def assert_sane(analysis: SampleAnalysis) -> None:
    assert analysis.features.dtype == np.float32
    assert analysis.features.shape == (len(FEATURE_NAMES),)
    assert np.isfinite(analysis.features).all()
    assert np.isfinite(analysis.onset_rate_hz)


def test_feature_names_are_unique_and_a_dozen_or_more() -> None:
    assert 12 <= len(FEATURE_NAMES) <= 20
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)


def test_families_differ_where_they_should(tmp_path: Path) -> None:
    found = {name: analyse_sample(path) for name, path in write_family_samples(tmp_path, 1).items()}
    for analysis in found.values():
        assert_sane(analysis)
    centroid = {name: feature(a, "centroid_log_hz") for name, a in found.items()}
    assert centroid["hat0"] > centroid["pad0"] > centroid["kick0"]
    assert feature(found["hat0"], "flatness") > 10 * feature(found["pad0"], "flatness")
    assert feature(found["kick0"], "band_bass_db") > feature(found["hat0"], "band_bass_db") + 40
    assert found["pad0"].duration_s > 3 > found["kick0"].duration_s
    assert feature(found["pad0"], "attack_log_s") > feature(found["kick0"], "attack_log_s")


def test_onsets_of_a_drum_loop_and_of_one_shots(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    loop = np.zeros(RATE_HZ * 4)
    hit, tick = kick(rng)[: RATE_HZ * 3 // 10], hat(rng)
    for beat in range(8):  # 120 bpm: a kick every 0.5 s, a hat on every off-beat
        start = beat * RATE_HZ // 2
        loop[start : start + len(hit)] += hit
        loop[start + RATE_HZ // 4 : start + RATE_HZ // 4 + len(tick)] += tick
    sf.write(tmp_path / "loop.wav", 0.7 * loop, RATE_HZ)
    assert analyse_sample(tmp_path / "loop.wav").onset_rate_hz == pytest.approx(4.0)
    for name, path in write_family_samples(tmp_path, 1).items():
        analysis = analyse_sample(path)
        assert analysis.onset_rate_hz * analysis.duration_s == pytest.approx(1.0), name


def test_levels_and_header_facts(tmp_path: Path) -> None:
    t = np.arange(RATE_HZ) / RATE_HZ
    sf.write(tmp_path / "sine.wav", 0.5 * np.sin(2 * np.pi * 1000 * t), RATE_HZ, "FLOAT")
    analysis = analyse_sample(tmp_path / "sine.wav")
    assert (analysis.format, analysis.subtype, analysis.channels) == ("WAV", "FLOAT", 1)
    assert (analysis.sample_rate_hz, analysis.duration_s) == (RATE_HZ, 1.0)
    assert analysis.peak_dbfs == pytest.approx(-6.02, abs=0.01)
    assert analysis.rms_dbfs == pytest.approx(-9.03, abs=0.01)
    assert feature(analysis, "centroid_log_hz") == pytest.approx(3.0, abs=0.01)


def test_only_the_first_max_seconds_are_analysed(tmp_path: Path) -> None:
    t = np.arange(RATE_HZ * 4) / RATE_HZ
    signal = np.where(t < 1, 0.5 * np.sin(2 * np.pi * 100 * t), 0.0)
    sf.write(tmp_path / "long.wav", signal, RATE_HZ, "FLOAT")
    analysis = analyse_sample(tmp_path / "long.wav", max_seconds=1.0)
    assert analysis.duration_s == 4.0
    assert analysis.rms_dbfs == pytest.approx(-9.03, abs=0.05)


@pytest.mark.parametrize(
    ("name", "data", "subtype", "suffix"),
    [
        ("silence", np.zeros(RATE_HZ), "PCM_16", "wav"),
        ("one sample", np.array([0.5]), "PCM_16", "wav"),
        ("one silent sample", np.array([0.0]), "FLOAT", "wav"),
        ("stereo", np.stack([np.linspace(-1, 1, 5000), np.zeros(5000)], axis=1), "PCM_16", "wav"),
        ("24-bit", 0.3 * np.sin(np.arange(20000) / 5), "PCM_24", "wav"),
        ("FLAC", 0.3 * np.sin(np.arange(20000) / 5), "PCM_16", "flac"),
        ("8 kHz-like tiny rate", 0.3 * np.sin(np.arange(800) / 3), "PCM_16", "wav"),
    ],
)
def test_features_are_finite_for_odd_files(
    tmp_path: Path, name: str, data: np.ndarray, subtype: str, suffix: str
) -> None:
    path = tmp_path / f"odd.{suffix}"
    rate_hz = 8000 if "8 kHz" in name else RATE_HZ
    sf.write(path, data, rate_hz, subtype=subtype)
    analysis = analyse_sample(path)
    assert_sane(analysis)
    assert analysis.channels == (2 if name == "stereo" else 1)


def test_silence_has_no_levels_and_no_onsets(tmp_path: Path) -> None:
    sf.write(tmp_path / "silence.wav", np.zeros((RATE_HZ, 2)), RATE_HZ, "PCM_16")
    analysis = analyse_sample(tmp_path / "silence.wav")
    assert (analysis.peak_dbfs, analysis.rms_dbfs, analysis.onset_rate_hz) == (None, None, 0.0)


@pytest.mark.parametrize("content", [b"", b"not audio at all" * 40, b"RIFF\x00\x00"])
def test_unreadable_files_raise_unreadable_audio(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fake.wav"
    path.write_bytes(content)
    with pytest.raises(UnreadableAudio):
        analyse_sample(path)
    with pytest.raises(UnreadableAudio):
        analyse_sample(tmp_path / "missing.wav")


@pytest.mark.parametrize(
    ("name", "hints"),
    [
        ("loop_house_124bpm_Am.wav", (124.0, "A minor")),
        ("bass_stab_F.wav", (None, "F major")),
        ("pad_loop_90bpm_Eb.wav", (90.0, "Eb major")),
        ("Kick 03.wav", (None, None)),
        ("Drum Loop 174 BPM.wav", (174.0, None)),
        ("perc_128_loop.wav", (None, None)),
        ("DnB Break 174.wav", (None, None)),
        ("BPM_90_synth_Dm.aiff", (90.0, "D minor")),
        ("Chords_C#m_120bpm.wav", (120.0, "C# minor")),
        ("Lead F#min 128 bpm.wav", (128.0, "F# minor")),
        ("Pad Bbmaj.flac", (None, "Bb major")),
        ("Piano A minor 85 BPM.wav", (85.0, "A minor")),
        ("Deep House Chords 122 BPM Cm.wav", (122.0, "C minor")),
        ("Vocal_Chop_Eb.wav", (None, "Eb major")),
        ("F#m_loop.wav", (None, "F# minor")),
    ],
)
def test_name_hints(name: str, hints: tuple[float | None, str | None]) -> None:
    assert name_hints(name) == hints


@pytest.mark.parametrize(
    "name",
    [
        "Clap A.wav",
        "HH_Closed_B.wav",
        "Snare Top E.wav",
        "Take B vocal.wav",
        "Vocal Version C.wav",
        "Am I Dreaming.wav",
        "Big Room Lead.wav",
        "Euphoric Build Up.wav",
        "FX Riser Long.wav",
        "Guitar Em7 strum.wav",
        "DJ Tool Acapella.wav",
        "Bed Ambience.wav",
        "AM Radio Noise.wav",
    ],
)
def test_no_key_from_ordinary_words(name: str) -> None:
    assert name_hints(name)[1] is None
