"""`LoudnessMeter`: BS.1770-4 coefficients, calibration, gating, streaming, channel weights;
the block filter against scipy's `sosfilt`."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import sosfilt, sosfreqz

from phase_tui.audio.biquads import BiquadCascade, block_matrices
from phase_tui.audio.kweighting import k_weighting_sos
from phase_tui.audio.loudness import LoudnessMeter, channel_weights
from tests.unit.test_audio_files import tone

STANDARD_48K_SOS = [  # ITU-R BS.1770-4, tables 1 and 2: b0 b1 b2 a0 a1 a2
    [1.53512485958697, -2.69169618940638, 1.19839281085285,
     1.0, -1.69065929318241, 0.73248077421585],
    [1.0, -2.0, 1.0, 1.0, -1.99004745483398, 0.99007225036621],
]  # fmt: skip


def measure(data: np.ndarray, rate_hz: int, block_frames: int | None = None) -> float | None:
    meter = LoudnessMeter(rate_hz, data.shape[1])
    step = block_frames or len(data)
    for start in range(0, len(data), step):
        meter.feed(data[start : start + step])
    return meter.integrated()


def test_k_weighting_reproduces_the_standard_table_at_48k() -> None:
    assert np.allclose(k_weighting_sos(48000), STANDARD_48K_SOS, rtol=0, atol=1e-12)


@pytest.mark.parametrize("rate_hz", [11025, 22050, 44100, 96000])
def test_k_weighting_keeps_its_response_at_other_rates(rate_hz: int) -> None:
    """High pass below 38 Hz (-6 dB there), about +0.7 dB at 1 kHz, +4 dB shelf above."""
    freqs_hz = np.array([38.0, 100.0, 1000.0, 4000.0])
    _, response = sosfreqz(k_weighting_sos(rate_hz), worN=freqs_hz, fs=rate_hz)
    gain_db = 20 * np.log10(np.abs(response))
    assert gain_db[:3] == pytest.approx([-6.0, -1.13, 0.7], abs=0.15)
    assert gain_db[3] == pytest.approx(4.0, abs=0.2)  # bilinear warping near Nyquist at 11 kHz


def test_full_scale_997_hz_sine_reads_minus_3_01_in_one_channel() -> None:
    """The standard's calibration: a 0 dBFS 997 Hz sine in L, R or C reads -3.01 LUFS."""
    sine = tone(5.0, 48000, 1, amplitude=1.0, freq_hz=997)
    assert measure(sine, 48000) == pytest.approx(-3.01, abs=0.01)
    left_only = np.hstack([sine, np.zeros_like(sine)])
    assert measure(left_only, 48000) == pytest.approx(-3.01, abs=0.01)
    both = np.hstack([sine, sine])  # two channels of it carry twice the power: +3.01 LU
    assert measure(both, 48000) == pytest.approx(0.0, abs=0.01)


@pytest.mark.parametrize("rate_hz", [44100, 48000])
def test_matches_pyloudnorm_on_a_gated_programme(rate_hz: int) -> None:
    """Loud, then very quiet (relative gate), then silent (absolute gate)."""
    rng = np.random.default_rng(11)
    loud = 0.3 * rng.standard_normal((3 * rate_hz, 2))
    quiet = 0.003 * rng.standard_normal((2 * rate_hz, 2))
    data = np.vstack([loud, quiet, np.zeros((2 * rate_hz, 2))])
    expected = pyloudnorm.Meter(rate_hz).integrated_loudness(data)
    assert measure(data, rate_hz) == pytest.approx(expected, abs=0.1)
    loud_only = measure(loud, rate_hz)
    assert loud_only is not None
    # ungated, 4 s of near silence after 3 s would pull it down by 3.7 dB; gated, only the
    # few 400 ms blocks that straddle the change count
    assert measure(data, rate_hz) == pytest.approx(loud_only, abs=0.3)


