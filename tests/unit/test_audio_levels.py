"""`analyse_levels`: exact levels of synthetic signals, every format, damaged files, memory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf

from phase_tui.audio.levels import Levels, analyse_levels
from phase_tui.audio.probe import UnreadableAudio, probe
from tests.unit.test_audio_files import (
    RATE_HZ,
    cut,
    header_claims,
    never_finalised,
    random_bytes,
    text_named_mp3,
    tone,
    write,
)
from tests.unit.test_audio_probe import format_cases

ROOT = Path(__file__).resolve().parents[2]
LOSSY = {"OGG", "MP3"}


def rounded(levels: Levels) -> tuple[float | None, float | None]:
    return (
        None if levels.peak_dbfs is None else round(levels.peak_dbfs, 2),
        None if levels.rms_dbfs is None else round(levels.rms_dbfs, 2),
    )


def test_full_scale_square_is_0_dbfs_peak_and_rms(tmp_path: Path) -> None:
    square = np.where(np.sin(2 * np.pi * 100 * np.arange(RATE_HZ) / RATE_HZ) >= 0, 1.0, -1.0)
    levels = analyse_levels(write(tmp_path / "square.wav", square, subtype="FLOAT"))
    assert (levels.peak_dbfs, levels.rms_dbfs) == (0.0, 0.0)
    assert levels.frames_read == RATE_HZ


def test_half_amplitude_sine_is_minus_6_peak_minus_9_rms(tmp_path: Path) -> None:
    path = write(tmp_path / "sine.wav", tone(1.0, channels=2, freq_hz=1000), subtype="FLOAT")
    assert rounded(analyse_levels(path)) == (-6.02, -9.03)


def test_digital_silence_has_no_levels(tmp_path: Path) -> None:
    path = write(tmp_path / "silence.wav", np.zeros((RATE_HZ, 2)), subtype="PCM_16")
    assert analyse_levels(path) == Levels(None, None, None, RATE_HZ)


@pytest.mark.parametrize("rate_hz", [44100, 48000])
@pytest.mark.parametrize("channels", [1, 2])
def test_lufs_matches_pyloudnorm(tmp_path: Path, rate_hz: int, channels: int) -> None:
    data = tone(3.0, rate_hz, channels, amplitude=10 ** (-20 / 20), freq_hz=1000)
    levels = analyse_levels(write(tmp_path / "tone.wav", data, rate_hz, subtype="FLOAT"))
    expected = pyloudnorm.Meter(rate_hz).integrated_loudness(data)
    assert levels.lufs == pytest.approx(expected, abs=0.1)
    assert levels.lufs == pytest.approx(-23.0 + 3.01 * (channels - 1), abs=0.05)


def test_small_blocks_give_the_same_levels_as_one_big_block(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    data = tone(2.5, 44100, 2, amplitude=0.3) + 0.05 * rng.standard_normal((110250, 2))
    path = write(tmp_path / "mix.wav", data, 44100, subtype="FLOAT")
    small, whole = analyse_levels(path, block_frames=1000), analyse_levels(path, 1 << 20)
    assert small.frames_read == whole.frames_read == 110250
    for measured, reference in zip(
        (small.peak_dbfs, small.rms_dbfs, small.lufs),
        (whole.peak_dbfs, whole.rms_dbfs, whole.lufs),
        strict=True,
    ):
        assert measured == pytest.approx(reference, abs=1e-4)  # float32 K-weighting


@pytest.mark.parametrize(("suffix", "fmt", "subtype", "rate_hz", "channels"), format_cases())
def test_levels_of_every_format_and_layout(
    tmp_path: Path, suffix: str, fmt: str, subtype: str, rate_hz: int, channels: int
) -> None:
    data = tone(0.5, rate_hz, channels)
    path = write(tmp_path / f"bounce.{suffix}", data, rate_hz, format=fmt, subtype=subtype)
    levels = analyse_levels(path)
    assert levels.frames_read == len(data) == probe(path).frames
    assert levels.lufs is not None
    assert levels.peak_dbfs is not None and levels.rms_dbfs is not None
    if fmt in LOSSY:  # the codec changes the samples a little
        assert levels.rms_dbfs == pytest.approx(-9.03, abs=1.0)
        assert -9.03 < levels.peak_dbfs < -3.5
    else:
        assert rounded(levels) == (-6.02, -9.03)


def test_unfinalised_wav_is_analysed_from_the_audio_really_there(tmp_path: Path) -> None:
    levels = analyse_levels(never_finalised(tmp_path / "zero.wav", 1.0, subtype="PCM_24"))
    assert levels.frames_read == RATE_HZ
    assert rounded(levels) == (-6.02, -9.03)


def test_truncated_wavs_are_analysed_as_far_as_they_go(tmp_path: Path) -> None:
    path = cut(write(tmp_path / "cut.wav", tone(1.0), subtype="PCM_16"), 44 + RATE_HZ + 1)
    assert analyse_levels(path).frames_read == RATE_HZ // 2
    assert analyse_levels(header_claims(tmp_path / "claims.wav", 10.0, 0.1)).frames_read == 4800


def test_too_short_for_a_gating_block_has_no_lufs(tmp_path: Path) -> None:
    levels = analyse_levels(write(tmp_path / "blip.wav", tone(0.39), subtype="PCM_16"))
    assert levels.lufs is None and rounded(levels) == (-6.02, -9.03)


def test_header_only_wav_has_no_levels(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.wav", np.zeros((0, 1)), subtype="PCM_16")
    assert analyse_levels(path) == Levels(None, None, None, 0)


def test_unreadable_files_raise_unreadable_audio(tmp_path: Path) -> None:
    (tmp_path / "empty.wav").write_bytes(b"")
    (tmp_path / "folder.wav").mkdir()
    cases = {
        tmp_path / "empty.wav": "empty file (0 bytes)",
        random_bytes(tmp_path / "noise.flac"): "not an audio file (format not recognised)",
        text_named_mp3(tmp_path / "lyrics.mp3"): "not an MP3 stream (no MPEG audio frames found)",
        tmp_path / "missing.wav": "file not found",
        tmp_path / "folder.wav": "is a folder, not a file",
    }
    for path, reason in cases.items():
        with pytest.raises(UnreadableAudio) as caught:
            analyse_levels(path)
        assert caught.value.reason == reason


def test_a_flac_cut_short_raises_instead_of_guessing(tmp_path: Path) -> None:
    path = write(tmp_path / "cut.flac", tone(3.0, 44100, 2), 44100)
    cut(path, path.stat().st_size // 3)
    with pytest.raises(UnreadableAudio, match="damaged or cut short after"):
        analyse_levels(path)


def test_a_file_deleted_between_probe_and_analysis(tmp_path: Path) -> None:
    path = write(tmp_path / "gone.wav", tone(1.0), subtype="PCM_16")
    assert probe(path).frames == RATE_HZ
    path.unlink()
    with pytest.raises(UnreadableAudio) as caught:
        analyse_levels(path)
    assert caught.value.reason == "file not found"


MEMORY_CHECK = """
import resource, sys
from pathlib import Path
from phase_tui.audio.levels import analyse_levels
analyse_levels(Path(sys.argv[1]))  # warm up: codecs loaded, first buffers allocated
before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
levels = analyse_levels(Path(sys.argv[2]))
after_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(levels.frames_read, (after_kib - before_kib) // 1024)
"""


def test_twenty_minutes_of_stereo_in_bounded_memory(tmp_path: Path) -> None:
    rate_hz, minutes = 44100, 20
    ten_s = tone(10.0, rate_hz, 2, amplitude=0.25).astype(np.float32)
    long_path = tmp_path / "long.wav"
    with sf.SoundFile(long_path, "w", rate_hz, 2, subtype="PCM_16") as out:
        for _ in range(minutes * 6):  # written in 10 s blocks: this test stays small too
            out.write(ten_s)
    short_path = write(tmp_path / "short.wav", ten_s[:rate_hz], rate_hz, subtype="PCM_16")
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_CHECK, str(short_path), str(long_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    frames_read, growth_mib = map(int, done.stdout.split())
    assert frames_read == minutes * 60 * rate_hz
    assert growth_mib < 64  # the whole file decoded at once would be 423 MiB of float32


def test_analysis_does_not_load_scipy(tmp_path: Path) -> None:
    """scipy.signal takes 0.7 to 1.2 s to import: the first bounce analysed would wait."""
    path = write(tmp_path / "tone.wav", tone(1.0), subtype="PCM_16")
    code = (
        "import sys\nfrom pathlib import Path\nfrom phase_tui.audio.levels import analyse_levels\n"
        f"print(analyse_levels(Path({str(path)!r})).lufs is not None, 'scipy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.stdout.split() == ["True", "False"]
