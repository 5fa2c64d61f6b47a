"""Memo capture through real PortAudio streams on ALSA's `file` device (no sound card).

Each sounddevice case runs in a subprocess whose HOME holds an `.asoundrc` (ALSA reads it
when PortAudio starts): a virtual microphone reading MIC.raw and a virtual speaker writing
PLAYED.raw, or devices that do not exist.

What ALSA's `file` plugin does (alsa-lib 1.2.8, found by experiment):
- Its `null` slave has no clock, so capture runs as fast as the CPU allows (tens of
  millions of frames a second from a regular file), not in real time.
- It reads `infile` as raw bytes in the slave's format (here S16_LE, mono, 16 kHz, set
  on the `plug`), one read() of exactly one ALSA period per block: 1600 bytes for the
  recorder's 800-frame (50 ms) blocks.
- When a read comes up short (the end of a regular MIC.raw, or a pipe holding less than a
  period) it does not wait: the rest of the block is stale data left in the ring buffer,
  and capture carries on untimed with that garbage; it never stops or reports an error.
So MIC.raw here is a FIFO, and a feeder thread of the test plays the virtual microphone:
it writes the signal one whole period at a time, and only when the pipe is empty, every
50 ms. Capture then runs in real time, every read is whole, and the recording starts at
the signal's first sample (nothing reads the pipe before the stream starts: PortAudio's
device probe opens it but does not read). The feeder holds the FIFO open for reading and
writing, so opening it never blocks and the plugin never sees an end of file.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from phase_tui.audio.errors import UnreadableAudio
from phase_tui.voice.wav_repair import repair_wav
from tests.virtual_mic import virtual_devices

REPO_ROOT = Path(__file__).resolve().parents[2]
RATE = 16000
TONE_AMPLITUDE = 0.25
TONE_DB = 20 * np.log10(TONE_AMPLITUDE)

NO_DEVICE = """\
pcm.!default { type hw; card 42 }
ctl.!default { type hw; card 42 }
"""

CHILD = """
import json, sys, time
from pathlib import Path
from phase_tui.voice.cue import play_cue
from phase_tui.voice.microphone import MicUnavailable, find_input
from phase_tui.voice.recorder import MemoRecorder

args = json.loads(sys.argv[1])
path = Path(args["path"])
out = {}
if args.get("wrong_device"):
    try:
        MemoRecorder(device="no such mic").start(path)
    except MicUnavailable as error:
        out["wrong_device"] = str(error)
    out["virtual"] = find_input("VIRTUAL")[0]
silences = []
recorder = MemoRecorder(
    silence_stop_s=args.get("silence_stop_s", 0.0),
    on_silence=lambda: silences.append(recorder.elapsed_s),
)
try:
    recorder.start(path)
except MicUnavailable as error:
    out.update(error=str(error), cue=play_cue("start"))
    print(json.dumps(out))
    sys.exit(0)
out["cue"] = play_cue("start")
levels = []
started = time.monotonic()
while time.monotonic() - started < args["seconds"]:
    time.sleep(0.1)
    levels.append(recorder.level_db)
if args.get("then_hang"):
    print("recording", recorder.elapsed_s, flush=True)
    time.sleep(60)
taken = recorder.stop()
out.update(frames=taken.frames, rate=taken.sample_rate, channels=taken.channels,
           duration_s=taken.duration_s, first_audio_s=recorder.first_audio_s,
           levels=levels, silences=silences, recording=recorder.recording)
