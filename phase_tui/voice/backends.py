"""The Whisper backends a memo can be transcribed with, behind one small protocol.

`make_backend` only builds the object: the backend's library (faster-whisper, or
openai-whisper with torch) is imported and its model read in `load`, so the app starts
without them and says what to install when they are missing (`TranscriberUnavailable`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from phase_tui.voice.transcript import Transcript

if TYPE_CHECKING:
    import numpy as np

BACKENDS = ("faster-whisper", "openai-whisper")


class TranscriberUnavailable(Exception):
    """The backend or its model is not installed; str() tells the user what to do."""


class Backend(Protocol):
    """A Whisper implementation holding (at most) one model in memory."""

    name: str
    model: str

    def load(self) -> None:
        """Read the model into memory (raises TranscriberUnavailable)."""

    def transcribe(self, audio: np.ndarray, language: str | None) -> Transcript:
        """Transcribe 16 kHz mono float32 audio; `language` None lets the model detect it."""

    def unload(self) -> None:
        """Let the model go and give its memory back."""


def make_backend(
    backend: str,
    model: str,
    *,
    models_dir: Path,
    compute_type: str = "int8",
    beam_size: int = 5,
) -> Backend:
    """The named backend for `model` (a model name or a path), not loaded yet."""
    if backend == "faster-whisper":
        from phase_tui.voice.faster_backend import FasterWhisperBackend

        return FasterWhisperBackend(
            model, models_dir=models_dir, compute_type=compute_type, beam_size=beam_size
        )
    if backend == "openai-whisper":
        from phase_tui.voice.openai_backend import OpenAIWhisperBackend

        return OpenAIWhisperBackend(model, models_dir=models_dir, beam_size=beam_size)
    raise TranscriberUnavailable(
        f"unknown Whisper backend {backend!r}: set [memo] backend to one of {', '.join(BACKENDS)}"
    )
