"""A sample's sound as a short vector of numbers, for finding similar samples; numpy only.

The file is decoded through `AudioStream` (so damaged and header-lying files are read as
the rest of the app reads them) and only its first `max_seconds` are analysed, mixed to
mono. The spectrum is taken frame by frame in chunks, so memory stays bounded by that
excerpt: a 2 s one-shot costs a few milliseconds. Every feature is finite, silence and a
one-sample file included. Bpm and key hints from file names are in `name_hints`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from phase_tui.audio.levels import LevelMeter
from phase_tui.audio.stream import AudioStream

BAND_EDGES_HZ = (60.0, 150.0, 400.0, 1000.0, 2500.0, 6000.0, 12000.0)  # 8 bands up to Nyquist
FEATURE_NAMES: tuple[str, ...] = (
    "band_sub_db",  # each band's share of the energy, in dB (floored at FLOOR_DB)
    "band_bass_db",
    "band_low_mid_db",
    "band_mid_db",
    "band_high_mid_db",
    "band_presence_db",
    "band_brilliance_db",
    "band_air_db",
    "centroid_log_hz",  # log10 of the mean spectral centroid of the audible frames
    "rolloff_log_hz",  # log10 of the mean frequency below which 85 % of the energy lies
    "flatness",  # mean spectral flatness (0 tonal .. 1 noise) of the audible frames
    "loudness_db",  # RMS of the mono excerpt in dBFS (floored at SILENCE_DB)
    "crest_db",  # peak over RMS
    "log_duration_s",  # log10 of the file's whole duration
    "onset_rate_log_hz",  # log1p of the onsets (spectral-flux peaks) per second
    "zero_crossing_rate",  # sign changes per sample
    "attack_log_s",  # log10 of the time to the loudest frame
)
FLOOR_DB = -80.0
SILENCE_DB = -120.0
AUDIBLE_DB = -50.0  # frames this far below the loudest one do not count in the means
ROLLOFF_SHARE = 0.85
FRAME_S = 0.046  # analysis frame length; the hop is a quarter of it
CHUNK_FRAMES = 64  # frames transformed at once: spectra stay in cache (256: 3x slower)
ONSET_SPACING_S = 0.05  # two onsets closer than this count as one
ONSET_FLUX = 0.3  # share of new magnitude that makes an onset (a kick's pitch drop: 0.23)
READ_BLOCK_FRAMES = 1 << 16
TINY = 1e-12

BPM_RANGE = (40.0, 300.0)
_BPM = re.compile(
    r"(?<![\d.])(\d{2,3}(?:\.\d+)?)[ _-]?bpm(?![a-z])"  # 124bpm, 174 BPM
    r"|(?<![a-z])bpm[ _-]?(\d{2,3}(?:\.\d+)?)(?![\d.])",  # BPM_90
    re.IGNORECASE,
)
_TOKEN_SPLIT = re.compile(r"[\s_\-.,+()\[\]{}]+")
_KEY = re.compile(r"^([A-G])([#b♯♭]?)(m|min|minor|maj|major)?$")
_MODE_WORDS = {"m": "minor", "min": "minor", "minor": "minor", "maj": "major", "major": "major"}
# A bare capital A-G after these, or in a drum's name, is a variant letter, not a key.
_VARIANT_WORDS = {
    "take", "side", "version", "ver", "var", "variation", "part", "pt", "mix", "section",
    "alt", "group", "kit", "layer", "round", "vol", "no", "type", "grade", "plan", "option",
}  # fmt: skip
_DRUM_WORDS = {
    "kick", "kicks", "snare", "snares", "clap", "claps", "hat", "hats", "hihat", "hihats",
    "hh", "oh", "ch", "cymbal", "crash", "ride", "tom", "toms", "perc", "percussion",
    "shaker", "rim", "rimshot", "snap", "drum", "drums", "fill", "break", "top", "tops",
}  # fmt: skip


@dataclass(frozen=True)
class SampleAnalysis:
    """The header facts and features of one sample (levels of the analysed excerpt)."""

    duration_s: float
    sample_rate_hz: int
    channels: int
    format: str
    subtype: str
    peak_dbfs: float | None  # None for digital silence
    rms_dbfs: float | None
    onset_rate_hz: float
    features: np.ndarray  # float32, one value per FEATURE_NAMES


@dataclass(frozen=True)
class _Spectral:
    """What the frame-by-frame pass measures."""

    band_energy: np.ndarray  # (bands,) summed power
    centroid_hz: float
    rolloff_hz: float
    flatness: float
    onset_frames: int
    loudest_frame: int


def analyse_sample(path: Path, max_seconds: float = 30.0) -> SampleAnalysis:
    """Decode the first `max_seconds` of `path` and measure it; raises `UnreadableAudio`."""
    with AudioStream(path) as stream:
        header = stream.header
        levels = LevelMeter()
        mono = _read_mono(stream, levels, max(1, int(max_seconds * header.sample_rate_hz)))
    rate_hz = header.sample_rate_hz
    spectral = _spectral(mono, rate_hz)
    excerpt_s = max(len(mono), 1) / rate_hz
    onset_rate_hz = spectral.onset_frames / excerpt_s
    hop = _frame_length(rate_hz) // 4
    rms = math.sqrt(float(np.dot(mono, mono)) / len(mono)) if len(mono) else 0.0
    peak = float(np.abs(mono).max()) if len(mono) else 0.0
    loudness_db = _db(rms, SILENCE_DB)
    total = float(spectral.band_energy.sum())
    shares = spectral.band_energy / total if total > 0 else np.zeros_like(spectral.band_energy)
    features = [
        *(_db_power(float(share)) for share in shares),
        math.log10(spectral.centroid_hz + 1.0),
        math.log10(spectral.rolloff_hz + 1.0),
        spectral.flatness,
        loudness_db,
        _db(peak, SILENCE_DB) - loudness_db if rms > 0 else 0.0,
        math.log10(header.duration_s + 0.001),
        math.log1p(onset_rate_hz),
        _zero_crossing_rate(mono),
        math.log10(spectral.loudest_frame * hop / rate_hz + 0.001),
    ]
    return SampleAnalysis(
        duration_s=header.duration_s,
        sample_rate_hz=rate_hz,
        channels=header.channels,
        format=header.format,
        subtype=header.subtype,
        peak_dbfs=levels.peak_dbfs(),
        rms_dbfs=levels.rms_dbfs(),
        onset_rate_hz=onset_rate_hz,
        features=np.asarray(features, dtype=np.float32),
    )


def _read_mono(stream: AudioStream, levels: LevelMeter, max_frames: int) -> np.ndarray:
    """The first `max_frames` mixed to mono float32; `levels` measures the same frames."""
    wanted = min(max_frames, stream.header.frames) or max_frames  # header may say 0 (MP3)
    mono = np.empty(wanted, dtype=np.float32)
    buffer = stream.new_buffer(min(READ_BLOCK_FRAMES, max_frames))
    filled = 0
    while filled < max_frames and (got := stream.read_into(buffer)):
        block = buffer[: min(got, max_frames - filled)]
        np.nan_to_num(block, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)  # float files
        levels.feed(block)
        if filled + len(block) > len(mono):
            mono = np.concatenate([mono[:filled], np.empty(len(block) + filled, np.float32)])
        np.mean(block, axis=1, out=mono[filled : filled + len(block)])
        filled += len(block)
    return mono[:filled]


def _spectral(mono: np.ndarray, rate_hz: int) -> _Spectral:
    """Band energies, mean centroid/rolloff/flatness and onsets, a chunk of frames at a time."""
    length = _frame_length(rate_hz)
    hop = length // 4
    padded = np.zeros(max(len(mono), length), dtype=np.float32)
    padded[: len(mono)] = mono
    frames = np.lib.stride_tricks.sliding_window_view(padded, length)[::hop]
    window = np.hanning(length).astype(np.float32)
    freqs = np.fft.rfftfreq(length, 1.0 / rate_hz).astype(np.float32)
    bands = _band_matrix(freqs)
    band_energy = np.zeros(bands.shape[1], dtype=np.float64)
    previous = np.zeros(len(freqs), dtype=np.float32)
    per_frame: list[np.ndarray] = []  # chunks of (energy, centroid, rolloff, flatness, flux)
    for start in range(0, len(frames), CHUNK_FRAMES):
        magnitude = np.abs(np.fft.rfft(frames[start : start + CHUNK_FRAMES] * window, axis=1))
        power = magnitude * magnitude
        band_energy += (power @ bands).sum(axis=0, dtype=np.float64)
        per_frame.append(np.stack([*_shape(power, freqs), _flux(magnitude, previous)]))
        previous = magnitude[-1]
    energy, centroid, rolloff, flatness, flux = np.concatenate(per_frame, axis=1)
    audible = energy > energy.max() * 10 ** (AUDIBLE_DB / 10)
    spacing = max(1, round(ONSET_SPACING_S * rate_hz / hop))
    return _Spectral(
        band_energy=band_energy,
        centroid_hz=_mean_of(centroid, audible),
        rolloff_hz=_mean_of(rolloff, audible),
        flatness=_mean_of(flatness, audible),
        onset_frames=_count_onsets(flux, audible, spacing),
        loudest_frame=int(np.argmax(energy)),
    )


def _shape(power: np.ndarray, freqs: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per frame of (frames, bins) power: energy, centroid, 85 % rolloff (Hz), flatness."""
    energy = power.sum(axis=1)
    centroid = power @ freqs / np.maximum(energy, TINY)
    below = (np.cumsum(power, axis=1) < ROLLOFF_SHARE * energy[:, None]).sum(axis=1)
    rolloff = freqs[np.minimum(below, len(freqs) - 1)]
    geometric = np.exp(np.mean(np.log(power + TINY), axis=1))
    flatness = geometric / (power.mean(axis=1) + TINY)
    return energy, centroid, rolloff, flatness


