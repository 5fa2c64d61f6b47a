"""`probe`: every format and layout, and every damaged-file row of HAZARDS "Reading audio"."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from phase_tui.audio.probe import AudioHeader, UnreadableAudio, probe
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

ROOT = Path(__file__).resolve().parents[2]

FORMATS = [  # (suffix, soundfile format, subtype)
    ("wav", "WAV", "PCM_16"),
    ("wav", "WAV", "PCM_24"),
    ("wav", "WAV", "FLOAT"),
    ("wav", "WAVEX", "PCM_24"),  # WAVE_FORMAT_EXTENSIBLE, what DAWs write for 24-bit/surround
    ("aiff", "AIFF", "PCM_16"),
    ("aiff", "AIFF", "PCM_24"),
    ("flac", "FLAC", "PCM_16"),
    ("flac", "FLAC", "PCM_24"),
    ("ogg", "OGG", "VORBIS"),
    ("mp3", "MP3", "MPEG_LAYER_III"),
]
LAYOUTS = [(11025, 1), (22050, 2), (44100, 2), (48000, 6), (96000, 2)]  # (rate Hz, channels)
MP3_CANNOT = {(48000, 6), (96000, 2)}  # MPEG audio: at most 2 channels and 48 kHz


def format_cases() -> list[tuple[str, str, str, int, int]]:
    return [
        (suffix, fmt, subtype, rate_hz, channels)
        for suffix, fmt, subtype in FORMATS
        for rate_hz, channels in LAYOUTS
        if not (fmt == "MP3" and (rate_hz, channels) in MP3_CANNOT)
    ]


@pytest.mark.parametrize(("suffix", "fmt", "subtype", "rate_hz", "channels"), format_cases())
def test_probe_reads_every_format_and_layout(
    tmp_path: Path, suffix: str, fmt: str, subtype: str, rate_hz: int, channels: int
) -> None:
    data = tone(0.5, rate_hz, channels)
    path = write(tmp_path / f"bounce.{suffix}", data, rate_hz, format=fmt, subtype=subtype)
    assert probe(path) == AudioHeader(
        format=fmt,
        subtype=subtype,
        sample_rate_hz=rate_hz,
        channels=channels,
        frames=len(data),
        duration_s=len(data) / rate_hz,
        problem=None,
    )


def test_extensible_wav_truncation_is_detected(tmp_path: Path) -> None:
    path = write(tmp_path / "surround.wav", tone(1.0, channels=6), format="WAVEX")
    cut(path, path.stat().st_size - 6 * 2 * RATE_HZ // 4)
    assert probe(path).frames == 3 * RATE_HZ // 4
    assert probe(path).problem == "truncated: the header promises 1.0 s, the file holds 0.8 s"


def test_rf64_is_probed_through_its_ds64_sizes(tmp_path: Path) -> None:
    path = write(tmp_path / "long.wav", tone(1.0), format="RF64", subtype="PCM_16")
    assert probe(path).format == "RF64" and probe(path).problem is None
    cut(path, path.stat().st_size - RATE_HZ)  # half of the data
    header = probe(path)
    assert header.frames == RATE_HZ // 2
    assert header.problem == "truncated: the header promises 1.0 s, the file holds 0.5 s"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.wav", "empty file (0 bytes)"),
        ("noise.wav", "not an audio file (format not recognised)"),
        ("noise.mp3", "not an MP3 stream (no MPEG audio frames found)"),
        ("lyrics.mp3", "not an MP3 stream (no MPEG audio frames found)"),
        ("missing.wav", "file not found"),
        ("folder.wav", "is a folder, not a file"),
    ],
)
def test_unreadable_files_raise_with_a_reason(tmp_path: Path, name: str, reason: str) -> None:
    path = tmp_path / name
    if name == "empty.wav":
        path.write_bytes(b"")
    elif name.startswith("noise"):
        random_bytes(path)
    elif name == "lyrics.mp3":
        text_named_mp3(path)
    elif name == "folder.wav":
        path.mkdir()
    with pytest.raises(UnreadableAudio) as caught:
        probe(path)
    assert caught.value.reason == reason
    assert caught.value.path == path and reason in str(caught.value)


def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.wav")
    with pytest.raises(UnreadableAudio, match="not a regular file"):
        probe(tmp_path / "pipe.wav")


def test_text_named_mp3_leaves_fd_2_silent() -> None:
    """Opening by descriptor keeps libmpg123 from printing to fd 2 (it would garble the TUI)."""
    code = (
        "import sys, tempfile\nfrom pathlib import Path\n"
        "from phase_tui.audio.probe import probe, UnreadableAudio\n"
        "path = Path(tempfile.mkdtemp()) / 'lyrics.mp3'\n"
        "path.write_text('not an mp3 at all\\n' * 20)\n"
        "try:\n    probe(path)\nexcept UnreadableAudio as error:\n    print(error.reason)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "not an MP3 stream (no MPEG audio frames found)"
    assert done.stderr == ""


def test_a_header_only_wav_is_empty_not_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.wav", np.zeros((0, 2)), subtype="PCM_16")
    header = probe(path)
    assert (header.frames, header.duration_s, header.problem) == (0, 0.0, "no audio data")
    assert (header.format, header.channels, header.sample_rate_hz) == ("WAV", 2, RATE_HZ)


def test_a_header_that_promises_audio_it_lacks_is_truncated(tmp_path: Path) -> None:
    path = cut(write(tmp_path / "hdr.wav", tone(1.0), subtype="PCM_16"), 44)
    header = probe(path)
    assert header.frames == 0
    assert header.problem == "truncated: the header promises 1.0 s, the file holds 0.0 s"


def test_a_wav_cut_mid_data_reports_what_is_left(tmp_path: Path) -> None:
    path = write(tmp_path / "cut.wav", tone(2.0, channels=2), subtype="PCM_24")
    cut(path, 44 + 6 * RATE_HZ // 2 + 4)  # 0.5 s of 24-bit stereo, and part of a frame
    header = probe(path)
    assert (header.frames, header.duration_s) == (RATE_HZ // 2, 0.5)
    assert header.problem == "truncated: the header promises 2.0 s, the file holds 0.5 s"


def test_a_header_claiming_10_s_with_0_1_s_present(tmp_path: Path) -> None:
    header = probe(header_claims(tmp_path / "claims.wav", 10.0, 0.1))
    assert header.frames == 4800 and header.duration_s == pytest.approx(0.1)
    assert header.problem == "truncated: the header promises 10.0 s, the file holds 0.1 s"


def test_an_unfinalised_header_reports_the_audio_really_present(tmp_path: Path) -> None:
    header = probe(never_finalised(tmp_path / "zero.wav", seconds=1.0))
    assert (header.frames, header.duration_s) == (RATE_HZ, 1.0)
    assert header.problem == "header never finalised: data size is 0 but 1.0 s of audio follows"
    placeholder = probe(never_finalised(tmp_path / "ff.wav", 0.5, size=0xFFFFFFFF))
    assert placeholder.frames == RATE_HZ // 2
    assert placeholder.problem == (
        "header never finalised: data size is a placeholder but 0.5 s of audio follows"
    )


def aiff_with_ssnd_size(path: Path, ssnd_size: int, seconds: float = 1.0) -> Path:
    raw = bytearray(write(path, tone(seconds), subtype="PCM_16").read_bytes())
    struct.pack_into(">I", raw, raw.index(b"SSND") + 4, ssnd_size)
    path.write_bytes(bytes(raw))
    return path


def test_aiff_truncation_and_unfinalised_headers(tmp_path: Path) -> None:
    whole = write(tmp_path / "whole.aiff", tone(1.0), subtype="PCM_16")
    cut(whole, whole.stat().st_size - RATE_HZ)  # half of the 16-bit mono data
    assert probe(whole).frames == RATE_HZ // 2
    assert probe(whole).problem == "truncated: the header promises 1.0 s, the file holds 0.5 s"
    for ssnd_size in (0, 8):  # no size at all / only the offset and block-size fields
        header = probe(aiff_with_ssnd_size(tmp_path / f"ssnd{ssnd_size}.aiff", ssnd_size))
        assert header.frames == RATE_HZ
        assert header.problem == (
            "header never finalised: data size is 0 but 1.0 s of audio follows"
        )


def test_chunks_beyond_the_first_read_are_found(tmp_path: Path) -> None:
    """A 10 KB JUNK chunk before `data` (Pro Tools pads like this) pushes it past 4 KB."""
    raw = write(tmp_path / "plain.wav", tone(1.0), subtype="PCM_16").read_bytes()
    data_at = raw.index(b"data")
    junk = b"JUNK" + struct.pack("<I", 10_000) + bytes(10_000)
    padded = raw[:data_at] + junk + raw[data_at:]
    path = tmp_path / "padded.wav"
    path.write_bytes(padded[:4] + struct.pack("<I", len(padded) - 8) + padded[8:])
    assert probe(path).problem is None and probe(path).frames == RATE_HZ
    cut(path, len(padded) - RATE_HZ)
    assert probe(path).problem == "truncated: the header promises 1.0 s, the file holds 0.5 s"


@pytest.fixture
def searchable_folder() -> Iterator[Path]:
    """A folder every user may enter (pytest's own tmp folders are 0700, closed to `nobody`)."""
    folder = Path(tempfile.mkdtemp(prefix="phase-os-audio-"))
    folder.chmod(0o711)
    yield folder
    shutil.rmtree(folder)


def test_permission_denied_even_as_root(searchable_folder: Path) -> None:
    """Root reads through chmod 000, so as root the reads run as `nobody` in a subprocess."""
    path = write(searchable_folder / "locked.wav", tone(0.1), subtype="PCM_16")
    path.chmod(0)
    drop_root = "os.setgid(65534)\nos.setuid(65534)\n" if os.geteuid() == 0 else ""
    code = (
        "import os, sys\nfrom pathlib import Path\n"
        "from phase_tui.audio.probe import probe, UnreadableAudio\n"
        "from phase_tui.audio.levels import analyse_levels\n"
        "from phase_tui.audio.hashing import content_hash\n"
        f"{drop_root}"
        "for read in (probe, analyse_levels, content_hash):\n"
        "    try:\n        read(Path(sys.argv[1]))\n"
        "    except UnreadableAudio as error:\n        print(error.reason)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.stdout.splitlines() == ["permission denied"] * 3
