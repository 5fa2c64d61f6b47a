"""The demo studio: synthesized drums, bass, pads and tracks; the files `phase-os demo` writes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from phase_tui.demo import DemoContext, create_demo_studio, synth
from phase_tui.demo.audio_files import can_write
from phase_tui.demo.crate import crate_files
from phase_tui.demo.synth import (
    BREAKBEAT,
    FOUR_ON_THE_FLOOR,
    STANDARD_ARRANGEMENT,
    TWO_STEP,
    Key,
    Section,
)
from phase_tui.session.studio import Studio

ROOT = Path(__file__).resolve().parents[2]


def peak_dbfs(audio: np.ndarray) -> float:
    return 20.0 * np.log10(np.max(np.abs(audio)))


def rms_db(audio: np.ndarray) -> float:
    return 10.0 * np.log10(np.mean(np.square(audio, dtype=np.float64)))


def dominant_hz(mono: np.ndarray, sample_rate_hz: int) -> float:
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono))))
    return float(np.argmax(spectrum) * sample_rate_hz / len(mono))


# --- synthesis --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "bars", "bpm", "sample_rate_hz"),
    [
        (FOUR_ON_THE_FLOOR, 4, 124.0, 44100),
        (BREAKBEAT, 2, 96.0, 48000),
        (TWO_STEP, 4, 174.0, 22050),
        (TWO_STEP, 3, 133.0, 44100),  # a length that is no whole number of frames
    ],
)
def test_drum_loop_length_follows_bars_and_tempo(pattern, bars, bpm, sample_rate_hz):
    loop = synth.drum_loop(pattern, bars, bpm, sample_rate_hz, seed=3)
    assert loop.shape == (round(bars * 4 * 60 / bpm * sample_rate_hz), 2)
    assert loop.dtype == np.float32
    assert np.max(np.abs(loop)) <= 1.0
    assert peak_dbfs(loop) == pytest.approx(-1.0, abs=0.01)


def test_drum_loop_is_deterministic_by_seed():
    first = synth.drum_loop(BREAKBEAT, 2, 100.0, 22050, seed=5)
    again = synth.drum_loop(BREAKBEAT, 2, 100.0, 22050, seed=5)
    other = synth.drum_loop(BREAKBEAT, 2, 100.0, 22050, seed=6)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_kicks_land_on_the_beats_of_four_on_the_floor():
    sample_rate_hz, bpm = 22050, 120.0
    loop = synth.drum_loop(FOUR_ON_THE_FLOOR, 1, bpm, sample_rate_hz, channels=1, parts=("kick",))[
        :, 0
    ]
    beat_frames = round(60 / bpm * sample_rate_hz)
    window = round(0.01 * sample_rate_hz)
    for beat in range(1, 4):
        start = beat * beat_frames
        after = np.max(np.abs(loop[start : start + window]))
        before = np.max(np.abs(loop[start - window : start]))
        assert after > 5 * before


def test_kick_pitch_falls():
    sample_rate_hz = 44100
    kick = synth.kick(sample_rate_hz, start_hz=160.0, end_hz=45.0)[:, 0]

    def crossings_hz(segment: np.ndarray) -> float:
        flips = np.count_nonzero(np.diff(np.signbit(segment)))
        return flips / 2 / (len(segment) / sample_rate_hz)

    early = crossings_hz(kick[: round(0.02 * sample_rate_hz)])
    late = crossings_hz(kick[round(0.2 * sample_rate_hz) : round(0.4 * sample_rate_hz)])
    assert early > 100 and late == pytest.approx(45.0, abs=8.0)


def test_one_shots_are_mono_and_in_range():
    for sound in (synth.kick(44100), synth.snare(44100, seed=1), synth.hat(48000, seed=1)):
        assert sound.ndim == 2 and sound.shape[1] == 1
        assert peak_dbfs(sound) == pytest.approx(-1.0, abs=0.01)


def test_bass_line_plays_its_notes_for_their_length():
    sample_rate_hz, bpm = 22050, 120.0
    notes = [45] * 8  # A2, 110 Hz, eight 8th notes: two seconds at 120 bpm
    bass = synth.bass_line(notes, bpm, sample_rate_hz, step_beats=0.5)
    assert bass.shape == (round(8 * 0.5 * 60 / bpm * sample_rate_hz), 1)
    assert dominant_hz(bass[:, 0], sample_rate_hz) == pytest.approx(110.0, abs=2.0)


def test_bass_rests_are_silent_and_waves_differ():
    notes = [40, None]
    saw = synth.bass_line(notes, 120.0, 22050)
    square = synth.bass_line(notes, 120.0, 22050, wave="square")
    half = len(saw) // 2
    assert np.max(np.abs(saw[half:])) == 0.0
    assert not np.allclose(saw, square)
    with pytest.raises(ValueError):
        synth.bass_line(notes, 120.0, 22050, wave="triangle")


def test_bass_notes_follow_the_progression_roots():
    key = Key.parse("Am")
    notes = synth.bass_notes(key, 4, rhythm="x.o.")
    assert len(notes) == 16
    roots = [chord[0] for chord in key.progression(octave=1)]
    assert notes[:4] == [roots[0], None, roots[0] + 12, None]
    assert notes[8] == roots[1]


def test_pad_is_stereo_with_differing_channels():
    chords = Key.parse("Eb").progression(3, size=4)
    sample_rate_hz, bpm = 22050, 90.0
    stereo = synth.pad(chords, bpm, sample_rate_hz, bars_per_chord=1, seed=2)
    assert stereo.shape == (synth.bars_to_frames(4, bpm, sample_rate_hz), 2)
    assert peak_dbfs(stereo) == pytest.approx(-1.0, abs=0.01)
    left, right = stereo[:, 0], stereo[:, 1]
    assert np.corrcoef(left, right)[0, 1] < 0.99
    narrow = synth.pad(chords, bpm, sample_rate_hz, bars_per_chord=1, seed=2, width=0.0)
    assert np.allclose(narrow[:, 0], narrow[:, 1], atol=1e-5)


def test_pad_chord_fades_in_and_releases_to_silence():
    chord = synth.pad_chord(Key.parse("Am").chord(0, 3), 2.0, 22050, attack_s=0.5)
    assert chord.shape == (44100, 2)
    quarter = len(chord) // 4
    assert rms_db(chord[: quarter // 4]) < rms_db(chord[quarter : 2 * quarter]) - 6
    assert np.max(np.abs(chord[-20:])) < 1e-3


def test_normalise_sets_the_peak_and_keeps_silence():
    noise = np.random.default_rng(0).standard_normal((1000, 2)) * 3
    assert peak_dbfs(synth.normalise(noise, -6.0)) == pytest.approx(-6.0, abs=0.001)
    silence = synth.normalise(np.zeros((10, 1)))
    assert silence.dtype == np.float32 and not silence.any()


def test_mix_pads_short_layers_and_spreads_mono():
    mono = np.ones((100, 1), dtype=np.float32)
    stereo = np.ones((50, 2), dtype=np.float32)
    mixed = synth.mix([mono, stereo], [0.0, 0.0], peak_dbfs=0.0)
    assert mixed.shape == (100, 2)
    assert mixed[0, 0] == pytest.approx(1.0)
    assert mixed[99, 0] == pytest.approx(0.5)  # only the mono layer is still playing


def test_fade_starts_and_ends_silent():
    faded = synth.fade(np.ones((1000, 2)), 1000, in_s=0.1, out_s=0.2)
    assert np.all(faded[0] == 0.0) and np.all(faded[-1] == 0.0)
    assert np.all(faded[100:800] == 1.0)


def test_soft_clip_is_louder_at_the_same_peak():
    loop = synth.drum_loop(FOUR_ON_THE_FLOOR, 1, 120.0, 22050)
    clipped = synth.soft_clip(loop, drive_db=9.0, peak_dbfs=-1.0)
    assert peak_dbfs(clipped) == pytest.approx(-1.0, abs=0.01)
    assert rms_db(clipped) > rms_db(loop) + 3


def test_keys_parse_and_spell_notes():
    assert Key.parse("Fm") == Key(5, True)
    assert Key.parse("F#m") == Key(6, True)
    assert Key.parse("Eb") == Key(3, False)
    assert Key.parse("Ebmaj").name == "Eb" and Key.parse("Cmin").name == "Cm"
    assert Key.parse("Am").note(0, 4) == 69
    assert Key.parse("Am").chord(0, 3) == (57, 60, 64)  # A minor triad
    assert Key.parse("C").chord(4, 3, size=4) == (55, 59, 62, 65)  # G7
    with pytest.raises(ValueError):
        Key.parse("H")


@pytest.fixture(scope="module")
def track() -> synth.Track:
    return synth.render_track(
        STANDARD_ARRANGEMENT, bpm=126.0, key=Key.parse("Am"), sample_rate_hz=22050, seed=7
    )


def test_track_length_and_sections_follow_the_arrangement(track):
    bars = sum(section.bars for section in STANDARD_ARRANGEMENT)
    assert track.audio.shape == (round(bars * 4 * 60 / 126.0 * 22050), 2)
    assert 30.0 < track.duration_s < 75.0
    assert [span.name for span in track.sections] == [s.name for s in STANDARD_ARRANGEMENT]
    assert track.sections[0].start_frame == 0
    assert track.sections[-1].end_frame == len(track.audio)
    for before, after in zip(track.sections, track.sections[1:], strict=False):
        assert before.end_frame == after.start_frame
    assert peak_dbfs(track.audio) == pytest.approx(-1.0, abs=0.01)


def test_track_drop_is_much_louder_than_intro_and_breakdown(track):
    drop = rms_db(track.section_audio("drop"))
    assert drop > rms_db(track.section_audio("breakdown")) + 10
    assert drop > rms_db(track.section_audio("intro")) + 10
    build = track.section_audio("build")
    half = len(build) // 2
    assert rms_db(build[half:]) > rms_db(build[:half]) + 2  # the build rises


def test_track_rejects_bad_patterns_and_layers():
    three_bars = synth.DrumPattern("odd", kick="x" + "." * 47, snare="." * 16, hats="x.")
    with pytest.raises(ValueError, match="does not repeat"):
        synth.render_track(
            (Section("a", 3, ("kick",)),),
            bpm=120.0,
            key=Key.parse("C"),
            sample_rate_hz=8000,
            pattern=three_bars,
        )
    with pytest.raises(ValueError, match="unknown layers"):
        synth.render_track(
            (Section("a", 1, ("drums",)),), bpm=120.0, key=Key.parse("C"), sample_rate_hz=8000
        )


def test_track_is_deterministic_by_seed():
    sections = (Section("a", 2, ("pad", "bass")), Section("b", 2, synth.LAYERS, -3.0))

    def render(seed: int) -> np.ndarray:
        return synth.render_track(
            sections, bpm=140.0, key=Key.parse("Gm"), seed=seed, sample_rate_hz=16000, channels=1
        ).audio

    assert render(1).shape[1] == 1
    assert np.array_equal(render(1), render(1))
    assert not np.array_equal(render(1), render(2))


# --- the demo studio ----------------------------------------------------------------------


def bounce_name(name: str) -> str:
    """The MP3 bounce is an OGG where libsndfile cannot write MP3."""
    return name if can_write("MP3") or not name.endswith(".mp3") else name[:-4] + ".ogg"


# relative path: (sample rate, channels, duration in seconds)
EXPECTED_AUDIO = {
    "bounces/memory-spike.wav": (44100, 1, 16 * 4 * 60 / 126),
    "bounces/memory-spike-v2.wav": (44100, 2, 24 * 4 * 60 / 126),
    "bounces/Memory Spike (final).flac": (44100, 2, 32 * 4 * 60 / 126),
    bounce_name("bounces/frag-loop-finale.mp3"): (22050, 1, 4 * 4 * 60 / 96),
    "bounces/night-drive.ogg": (48000, 2, 16 * 4 * 60 / 100),
    "bounces/glass-pads v3.aiff": (44100, 2, 6 * 4 * 60 / 80),
    "crates/demo-crate/kick_punchy.wav": (44100, 1, 0.5),
    "crates/demo-crate/hat_closed.wav": (48000, 1, 0.2),
    "crates/demo-crate/pad_chord_Am.wav": (48000, 2, 3.0),
    "crates/demo-crate/loop_dnb_174bpm_Fm.wav": (44100, 2, 4 * 4 * 60 / 174),
    "crates/demo-crate/loop_house_124bpm_Am.wav": (44100, 2, 4 * 4 * 60 / 124),
    "crates/demo-crate/loop_breaks_96bpm.wav": (44100, 2, 2 * 4 * 60 / 96),
    "crates/demo-crate/bass_loop_128bpm_Cm.wav": (44100, 1, 4 * 4 * 60 / 128),
    "crates/demo-crate/pad_loop_90bpm_Eb.wav": (44100, 2, 4 * 4 * 60 / 90),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, list[Path], list[str], float]:
    root = tmp_path_factory.mktemp("demo") / "studio"
    messages: list[str] = []
    started = time.perf_counter()
    written = create_demo_studio(root, progress=messages.append)
    return root.resolve(), written, messages, time.perf_counter() - started


def test_demo_is_a_studio_with_one_message_per_file(demo):
    root, written, messages, _ = demo
    assert (root / "phase_os.toml").is_file() and (root / "bounces").is_dir()
    assert len(messages) == len(written) == len(set(written))
    assert all(path.is_file() and path.is_relative_to(root) for path in written)
    relative = {path.relative_to(root).as_posix() for path in written}
    assert set(EXPECTED_AUDIO) | {"crates/demo.m3u"} <= relative
    assert messages[0].startswith("bounces/memory-spike.wav")


@pytest.mark.parametrize("relative_path", sorted(EXPECTED_AUDIO))
def test_demo_audio_reads_back_as_made(demo, relative_path):
    sample_rate_hz, channels, duration_s = EXPECTED_AUDIO[relative_path]
    info = sf.info(str(demo[0] / relative_path))
    assert (info.samplerate, info.channels) == (sample_rate_hz, channels)
    assert info.duration == pytest.approx(duration_s, abs=0.03)


def test_demo_bounces_vary_like_real_exports(demo):
    root, written, _, _ = demo
    infos = [sf.info(str(path)) for path in written if path.parent == root / "bounces"]
    assert len(infos) == 6
    assert {info.samplerate for info in infos} == {22050, 44100, 48000}
    assert {info.channels for info in infos} == {1, 2}
    assert {"PCM_16", "PCM_24", "FLOAT"} <= {info.subtype for info in infos}
    durations = [info.duration for info in infos]
    assert min(durations) < 12 and 55 < max(durations) < 75
    audio_bytes = sum(path.stat().st_size for path in written)
    assert audio_bytes < 40_000_000


def test_demo_versions_were_exported_over_days_oldest_first(demo):
    root = demo[0]
    ages_h = {
        path.name: (time.time() - path.stat().st_mtime) / 3600
        for path in (root / "bounces").iterdir()
    }
    spike = [ages_h[name] for name in ("memory-spike.wav", "memory-spike-v2.wav")]
    assert spike[0] > spike[1] > ages_h["Memory Spike (final).flac"] >= 0
    assert max(ages_h.values()) > 48  # a history of several days, not one instant


def test_demo_track_has_form_map_versions_linked_to_its_bounces(demo):
    from phase_tui.builder.versions import FormVersions
    from phase_tui.context import StudioContext

    context = StudioContext.open(demo[0])
    try:
        versions = FormVersions(context.store, demo[0])
        history = versions.history("memory spike")
        assert [len(v.form.sections) for v in history] == [5, 5, 7]  # sketch, v2, final
        assert versions.active() == history[-1]
        assert history[0].form.total_bars == 16 and history[2].form.total_bars == 32
        linked = {r["name"]: r.get("form") for r in context.store.all("bounces")}
        assert linked == {
            "memory-spike.wav": history[0].id,
            "memory-spike-v2.wav": history[1].id,
            "Memory Spike (final).flac": history[2].id,
        }
    finally:
        context.close()


def test_demo_has_a_spoken_memo_waiting_for_its_transcript(demo):
    from phase_tui.context import StudioContext
    from phase_tui.voice.memos import MEMOS

    audio = demo[0] / "memos/demo-riser-idea.wav"
    info = sf.info(str(audio))
    assert (info.samplerate, info.channels, info.subtype) == (16000, 1, "PCM_16")
    context = StudioContext.open(demo[0])
    try:
        (memo,) = context.store.all(MEMOS)
        assert memo["status"] == "pending" and memo["path"] == str(audio)
        assert memo["duration_s"] == pytest.approx(info.duration)
        assert memo["focus"]["name"] == "Memory Spike (final).flac"
    finally:
        context.close()


def test_demo_crate_is_in_the_library_with_a_remix_session(demo):
    import json

    from phase_tui.context import StudioContext
    from phase_tui.oracle.curation import approved

    manifest = json.loads((demo[0] / "remix/memory spike flips/manifest.json").read_text())
    assert [f["file"] for f in manifest["fragments"]] == [
        "loop_house_124bpm_Am.wav",
        "pad_loop_90bpm_Eb.wav",
    ]
    context = StudioContext.open(demo[0])
    try:
        samples = context.store.all("samples")
        crate = list((demo[0] / "crates/demo-crate").iterdir())
        assert len(samples) == len(crate) and all(s["status"] == "ok" for s in samples)
        house = next(s for s in samples if s["name"] == "loop_house_124bpm_Am.wav")
        assert (house["bpm"], house["key"]) == (124.0, "A minor")
        assert len(approved(context.store)) == 2
    finally:
        context.close()


def test_demo_crate_names_say_tempo_and_key(demo):
    root = demo[0]
    crate = sorted(p.name for p in (root / "crates/demo-crate").iterdir())
    loops = [name for name in crate if "bpm" in name]
    assert len(loops) >= 5 and "loop_dnb_174bpm_Fm.wav" in loops
    for name in crate:
        duration_s = sf.info(str(root / "crates/demo-crate" / name)).duration
        assert 0.1 <= duration_s <= (12.0 if "bpm" in name else 3.0)


def test_demo_playlist_lists_files_that_exist(demo):
    playlist = demo[0] / "crates/demo.m3u"
    lines = playlist.read_text().splitlines()
    assert lines[0] == "#EXTM3U"
    entries = [line for line in lines if line and not line.startswith("#")]
    assert len(entries) >= 3
    assert len([line for line in lines if line.startswith("#EXTINF:")]) == len(entries)
    for entry in entries:
        assert not Path(entry).is_absolute()
        assert (playlist.parent / entry).is_file()


def test_demo_is_fast(demo):
    assert demo[3] < 15.0  # a few seconds on two cores; generous for busy machines


def test_demo_never_overwrites_and_recreates_only_what_is_missing(demo):
    root = demo[0]
    assert create_demo_studio(root) == []
    kept = root / "crates/demo-crate/kick_punchy.wav"
    kept.write_bytes(b"my own edit")
    missing = root / "crates/demo-crate/snare_tight.wav"
    before, _ = sf.read(str(missing))
    missing.unlink()
    messages: list[str] = []
    assert create_demo_studio(root, progress=messages.append) == [missing]
    assert len(messages) == 1
    assert kept.read_bytes() == b"my own edit"
    after, _ = sf.read(str(missing))
    assert np.array_equal(before, after)


def test_demo_audio_is_the_same_for_the_same_seed(tmp_path):
    def write_crate(folder: str, seed: int) -> list[np.ndarray]:
        context = DemoContext(Studio(tmp_path / folder), seed)
        audio = []
        for item in crate_files(context)[:6]:  # the quick ones: one-shots and a loop
            target = context.studio.root / item.relative_path
            target.parent.mkdir(parents=True, exist_ok=True)
            item.write(target)
            audio.append(sf.read(str(target))[0])
        return audio

    first, again, other = write_crate("a", 7), write_crate("b", 7), write_crate("c", 8)
    assert all(np.array_equal(x, y) for x, y in zip(first, again, strict=True))
    assert any(not np.array_equal(x, y) for x, y in zip(first, other, strict=True))


def test_demo_package_does_not_import_textual():
    code = "import sys, phase_tui.demo; assert 'textual' not in sys.modules, 'textual imported'"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