def _band_matrix(freqs: np.ndarray) -> np.ndarray:
    """(bins, bands) of 0/1: which band each frequency bin belongs to."""
    band_of_bin = np.searchsorted(np.asarray(BAND_EDGES_HZ, np.float32), freqs, side="right")
    bands = np.zeros((len(freqs), len(BAND_EDGES_HZ) + 1), dtype=np.float32)
    bands[np.arange(len(freqs)), band_of_bin] = 1.0
    return bands


def _flux(magnitude: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """Per frame, the magnitude gained since the frame before, over both frames' magnitude:
    0 for a steady sound, 1 for a sound out of silence (a level-independent spectral flux)."""
    before = np.concatenate([previous[None, :], magnitude[:-1]])
    gained = np.maximum(magnitude - before, 0.0).sum(axis=1)
    return gained / (magnitude.sum(axis=1) + before.sum(axis=1) + TINY)


def _count_onsets(flux: np.ndarray, audible: np.ndarray, spacing: int) -> int:
    """Audible frames whose flux passes ONSET_FLUX and is the largest within `spacing`."""
    padded = np.pad(flux, spacing, constant_values=-1.0)
    local_max = np.lib.stride_tricks.sliding_window_view(padded, 2 * spacing + 1).max(axis=1)
    rising = np.concatenate([[True], flux[1:] != flux[:-1]])  # a flat top counts once
    return int(np.count_nonzero((flux >= local_max) & (flux > ONSET_FLUX) & audible & rising))


def _mean_of(values: np.ndarray, audible: np.ndarray) -> float:
    return float(values[audible].mean()) if audible.any() else 0.0


def _zero_crossing_rate(mono: np.ndarray) -> float:
    if len(mono) < 2:
        return 0.0
    return float(np.count_nonzero(np.signbit(mono[1:]) != np.signbit(mono[:-1]))) / (len(mono) - 1)


def _frame_length(rate_hz: int) -> int:
    """The power of two nearest FRAME_S seconds (2048 at 44.1 and 48 kHz), at least 64."""
    return max(64, 2 ** round(math.log2(FRAME_S * rate_hz)))


def _db(amplitude: float, floor: float) -> float:
    return max(floor, 20.0 * math.log10(amplitude)) if amplitude > 0 else floor


def _db_power(share: float) -> float:
    return max(FLOOR_DB, 10.0 * math.log10(share)) if share > 0 else FLOOR_DB


def name_hints(name: str) -> tuple[float | None, str | None]:
    """The bpm and key a file name states, e.g. "loop_124bpm_Am.wav" -> (124.0, "A minor").

    A bpm needs the word: "124bpm", "174 BPM", "bpm_90"; a bare "_128_" is no bpm. A key is
    a capital A-G token with an optional sharp or flat and mode ("F", "Eb", "C#m", "F#min",
    "Bbmaj", "A minor"); a bare letter after a variant word ("Take A") or in a drum's name
    ("Clap B") is not, nor a plain "Am" or "E" opening a longer name. The last key wins.
    """
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return _bpm(stem), _key(stem)


def _bpm(stem: str) -> float | None:
    for match in _BPM.finditer(stem):
        value = float(match.group(1) or match.group(2))
        if BPM_RANGE[0] <= value <= BPM_RANGE[1]:
            return value
    return None


def _key(stem: str) -> str | None:
    tokens = [token for token in _TOKEN_SPLIT.split(stem) if token]
    drums = any(token.lower() in _DRUM_WORDS for token in tokens)
    found = None
    for index, token in enumerate(tokens):
        match = _KEY.match(token)
        if match is None:
            continue
        letter, accidental, mode = match.groups()
        following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
        if mode is None and following in ("minor", "major", "min", "maj"):
            mode = following
        previous = tokens[index - 1].lower() if index else ""
        if not (accidental or mode) and (drums or previous in _VARIANT_WORDS):
            continue
        if index == 0 and len(tokens) > 1 and not (accidental or len(mode or "") > 1):
            continue  # a title's first word: "Am I Dreaming", "E Motion"
        accidental = {"♯": "#", "♭": "b"}.get(accidental, accidental)
        found = f"{letter}{accidental} {_MODE_WORDS[mode or 'maj']}"
    return found
