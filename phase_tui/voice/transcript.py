"""What a Whisper backend returns: timed segments of text, and how it was made.

`Transcript.to_record` gives plain JSON types for the Store (a memo's `transcript`
field); `from_record` reads one back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Segment:
    """A stretch of speech: from `start_s` to `end_s` seconds into the audio."""

    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class Transcript:
    """The segments of one transcription, its language, the backend and model that made
    it, how long the audio was and how long transcribing it took (seconds)."""

    segments: tuple[Segment, ...]
    language: str
    backend: str
    model: str
    audio_s: float
    took_s: float

    @property
    def text(self) -> str:
        """The segments' texts, stripped, joined with single spaces."""
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    def to_record(self) -> dict[str, Any]:
        """The transcript as plain JSON types."""
        return {
            "segments": [
                {"start_s": float(s.start_s), "end_s": float(s.end_s), "text": str(s.text)}
                for s in self.segments
            ],
            "language": str(self.language),
            "backend": str(self.backend),
            "model": str(self.model),
            "audio_s": float(self.audio_s),
            "took_s": float(self.took_s),
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Transcript:
        """A transcript from what `to_record` made."""
        return cls(
            segments=tuple(
                Segment(float(s["start_s"]), float(s["end_s"]), str(s["text"]))
                for s in record.get("segments", ())
            ),
            language=str(record.get("language") or ""),
            backend=str(record.get("backend") or ""),
            model=str(record.get("model") or ""),
            audio_s=float(record.get("audio_s") or 0.0),
            took_s=float(record.get("took_s") or 0.0),
        )