def test_block_size_does_not_change_the_result() -> None:
    data = tone(1.0, 11025, 2, amplitude=0.1, freq_hz=300)  # 1102.5 frames per 100 ms
    whole = measure(data, 11025)
    assert whole is not None
    for block_frames in (3, 7, 1000, 4410):
        assert measure(data, 11025, block_frames) == pytest.approx(whole, abs=1e-5)


def test_mono_blocks_may_be_one_dimensional() -> None:
    data = tone(1.0, 48000, 1, amplitude=0.1)
    meter = LoudnessMeter(48000, 1)
    meter.feed(data[:, 0])
    assert meter.integrated() == pytest.approx(measure(data, 48000), abs=1e-12)


def test_no_loudness_below_400_ms_or_for_silence() -> None:
    assert measure(tone(0.399, 48000, 2), 48000) is None
    assert measure(tone(0.4, 48000, 2), 48000) is not None
    assert measure(np.zeros((48000, 2)), 48000) is None
    assert measure(tone(1.0, 48000, 1, amplitude=1e-5), 48000) is None  # below -70 LUFS


def test_channel_weights() -> None:
    assert channel_weights(1).tolist() == [1.0]
    assert channel_weights(3).tolist() == [1.0, 1.0, 1.0]
    assert channel_weights(5).tolist() == [1.0, 1.0, 1.0, 1.41, 1.41]
    assert channel_weights(6).tolist() == [1.0, 1.0, 1.0, 0.0, 1.41, 1.41]  # 5.1: no LFE


def test_five_channels_match_pyloudnorm() -> None:
    rng = np.random.default_rng(5)
    data = 0.1 * rng.standard_normal((3 * 48000, 5)) * np.array([1.0, 0.8, 0.5, 0.3, 0.2])
    expected = pyloudnorm.Meter(48000).integrated_loudness(data)
    assert measure(data, 48000) == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize("rate_hz", [11025, 44100, 48000, 96000])
@pytest.mark.parametrize("channels", [1, 2, 6])
@pytest.mark.parametrize(("dtype", "tolerance"), [(np.float64, 1e-10), (np.float32, 1e-3)])
def test_block_filter_equals_sosfilt_whatever_the_block_sizes(
    rate_hz: int, channels: int, dtype: type, tolerance: float
) -> None:
    """Exact in float64; in float32 (the meter's) within -60 dB of full scale."""
    rng = np.random.default_rng(rate_hz + channels)
    samples = 0.5 * rng.standard_normal((channels, 70_001))
    sos = k_weighting_sos(rate_hz)
    expected = sosfilt(sos, samples, axis=1)
    for sizes in ([70_001], [1, 31, 32, 33, 4097], [65_536, 3]):
        cascade = BiquadCascade(block_matrices(sos, dtype=dtype), channels)
        got, start, turn = [], 0, 0
        while start < samples.shape[1]:
            stop = start + sizes[turn % len(sizes)]
            got.append(cascade.filter(samples[:, start:stop].astype(dtype)))
            start, turn = stop, turn + 1
        assert np.max(np.abs(np.hstack(got) - expected)) < tolerance


def test_block_filter_continues_from_a_given_state_like_sosfilt() -> None:
    sos = k_weighting_sos(48000)
    # deep levels on a short signal
    matrices = block_matrices(sos, row_frames=8, group_rows=4, dtype=np.float64)
    samples = np.random.default_rng(2).standard_normal((2, 10_000))
    cascade = BiquadCascade(matrices, 2)
    first = cascade.filter(samples[:, :5_000])
    expected, state = sosfilt(sos, samples[:, :5_000], axis=1, zi=np.zeros((2, 2, 2)))
    assert np.max(np.abs(first - expected)) < 1e-10
    second = cascade.filter(samples[:, 5_000:])
    assert np.max(np.abs(second - sosfilt(sos, samples[:, 5_000:], axis=1, zi=state)[0])) < 1e-10
