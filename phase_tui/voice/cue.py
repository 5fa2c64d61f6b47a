"""Short audible cues for memo recording: a soft sine blip when it starts, stops, is done.

Each cue plays on an output stream of its own (never sounddevice's shared `play` stream),
so it can sound while the microphone records. Without PortAudio or an output device the
cue is simply skipped.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import numpy as np

from phase_tui.voice.microphone import MicUnavailable, sounddevice_module

CUE_HZ = {"start": 880.0, "stop": 660.0, "done": 1320.0}
DURATION_S = 0.1
FADE_S = 0.015
GAIN = 0.2


def blip(frequency_hz: float, sample_rate: int) -> np.ndarray:
    """DURATION_S of a sine at `frequency_hz`, faded in and out (float32, one channel)."""
    frames = round(DURATION_S * sample_rate)
    t = np.arange(frames) / sample_rate
    fade = np.clip(np.minimum(t, DURATION_S - t) / FADE_S, 0.0, 1.0)
    envelope = 0.5 - 0.5 * np.cos(np.pi * fade)
    return (GAIN * envelope * np.sin(2 * np.pi * frequency_hz * t)).astype(np.float32)


def play_cue(kind: str) -> bool:
    """Start the cue `kind` ("start", "stop", "done") and return at once; False when there
    is nothing to play it through."""
    try:
        sd = sounddevice_module()
    except MicUnavailable:
        return False
    try:
        rate = round(sd.query_devices(kind="output")["default_samplerate"])
        stream = sd.OutputStream(samplerate=rate, channels=1, dtype="float32")
        stream.start()
    except (sd.PortAudioError, ValueError):
        return False
    sound = blip(CUE_HZ[kind], rate)
    threading.Thread(
        target=_play_out, args=(stream, sound, sd.PortAudioError), name="memo-cue", daemon=True
    ).start()
    return True


def _play_out(stream: Any, sound: np.ndarray, error: type[Exception]) -> None:
    """The cue's thread: write the sound, let it play out, close the stream."""
    try:
        with contextlib.suppress(error):
            stream.write(sound)
            stream.stop()
    finally:
        stream.close()
