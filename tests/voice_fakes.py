"""A stand-in for the microphone in tests of the memo service and the app: it "records" a
known speech file (copied into the memo's WAV at stop), at a steady level. The real
microphone path (sounddevice through an ALSA virtual device) is tested in
`tests/unit/test_voice_capture.py` and the tmux smoke test."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import soundfile as sf

from phase_tui.voice.microphone import MicUnavailable
from phase_tui.voice.recorder import RecordedMemo

SPEECH = Path(__file__).resolve().parent / "fixtures" / "speech" / "tag_dark.flac"


class SpeechRecorder:
    """Records `speech` (any soundfile format; written as 16-bit WAV) instead of a mic."""

    speech = SPEECH
    level = -12.0

    def __init__(self, **settings: Any) -> None:
        self.settings = settings
        self.path: Path | None = None
        self.started = 0.0

    def start(self, path: Path) -> None:
        self.path, self.started = path, time.monotonic()
        path.write_bytes(b"")  # the file exists while recording, as the real one's does

    def stop(self) -> RecordedMemo:
        assert self.path is not None
        audio, rate = sf.read(self.speech, dtype="int16")
        sf.write(self.path, audio, rate, subtype="PCM_16", format="WAV")
        path, self.path = self.path, None
        return RecordedMemo(path, len(audio), rate, 1)

    @property
    def recording(self) -> bool:
        return self.path is not None

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    @property
    def level_db(self) -> float:
        return self.level


class NoMicrophone(SpeechRecorder):
    """A machine without an input device."""

    def start(self, path: Path) -> None:
        raise MicUnavailable("No microphone: no audio input device was found")


def copy_speech(target: Path) -> Path:
    """The speech fixture as a WAV at `target`."""
    audio, rate = sf.read(SPEECH, dtype="int16")
    sf.write(target, audio, rate, subtype="PCM_16")
    return target


def tiny_checkpoint(path: Path) -> Path:
    """A random openai-whisper checkpoint with very small dimensions (english-only)."""
    import torch  # the test extras install openai-whisper and CPU torch
    import whisper.model as whisper_model

    torch.manual_seed(0)
    dims = whisper_model.ModelDimensions(
        n_mels=80,
        n_audio_ctx=1500,
        n_audio_state=64,
        n_audio_head=2,
        n_audio_layer=1,
        n_vocab=51864,
        n_text_ctx=448,
        n_text_state=64,
        n_text_head=2,
        n_text_layer=1,
    )
    model = whisper_model.Whisper(dims)
    with torch.no_grad():  # some parameters start as torch.empty: uninitialised memory
        for parameter in model.parameters():
            parameter.normal_(0.0, 0.02)
    torch.save({"dims": dims.__dict__, "model_state_dict": model.state_dict()}, path)
    return path
