"""The process the whisper bench measures: `python -m bench.whisper_child AUDIO MODELS_DIR`.

Loads the audio for Whisper (numpy, soundfile, the resampler) and imports faster-whisper,
reads its resident memory (VmRSS), loads tiny.en int8 through a `ModelHolder` (timed),
transcribes the file once to warm up and then again (timed), reads VmRSS with the model
loaded, unloads it and reads VmRSS again. Prints one JSON line: the times in seconds, the
RSS figures in KiB, the audio length and how many segments were heard.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import status_kib
from phase_tui.voice.backends import make_backend
from phase_tui.voice.model_holder import ModelHolder
from phase_tui.voice.whisper_audio import WHISPER_RATE_HZ, load_for_whisper


def measure(audio_path: Path, models_dir: Path) -> dict[str, Any]:
    import faster_whisper  # noqa: F401  (its import is not the model's memory)

    audio = load_for_whisper(audio_path)
    backend = make_backend("faster-whisper", "tiny.en", models_dir=models_dir)
    holder = ModelHolder(backend)
    before_kib = status_kib("VmRSS")
    started = time.perf_counter()
    holder.load()
    load_s = time.perf_counter() - started
    holder.transcribe(audio, "en")
    started = time.perf_counter()
    transcript = holder.transcribe(audio, "en")
    transcribe_s = time.perf_counter() - started
    loaded_kib = status_kib("VmRSS")
    holder.unload()
    after_kib = status_kib("VmRSS")
    return {
        "audio_s": len(audio) / WHISPER_RATE_HZ,
        "load_s": load_s,
        "transcribe_s": transcribe_s,
        "before_kib": before_kib,
        "loaded_kib": loaded_kib,
        "after_kib": after_kib,
        "segments": len(transcript.segments),
    }


if __name__ == "__main__":
    os.environ["HF_HUB_OFFLINE"] = "1"  # never reach the network for a model
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]))))
