"""Finding the microphone: sounddevice imported lazily, input devices by name or number.

Everything that can be missing on a producer's machine (PortAudio itself, any input
device, the device named in the settings) raises `MicUnavailable` with a sentence to show.
"""

from __future__ import annotations

from typing import Any

NO_PORTAUDIO = "Recording needs PortAudio, which is not installed (e.g. apt install libportaudio2)"
NO_INPUT = "No microphone: no audio input device was found"


class MicUnavailable(Exception):
    """Recording cannot start; `str()` says why, for the user."""


def sounddevice_module() -> Any:
    """The sounddevice module; `MicUnavailable` when PortAudio is not installed."""
    try:
        import sounddevice
    except OSError as error:  # raised at import when libportaudio is missing
        raise MicUnavailable(NO_PORTAUDIO) from error
    return sounddevice


def _inputs(sd: Any) -> list[dict[str, Any]]:
    """Every device with at least one input channel (each dict has its `index`)."""
    try:
        devices = sd.query_devices()
    except sd.PortAudioError:
        return []
    return [device for device in devices if device["max_input_channels"] > 0]


def input_names() -> list[str]:
    """The names of the input devices (empty when there is none); `MicUnavailable` when
    PortAudio is not installed."""
    return [device["name"] for device in _inputs(sounddevice_module())]


def find_input(device: str | None) -> tuple[int, float]:
    """The index and default sample rate of the input `device`: None or "" for the default
    input, else a device number or part of its name (any case)."""
    sd = sounddevice_module()
    inputs = _inputs(sd)
    if not inputs:
        raise MicUnavailable(NO_INPUT)
    wanted = (device or "").strip()
    if not wanted:
        try:
            default = sd.query_devices(kind="input")
        except (sd.PortAudioError, ValueError):  # inputs exist but none is the default
            default = inputs[0]
        return default["index"], float(default["default_samplerate"])
    for candidate in inputs:
        if str(candidate["index"]) == wanted or wanted.lower() in candidate["name"].lower():
            return candidate["index"], float(candidate["default_samplerate"])
    names = ", ".join(f"{d['index']}: {d['name']}" for d in inputs)
    raise MicUnavailable(f'No microphone "{wanted}": the audio inputs are {names}')
