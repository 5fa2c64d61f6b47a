"""openai-whisper (PyTorch) on the CPU: the reference backend.

The checkpoint is loaded from a file only — an existing `.pt` path, `<models_dir>/<name>.pt`
or whisper's own download folder — and always by its full path, so `load_model` never
downloads. Audio goes in as a 16 kHz float32 array: given a path, whisper would run the
ffmpeg program.
"""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from phase_tui.voice.backends import TranscriberUnavailable
from phase_tui.voice.transcript import Segment, Transcript

if TYPE_CHECKING:
    import numpy as np

NAME = "openai-whisper"
SAMPLE_RATE_HZ = 16000
INSTALL = "make whisper (installs CPU torch, then pip install 'phase-os[whisper]')"


class OpenAIWhisperBackend:
    """An openai-whisper model, loaded on `load` and dropped on `unload`."""

    name = NAME

    def __init__(self, model: str, *, models_dir: Path, beam_size: int = 5) -> None:
        self.model = model
        self.models_dir = models_dir
        self.beam_size = beam_size
        self._whisper: Any = None

    def load(self) -> None:
        if self._whisper is not None:
            return
        try:
            import torch
            import whisper
        except ImportError as error:
            raise TranscriberUnavailable(
                f"the openai-whisper backend is not installed: {INSTALL}"
            ) from error
        checkpoint = resolve_checkpoint(self.model, self.models_dir)
        torch.set_num_threads(os.cpu_count() or 1)
        self._whisper = whisper.load_model(str(checkpoint), device="cpu")

    def transcribe(self, audio: np.ndarray, language: str | None) -> Transcript:
        import numpy

        self.load()
        import whisper

        started = time.perf_counter()
        result = whisper.transcribe(
            self._whisper,
            numpy.ascontiguousarray(audio, dtype=numpy.float32),
            verbose=None,
            language=language,
            fp16=False,
            condition_on_previous_text=False,
            beam_size=self.beam_size,
        )
        segments = tuple(
            Segment(float(s["start"]), float(s["end"]), str(s["text"])) for s in result["segments"]
        )
        return Transcript(
            segments=segments,
            language=str(result.get("language") or language or ""),
            backend=NAME,
            model=self.model,
            audio_s=len(audio) / SAMPLE_RATE_HZ,
            took_s=time.perf_counter() - started,
        )

    def unload(self) -> None:
        self._whisper = None
        gc.collect()


def resolve_checkpoint(model: str, models_dir: Path) -> Path:
    """The `.pt` file of `model` (a name or a path) on this disk."""
    default_root = Path(os.getenv("XDG_CACHE_HOME", Path.home() / ".cache")) / "whisper"
    for candidate in (
        Path(model).expanduser(),
        models_dir / f"{model}.pt",
        default_root / f"{model}.pt",
    ):
        if candidate.suffix == ".pt" and candidate.is_file():
            return candidate
    raise TranscriberUnavailable(
        f"the Whisper model {model!r} is not on disk: put its checkpoint at "
        f"{models_dir / f'{model}.pt'} or {default_root / f'{model}.pt'}, "
        "or set [memo] model to the path of a .pt file"
    )
