"""`PeaksCache`: round trips, keys, and every kind of bad file read as absent and removed."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import xxhash

from phase_tui.audio.peaks import Peaks, compute_peaks
from phase_tui.audio.peaks_cache import FORMAT_VERSION, HEADER, PeaksCache, encode
from tests.unit.test_audio_files import cut, write

HASH = "0123456789abcdef0123456789abcdef"
RATE_HZ = 8000


@pytest.fixture(scope="module")
def peaks(tmp_path_factory: pytest.TempPathFactory) -> Peaks:
    """Peaks of a cut-short stereo WAV whose samples float16 holds exactly (multiples of
    1/1024 within +-1): 20,011 frames, a partial last bucket, and a problem sentence."""
    rng = np.random.default_rng(4)
    samples = rng.integers(-1024, 1025, (24000, 2)) / 1024
    path = write(tmp_path_factory.mktemp("audio") / "cut.wav", samples, RATE_HZ, subtype="FLOAT")
    result = compute_peaks(cut(path, path.stat().st_size - 8 * 3989))
    assert result.frames == 20011 and result.problem and result.problem.startswith("truncated")
    return result


def saved(tmp_path: Path, peaks: Peaks) -> tuple[PeaksCache, Path]:
    cache = PeaksCache(tmp_path / ".phase_os" / "peaks")
    cache.save(HASH, peaks)
    return cache, cache.folder / f"{HASH}.peaks"


def resealed(body: bytes) -> bytes:
    """`body` with a digest that matches it, so only the checks after the digest can refuse it."""
    return body + xxhash.xxh3_128_digest(body)


def test_round_trip_gives_the_same_peaks(tmp_path: Path, peaks: Peaks) -> None:
    cache, path = saved(tmp_path, peaks)
    assert sorted(os.listdir(cache.folder)) == [path.name]  # no temp file left behind
    loaded = cache.load(HASH)
    assert loaded is not None
    fields = ("sample_rate_hz", "channels", "frames", "bucket_frames", "problem", "duration_s")
    assert [getattr(loaded, f) for f in fields] == [getattr(peaks, f) for f in fields]
    assert len(loaded.levels) == len(peaks.levels)
    for view in ((0.0, peaks.duration_s, 1), (0.0, 3.0, 400), (0.51, 0.6, 300), (2.0, 3.0, 64)):
        got, expected = loaded.columns(*view), peaks.columns(*view)
        np.testing.assert_array_equal(got.minimum, expected.minimum)
        np.testing.assert_array_equal(got.maximum, expected.maximum)
        np.testing.assert_allclose(got.rms, expected.rms, rtol=2**-11)  # RMS kept in float16


def test_rms_of_any_level_survives_within_float16_precision(tmp_path: Path) -> None:
    t_s = np.arange(RATE_HZ * 2) / RATE_HZ
    quiet = 1e-4 * np.sin(2 * np.pi * 440 * t_s)  # -80 dBFS: a squared float16 would underflow
    original = compute_peaks(write(tmp_path / "quiet.flac", quiet, RATE_HZ, subtype="PCM_24"))
    cache = PeaksCache(tmp_path / "peaks")
    cache.save(HASH, original)
    loaded = cache.load(HASH)
    assert loaded is not None and loaded.problem is None
    got, expected = loaded.columns(0.0, 2.0, 100), original.columns(0.0, 2.0, 100)
    np.testing.assert_allclose(got.rms, expected.rms, rtol=2**-10)
    np.testing.assert_allclose(got.maximum, expected.maximum, rtol=2**-10)


def test_a_new_save_replaces_the_old(tmp_path: Path, peaks: Peaks) -> None:
    cache, _path = saved(tmp_path, peaks)
    silence = write(tmp_path / "silence.wav", np.zeros((RATE_HZ, 1)), RATE_HZ, subtype="PCM_16")
    cache.save(HASH, compute_peaks(silence))
    loaded = cache.load(HASH)
    assert loaded is not None and (loaded.frames, loaded.channels) == (RATE_HZ, 1)


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, peaks: Peaks, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, path = saved(tmp_path, peaks)
    before = path.read_bytes()

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        cache.save(HASH, compute_peaks(write(tmp_path / "x.wav", np.ones((100, 1)), RATE_HZ)))
    assert path.read_bytes() == before and os.listdir(cache.folder) == [path.name]


def test_absent_entries_and_folders_read_as_none(tmp_path: Path) -> None:
    cache = PeaksCache(tmp_path / "never created")
    assert cache.load(HASH) is None and not cache.folder.exists()
    (tmp_path / "peaks" / f"{HASH}.peaks").mkdir(parents=True)
    assert PeaksCache(tmp_path / "peaks").load(HASH) is None


@pytest.mark.parametrize("key", ["", "../etc/passwd", "ABCDEF", "12ab.peaks", "a/b", "0x12", "é"])
def test_only_lower_case_hex_keys_name_a_file(tmp_path: Path, peaks: Peaks, key: str) -> None:
    cache = PeaksCache(tmp_path / "peaks")
    with pytest.raises(ValueError):
        cache.load(key)
    with pytest.raises(ValueError):
        cache.save(key, peaks)
    assert not cache.folder.exists()


def damaged_versions(good: bytes) -> dict[str, bytes]:
    """Bad cache files made from a good one."""
    body = good[:-16]
    magic, version, rate, channels, bucket, frames, problem = HEADER.unpack_from(body)
    fields = [magic, version, rate, channels, bucket, frames, problem]

    def header_with(index: int, value: object) -> bytes:
        changed = list(fields)
        changed[index] = value
        return resealed(HEADER.pack(*changed) + body[HEADER.size :])

    values_at = HEADER.size + problem
    flipped = bytearray(good)
    flipped[values_at + 10] ^= 0x40
    swapped = bytearray(body)  # the first bucket's minimum above its maximum
    buckets = (len(body) - values_at) // 6
    swapped[values_at : values_at + 2] = np.float16(0.5).tobytes()
    swapped[values_at + 2 * buckets : values_at + 2 * buckets + 2] = np.float16(-0.5).tobytes()
    return {
        "empty": b"",
        "random bytes": np.random.default_rng(1).bytes(len(good)),
        "cut in the header": good[:20],
        "cut in the values": good[: len(good) // 2],
        "one byte short": good[:-1],
        "one byte more": good + b"\0",
        "a bit flipped": bytes(flipped),
        "another version": header_with(1, FORMAT_VERSION + 1),
        "more frames than values": header_with(5, frames + 16 * 100),
        "fewer frames than values": header_with(5, frames - 16 * 100),
        "a bucket not a power of two": header_with(4, 48),
        "no channels": header_with(3, 0),
        "a problem longer than the file": header_with(6, 10**6),
        "minimum above maximum": resealed(bytes(swapped)),
        "a problem not UTF-8": resealed(
            HEADER.pack(*fields[:6], 2) + b"\xff\xfe" + body[HEADER.size + problem :]
        ),
    }


def test_every_damaged_file_reads_as_none_and_is_removed(tmp_path: Path, peaks: Peaks) -> None:
    good = encode(peaks)
    cache = PeaksCache(tmp_path / "peaks")
    cache.folder.mkdir()
    path = cache.folder / f"{HASH}.peaks"
    for name, data in damaged_versions(good).items():
        path.write_bytes(data)
        assert cache.load(HASH) is None, name
        assert not path.exists(), name
    path.write_bytes(good)  # the checks refuse nothing whole
    assert cache.load(HASH) is not None and path.exists()


def test_a_file_of_the_old_numpy_kind_is_refused(tmp_path: Path, peaks: Peaks) -> None:
    cache = PeaksCache(tmp_path / "peaks")
    cache.folder.mkdir()
    path = cache.folder / f"{HASH}.peaks"
    with open(path, "wb") as handle:
        np.savez(handle, minimum=peaks.levels[0].minimum, maximum=peaks.levels[0].maximum)
    assert cache.load(HASH) is None and not path.exists()


def test_the_header_layout_is_what_the_format_says(peaks: Peaks) -> None:
    data = encode(peaks)
    magic, version, rate, channels, bucket, frames, problem = HEADER.unpack_from(data)
    assert (magic, version, rate, channels, bucket, frames) == (
        b"PHPEAKS\0",
        1,
        RATE_HZ,
        2,
        16,
        20011,
    )
    buckets = -(-20011 // 16)
    assert len(data) == HEADER.size + problem + 3 * 2 * buckets + 16  # float16 values, digest
    assert data[HEADER.size : HEADER.size + problem].decode() == peaks.problem
