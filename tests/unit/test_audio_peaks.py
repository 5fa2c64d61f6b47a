"""Waveform peaks: exact values from real files, every format, damaged files, the pyramid,
columns at every zoom against a brute-force reference, cancelling, memory and speed."""

from __future__ import annotations

import math
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from phase_tui.audio.errors import UnreadableAudio
from phase_tui.audio.peak_pyramid import BucketReducer
from phase_tui.audio.peaks import (
    PeakColumns,
    PeakLevel,
    Peaks,
    PeaksBuilder,
    PeaksCancelled,
    bucket_frames_for,
    compute_peaks,
)
from tests.unit.test_audio_files import RATE_HZ, cut, random_bytes, tone, write
from tests.unit.test_audio_probe import format_cases

LOSSY = {"OGG", "MP3"}
SMALL_RATE_HZ = 8000


def bursts(frames: int, channels: int, seed: int = 5) -> np.ndarray:
    """Noise whose level jumps every few hundred frames, so neighbouring columns differ."""
    rng = np.random.default_rng(seed)
    level = np.repeat(rng.uniform(0.05, 1.0, frames // 300 + 1), 300)[:frames]
    noise = rng.uniform(-1.0, 1.0, (frames, channels)) * level[:, np.newaxis]
    return noise.astype(np.float32)


def reference(
    samples: np.ndarray, peaks: Peaks, start_s: float, end_s: float, count: int
) -> PeakColumns:
    """The documented columns worked out from the samples, one column at a time: the level
    is the widest bucket not wider than a column; a column takes the buckets between its
    edges rounded to bucket boundaries, or (narrower than a bucket) the bucket its middle
    is in; outside the audio it is 0/0/0."""
    frames = len(samples)
    column = (end_s - start_s) * peaks.sample_rate_hz / count
    width = peaks.bucket_frames
    top_width = peaks.bucket_frames * 2 ** (len(peaks.levels) - 1)
    while width * 2 <= column and width * 2 <= top_width:
        width *= 2
    buckets = math.ceil(frames / width)
    out = np.zeros((3, count))
    for index in range(count):
        first_frame = start_s * peaks.sample_rate_hz + column * index
        end_frame = start_s * peaks.sample_rate_hz + column * (index + 1)
        if column >= width:
            low, high = round(first_frame / width), round(end_frame / width)
        else:
            low = math.floor((first_frame + column / 2) / width)
            high = low + 1
        if first_frame >= frames or end_frame <= 0 or low >= buckets or high <= 0:
            continue
        low = min(max(low, 0), buckets - 1)
        high = max(min(max(high, 1), buckets), low + 1)
        part = samples[low * width : min(high * width, frames)].astype(np.float64)
        out[:, index] = part.min(), part.max(), np.sqrt(np.mean(part**2))
    return PeakColumns(*out)


def assert_columns_match(got: PeakColumns, expected: PeakColumns) -> None:
    np.testing.assert_array_equal(got.minimum, expected.minimum)
    np.testing.assert_array_equal(got.maximum, expected.maximum)
    np.testing.assert_allclose(got.rms, expected.rms, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------- values from files
def test_silence_gives_zeros(tmp_path: Path) -> None:
    path = write(tmp_path / "silence.wav", np.zeros((RATE_HZ, 2)), subtype="PCM_16")
    peaks = compute_peaks(path)
    assert (peaks.frames, peaks.channels, peaks.duration_s, peaks.problem) == (
        RATE_HZ,
        2,
        1.0,
        None,
    )
    for count in (1, 37, 400, 20000):
        columns = peaks.columns(0.0, 1.0, count)
        for values in (columns.minimum, columns.maximum, columns.rms):
            assert values.dtype == np.float32 and len(values) == count
            assert not values.any()


def test_full_scale_square_wave_reaches_minus_one_and_one_exactly(tmp_path: Path) -> None:
    t_s = np.arange(RATE_HZ) / RATE_HZ
    square = np.where(np.sin(2 * np.pi * 100 * t_s) >= 0, 1.0, -1.0)
    peaks = compute_peaks(write(tmp_path / "square.wav", square, subtype="FLOAT"))
    columns = peaks.columns(0.0, 1.0, 50)  # 20 ms a column: two whole periods
    assert set(columns.minimum) == {-1.0} and set(columns.maximum) == {1.0}
    assert set(columns.rms) == {1.0}


def test_a_sine_fading_in_rises_and_is_exact_at_its_crests(tmp_path: Path) -> None:
    """64 Hz at 8,192 Hz: a crest every 128 frames, at frame 32 + 128 k, where the sine is
    1, and a trough at 96 + 128 k; the amplitude grows linearly from 0 to 1 over 4 s."""
    rate_hz = 8192
    t_s = np.arange(4 * rate_hz) / rate_hz
    fade = (t_s / 4.0) * np.sin(2 * np.pi * 64 * t_s)
    peaks = compute_peaks(write(tmp_path / "fade.wav", fade, rate_hz, subtype="FLOAT"))
    for count in (40, 100, 123):  # columns off bucket boundaries, each a period or more
        columns = peaks.columns(0.0, 4.0, count)
        assert np.all(np.diff(columns.maximum) >= 0) and np.all(np.diff(columns.minimum) <= 0)
        assert columns.maximum[-1] > 0.99
    columns = peaks.columns(0.0, 4.0, 32)  # 1,024 frames a column: 8 crests, 8 troughs
    last_crest = np.arange(32) * 1024 + 1024 - 96
    np.testing.assert_array_equal(columns.maximum, fade[last_crest].astype(np.float32))
    np.testing.assert_array_equal(columns.minimum, fade[last_crest + 64].astype(np.float32))
    assert columns.maximum[-1] == pytest.approx((4 * rate_hz - 96) / (4 * rate_hz), abs=1e-7)


def test_a_loud_middle_third_is_louder_in_its_columns(tmp_path: Path) -> None:
    signal = tone(3.0, SMALL_RATE_HZ, amplitude=1.0, freq_hz=100)[:, 0]
    signal *= np.repeat([0.1, 0.9, 0.1], SMALL_RATE_HZ)
    peaks = compute_peaks(write(tmp_path / "loud.flac", signal, SMALL_RATE_HZ))
    columns = peaks.columns(0.0, 3.0, 30)  # the columns beside the steps may straddle them
    quiet = np.r_[columns.rms[:9], columns.rms[21:]]
    assert columns.rms[11:19].min() > 8 * quiet.max()
    assert columns.maximum[11:19] == pytest.approx(np.full(8, 0.9), abs=1e-3)
    assert quiet == pytest.approx(np.full(18, 0.1 / math.sqrt(2)), rel=0.02)


def test_stereo_columns_take_the_extremes_over_both_channels(tmp_path: Path) -> None:
    frames = SMALL_RATE_HZ
    one_side = np.zeros((frames, 2))
    one_side[:, 1] = tone(1.0, SMALL_RATE_HZ, amplitude=0.75, freq_hz=100)[:, 0]
    columns = compute_peaks(
        write(tmp_path / "right.wav", one_side, SMALL_RATE_HZ, subtype="FLOAT")
    ).columns(0.0, 1.0, 10)
    assert np.all(columns.maximum == np.float32(0.75)) and np.all(columns.minimum == -0.75)
    np.testing.assert_allclose(columns.rms, 0.75 / 2, rtol=0.01)  # sine RMS over half the samples
    split = np.column_stack([np.full(frames, 0.25), np.full(frames, -0.5)])
    columns = compute_peaks(
        write(tmp_path / "split.wav", split, SMALL_RATE_HZ, subtype="FLOAT")
    ).columns(0.0, 1.0, 10)
    assert set(columns.maximum) == {0.25} and set(columns.minimum) == {-0.5}
    np.testing.assert_allclose(columns.rms, math.sqrt((0.25**2 + 0.5**2) / 2), rtol=1e-6)


@pytest.mark.parametrize(("suffix", "fmt", "subtype", "rate_hz", "channels"), format_cases())
def test_peaks_of_every_format_and_layout(
    tmp_path: Path, suffix: str, fmt: str, subtype: str, rate_hz: int, channels: int
) -> None:
    data = tone(0.5, rate_hz, channels)
    path = write(tmp_path / f"bounce.{suffix}", data, rate_hz, format=fmt, subtype=subtype)
    peaks = compute_peaks(path)
    assert (peaks.sample_rate_hz, peaks.channels, peaks.frames) == (rate_hz, channels, len(data))
    columns = peaks.columns(0.0, 0.5, 20)
    if fmt in LOSSY:  # the codec changes the samples a little
        assert np.all(np.abs(columns.maximum[1:-1] - 0.5) < 0.06)
        assert np.all(np.abs(columns.rms[1:-1] - 0.5 / math.sqrt(2)) < 0.06)
    else:
        decoded = sf.read(path, dtype="float32", always_2d=True)[0]
        assert_columns_match(columns, reference(decoded, peaks, 0.0, 0.5, 20))
        assert columns.maximum.max() == pytest.approx(0.5, abs=1e-4)


def test_a_truncated_wav_gives_the_peaks_of_what_is_there(tmp_path: Path) -> None:
    path = cut(write(tmp_path / "cut.wav", tone(1.0), subtype="PCM_16"), 44 + RATE_HZ)
    peaks = compute_peaks(path)
    assert peaks.frames == RATE_HZ // 2
    assert peaks.problem == "truncated: the header promises 1.0 s, the file holds 0.5 s"
    columns = peaks.columns(0.0, 1.0, 10)
    assert np.all(columns.maximum[:5] > 0.49) and not columns.maximum[5:].any()


def test_a_header_only_wav_has_no_peaks(tmp_path: Path) -> None:
    peaks = compute_peaks(write(tmp_path / "empty.wav", np.zeros((0, 1)), subtype="PCM_16"))
    assert (peaks.frames, peaks.duration_s, peaks.problem) == (0, 0.0, "no audio data")
    assert not peaks.columns(0.0, 1.0, 8).maximum.any()


def test_unreadable_files_raise_unreadable_audio(tmp_path: Path) -> None:
    for path in (random_bytes(tmp_path / "noise.flac"), tmp_path / "missing.wav"):
        with pytest.raises(UnreadableAudio):
            compute_peaks(path)


# ---------------------------------------------------------------------- columns at any zoom
@pytest.fixture(scope="module")
def noisy(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, Peaks]:
    """37,003 frames of stereo noise in bursts (a partial last bucket) and its peaks."""
    samples = bursts(37003, 2)
    path = tmp_path_factory.mktemp("noisy") / "bursts.wav"
    sf.write(path, samples, SMALL_RATE_HZ, subtype="FLOAT")
    return samples, compute_peaks(path)


@pytest.mark.parametrize(
    ("start_s", "end_s", "count"),
    [
        (0.0, 37003 / SMALL_RATE_HZ, 1),  # the whole file in one column
        (0.0, 37003 / SMALL_RATE_HZ, 7),
        (0.0, 37003 / SMALL_RATE_HZ, 400),
        (0.0, 37003 / SMALL_RATE_HZ, 1000),
        (0.0, 6.0, 333),  # past the end
        (-0.7, 2.3, 400),  # before 0
        (1.2345, 1.9876, 400),  # nothing aligned
        (4.55, 4.63, 200),  # 3.2 frames a column: narrower than a bucket
        (2.0, 2.001, 400),  # 0.02 frames a column
        (4.6, 4.7, 97),  # across the partial last bucket and the end
    ],
)
def test_columns_equal_a_brute_force_computation_from_the_samples(
    noisy: tuple[np.ndarray, Peaks], start_s: float, end_s: float, count: int
) -> None:
    samples, peaks = noisy
    assert_columns_match(
        peaks.columns(start_s, end_s, count), reference(samples, peaks, start_s, end_s, count)
    )


def test_columns_on_bucket_boundaries_are_exactly_their_frames(
    noisy: tuple[np.ndarray, Peaks],
) -> None:
    samples, peaks = noisy
    assert peaks.bucket_frames == 16
    for column_frames in (16, 64, 256, 4096):
        start, count = 4096, 30000 // column_frames
        columns = peaks.columns(
            start / SMALL_RATE_HZ, (start + column_frames * count) / SMALL_RATE_HZ, count
        )
        parts = samples[start : start + column_frames * count].reshape(count, -1)
        np.testing.assert_array_equal(columns.minimum, parts.min(axis=1))
        np.testing.assert_array_equal(columns.maximum, parts.max(axis=1))
        np.testing.assert_allclose(columns.rms, np.sqrt(np.mean(parts**2.0, axis=1)), rtol=1e-5)


def test_columns_narrower_than_a_bucket_each_take_the_bucket_they_fall_in() -> None:
    """Buckets of 16 frames at 1,000 Hz whose every sample is the bucket's number."""
    steps = np.repeat(np.arange(8, dtype=np.float32), 16)[:, np.newaxis]
    builder = PeaksBuilder(1000, 1, len(steps))
    builder.feed(steps)
    columns = builder.finish().columns(0.0, 0.128, 64)  # 2 frames a column: 8 in a bucket
    np.testing.assert_array_equal(columns.maximum, np.repeat(np.arange(8), 8))
    np.testing.assert_array_equal(columns.minimum, columns.maximum)


def test_columns_outside_the_audio_or_of_no_span_are_zero(noisy: tuple[np.ndarray, Peaks]) -> None:
    _samples, peaks = noisy
    duration_s = peaks.duration_s
    after = peaks.columns(duration_s - 1.0, duration_s + 1.0, 20)
    assert np.all(after.maximum[:10] > 0) and not after.maximum[10:].any()
    assert not after.rms[10:].any() and not after.minimum[10:].any()
    before = peaks.columns(-1.0, 1.0, 20)
    assert not before.maximum[:10].any() and np.all(before.maximum[10:] > 0)
    assert not peaks.columns(10.0, 12.0, 5).maximum.any()
    assert not peaks.columns(1.0, 1.0, 5).maximum.any()
    with pytest.raises(ValueError):
        peaks.columns(0.0, 1.0, 0)


def test_columns_are_fast_on_a_one_hour_pyramid() -> None:
    """One hour of stereo at 48 kHz: 675,000 buckets of 256 frames."""
    frames = 3600 * 48000
    bucket_frames = bucket_frames_for(frames)
    buckets = math.ceil(frames / bucket_frames)
    rng = np.random.default_rng(1)
    level = PeakLevel(
        bucket_frames,
        -rng.random(buckets, dtype=np.float32),
        rng.random(buckets, dtype=np.float32),
        rng.random(buckets, dtype=np.float32) * bucket_frames,
    )
    peaks = Peaks(48000, 2, frames, level)
    timings_s = []
    for index in range(60):
        start_s = index * 13.7
        started = time.perf_counter()
        peaks.columns(start_s, start_s + 600.0 / (index + 1), 400)
        timings_s.append(time.perf_counter() - started)
    assert np.median(timings_s) < 0.5e-3


# ---------------------------------------------------------------------- buckets and pyramid
def test_bucket_frames_follow_the_rule() -> None:
    assert bucket_frames_for(0) == bucket_frames_for(16 * 2**20) == 16
    assert bucket_frames_for(16 * 2**20 + 1) == 32
    assert bucket_frames_for(600 * 44100) == 32
    assert bucket_frames_for(3600 * 48000) == 256  # one hour at 48 kHz


def test_blocks_of_any_size_give_the_same_peaks_as_one_block() -> None:
    samples = bursts(10_000, 2, seed=9)
    whole = PeaksBuilder(SMALL_RATE_HZ, 2, len(samples))
    whole.feed(samples)
    pieces = PeaksBuilder(SMALL_RATE_HZ, 2, 4000)  # the header undercounts: arrays grow
    rng = np.random.default_rng(2)
    at = 0
    while at < len(samples):
        size = int(rng.choice([1, 7, 16, 33, 160, 1000]))
        pieces.feed(samples[at : at + size])
        at += size
    one, many = whole.finish("a problem"), pieces.finish()
    assert (one.frames, many.frames, one.problem, many.problem) == (
        10_000,
        10_000,
        "a problem",
        None,
    )
    for a, b in zip(one.levels, many.levels, strict=True):
        np.testing.assert_array_equal(a.minimum, b.minimum)
        np.testing.assert_array_equal(a.maximum, b.maximum)
        np.testing.assert_allclose(a.square_sum, b.square_sum, rtol=1e-5)


@pytest.mark.parametrize(
    ("bucket_frames", "channels"), [(16, 1), (16, 2), (32, 6), (128, 2), (256, 1), (1024, 2)]
)
def test_narrow_and_wide_buckets_reduce_to_the_plain_numpy_values(
    bucket_frames: int, channels: int
) -> None:
    """Rows under 256 samples are reduced transposed, wider ones directly: same values."""
    samples = bursts(bucket_frames * 40, channels, seed=bucket_frames)
    minimum, maximum, square_sum = BucketReducer().reduce(samples, bucket_frames)
    rows = samples.reshape(40, -1).astype(np.float64)
    np.testing.assert_array_equal(minimum, rows.min(axis=1))
    np.testing.assert_array_equal(maximum, rows.max(axis=1))
    np.testing.assert_allclose(square_sum, (rows**2).sum(axis=1), rtol=1e-5)


def test_each_level_halves_the_buckets_down_to_one(noisy: tuple[np.ndarray, Peaks]) -> None:
    samples, peaks = noisy
    assert [len(level) for level in peaks.levels][:3] == [2313, 1157, 579]
    assert len(peaks.levels[-1]) == 1
    for finer, coarser in zip(peaks.levels, peaks.levels[1:], strict=False):
        assert coarser.bucket_frames == 2 * finer.bucket_frames
        assert coarser.minimum[-1] == finer.minimum[2 * (len(coarser) - 1) :].min()
    top = peaks.levels[-1]
    assert (top.minimum[0], top.maximum[0]) == (samples.min(), samples.max())
    assert top.rms(peaks.frames, 2)[0] == pytest.approx(np.sqrt(np.mean(samples**2.0)), rel=1e-5)
    last = peaks.levels[0].rms(peaks.frames, 2)[-1]  # 37,003 = 2,312 x 16 + 11 frames
    assert last == pytest.approx(np.sqrt(np.mean(samples[-11:] ** 2.0)), rel=1e-5)


# ---------------------------------------------------------------------- progress, cancel, memory
def long_mono(path: Path, minutes: float, rate_hz: int = SMALL_RATE_HZ) -> Path:
    """A 16-bit mono WAV written 10 s at a time (the test itself stays small)."""
    ten_s = tone(10.0, rate_hz, amplitude=0.25, freq_hz=110).astype(np.float32)
    with sf.SoundFile(path, "w", rate_hz, 1, subtype="PCM_16") as out:
        for _ in range(round(minutes * 6)):
            out.write(ten_s)
    return path


def test_progress_rises_to_one_and_cancel_stops_early(tmp_path: Path) -> None:
    path = long_mono(tmp_path / "half minute.wav", 0.5)  # 240,000 frames: 4 blocks
    fractions: list[float] = []
    compute_peaks(path, fractions.append)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) >= 4
    asked: list[float] = []
    with pytest.raises(PeaksCancelled):
        compute_peaks(path, asked.append, cancelled=lambda: len(asked) >= 1)
    assert len(asked) == 1


def test_an_hour_is_computed_in_bounded_memory(tmp_path: Path) -> None:
    path = long_mono(tmp_path / "long.wav", 60.0)
    decoded_bytes = 60 * 60 * SMALL_RATE_HZ * 4  # float32: 115 MB
    compute_peaks(long_mono(tmp_path / "short.wav", 1 / 6))  # imports and first buffers done
    tracemalloc.start()
    try:
        peaks = compute_peaks(path)
        peak_bytes = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    kept_bytes = sum(
        a.nbytes for lv in peaks.levels for a in (lv.minimum, lv.maximum, lv.square_sum)
    )
    assert peaks.frames == 60 * 60 * SMALL_RATE_HZ
    assert peak_bytes < decoded_bytes / 4
    assert peak_bytes - kept_bytes < 4 * 2**20  # beyond the peaks themselves: a few buffers