print(json.dumps(out))
"""


def tone_then(seconds: float, silence_s: float = 0.0) -> np.ndarray:
    """A 440 Hz tone at TONE_AMPLITUDE with a little fixed noise (so every position of it
    is unique), then `silence_s` of digital silence; int16."""
    t = np.arange(round(seconds * RATE)) / RATE
    noise = np.random.default_rng(7).integers(-40, 41, len(t))
    sound = np.round(TONE_AMPLITUDE * 32767 * np.sin(2 * np.pi * 440 * t)) + noise
    return np.concatenate([sound, np.zeros(round(silence_s * RATE))]).astype(np.int16)


def no_device_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(NO_DEVICE)
    return home


def child(home: Path, **args: object) -> subprocess.Popen[str]:
    env = {**os.environ, "HOME": str(home)}
    argv = [sys.executable, "-c", CHILD, json.dumps(args)]
    return subprocess.Popen(argv, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, text=True)


def run_child(home: Path, **args: object) -> dict[str, object]:
    out, _ = child(home, **args).communicate(timeout=30)
    return json.loads(out.strip().splitlines()[-1])


def recorded(path: Path) -> np.ndarray:
    samples, rate = sf.read(path, dtype="int16")
    assert rate == RATE
    return samples


def test_a_memo_records_the_microphone(tmp_path: Path) -> None:
    mic = tone_then(3.0)
    memo = tmp_path / "memo.wav"
    with virtual_devices(tmp_path, mic) as (home, played):
        result = run_child(home, path=str(memo), seconds=1.5, wrong_device=True)
    print(f"first audio after {1000 * result['first_audio_s']:.1f} ms")
    assert result["first_audio_s"] < 1.0
    assert result["rate"] == RATE and result["channels"] == 1
    assert result["recording"] is False
    assert 1.3 <= result["duration_s"] <= 1.9  # real time (the feeder), not the CPU's pace
    info = sf.info(memo)
    assert (info.samplerate, info.channels, info.frames) == (RATE, 1, result["frames"])
    samples = recorded(memo)
    assert np.array_equal(samples, mic[: len(samples)])  # every sample, from the first
    levels = [level for level in result["levels"][2:] if level > -100]
    assert levels and all(abs(level - TONE_DB) < 1.0 for level in levels)
    assert result["cue"] is True  # a cue plays on its own stream while the mic records
    assert len(np.frombuffer(played.read_bytes(), dtype="<i2")) > 0
    assert str(result["wrong_device"]).startswith('No microphone "no such mic": the audio inputs')
    assert "virtual" in str(result["wrong_device"])
    assert isinstance(result["virtual"], int)


def test_no_input_device_is_a_message_and_leaves_no_file(tmp_path: Path) -> None:
    memo = tmp_path / "memo.wav"
    result = run_child(no_device_home(tmp_path), path=str(memo), seconds=0.1)
    assert result == {"error": "No microphone: no audio input device was found", "cue": False}
    assert not memo.exists()


def test_kill_9_mid_memo_keeps_all_but_the_last_second(tmp_path: Path) -> None:
    mic = tone_then(4.0)
    memo = tmp_path / "memo.wav"
    with virtual_devices(tmp_path, mic) as (home, _):
        proc = child(home, path=str(memo), seconds=2.0, then_hang=True)
        assert proc.stdout is not None
        line = proc.stdout.readline().split()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert line[0] == "recording"
    elapsed_s = float(line[1])
    frames = repair_wav(memo)
    samples = recorded(memo)
    assert len(samples) == frames >= (elapsed_s - 1.0) * RATE
    assert np.array_equal(samples, mic[:frames])


def test_silence_after_speech_is_reported_once(tmp_path: Path) -> None:
    with virtual_devices(tmp_path, tone_then(0.5, silence_s=3.0)) as (home, _):
        result = run_child(home, path=str(tmp_path / "memo.wav"), seconds=1.8, silence_stop_s=0.5)
    silences = result["silences"]
    assert isinstance(silences, list) and len(silences) == 1
    assert 0.9 <= silences[0] <= 1.3  # 0.5 s of tone, then 0.5 s of silence


def wav_bytes(frames: int, channels: int = 1) -> bytes:
    samples = np.arange(frames * channels, dtype="<i2").tobytes()
    header = b"RIFF" + struct.pack("<I", 36 + len(samples)) + b"WAVE"
    fmt = struct.pack("<HHIIHH", 1, channels, RATE, RATE * 2 * channels, 2 * channels, 16)
    return (
        header
        + b"fmt "
        + struct.pack("<I", 16)
        + fmt
        + b"data"
        + struct.pack("<I", len(samples))
        + samples
    )


def sizes(data: bytes) -> tuple[int, int]:
    return struct.unpack_from("<I", data, 4)[0], struct.unpack_from("<I", data, 40)[0]


def test_repair_patches_zero_header_sizes(tmp_path: Path) -> None:
    path = tmp_path / "zero.wav"
    whole = wav_bytes(1000)
    path.write_bytes(whole[:4] + b"\0\0\0\0" + whole[8:40] + b"\0\0\0\0" + whole[44:])
    assert repair_wav(path) == 1000
    assert path.read_bytes() == whole
    assert len(recorded(path)) == 1000


def test_repair_cuts_a_torn_last_frame(tmp_path: Path) -> None:
    path = tmp_path / "torn.wav"
    whole = wav_bytes(500, channels=2)
    path.write_bytes(whole[:40] + struct.pack("<I", 100) + whole[44:] + b"\x01\x02\x03")
    assert repair_wav(path) == 500
    assert path.read_bytes() == whole
    assert sizes(path.read_bytes()) == (36 + 2000, 2000)


def test_repair_leaves_a_good_file_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "good.wav"
    sf.write(path, tone_then(0.3), RATE, subtype="PCM_16")
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    assert repair_wav(path) == round(0.3 * RATE)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


@pytest.mark.parametrize("content", [b"", b"RIFF not really", b"\0" * 100, wav_bytes(10)[:30]])
def test_repair_refuses_what_is_no_wav(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "garbage.wav"
    path.write_bytes(content)
    with pytest.raises(UnreadableAudio):
        repair_wav(path)
    assert path.read_bytes() == content
