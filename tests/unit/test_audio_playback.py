"""Playback through a real PortAudio stream into ALSA's `file` device (no sound card).

Each case runs in a subprocess whose HOME holds an `.asoundrc` (ALSA reads it when
PortAudio starts): a virtual speaker that writes what it plays to PLAYED.raw, or an
output device that does not exist.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

VIRTUAL_SPEAKER = """\
pcm.!default {{ type plug; slave.pcm "virtual" }}
pcm.virtual {{ type file; slave.pcm "null"; file "{played}"; format "raw" }}
"""
NO_DEVICE = """\
pcm.!default { type hw; card 42 }
ctl.!default { type hw; card 42 }
"""

PLAY_SCRIPT = """
import json, sys, time
from pathlib import Path
from phase_tui.audio.playback import Player, PlaybackUnavailable

finished = []
player = Player(on_finished=finished.append)
path, stop_after = Path(sys.argv[1]), float(sys.argv[2])
try:
    player.play(path)
except PlaybackUnavailable as error:
    print(json.dumps({"error": str(error)}))
    sys.exit(0)
playing = str(player.playing)
deadline = time.monotonic() + 10
if stop_after >= 0:
    time.sleep(stop_after)
    player.stop()
while stop_after < 0 and not finished and time.monotonic() < deadline:
    time.sleep(0.01)
time.sleep(0.1)
print(json.dumps({"playing": playing, "finished": [str(p) for p in finished],
                  "after": str(player.playing)}))
"""


def run_player(home: Path, audio: Path, stop_after_s: float = -1.0) -> dict[str, object]:
    env = {**os.environ, "HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", PLAY_SCRIPT, str(audio), str(stop_after_s)],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def speaker_home(tmp_path: Path) -> tuple[Path, Path]:
    home = tmp_path / "home"
    home.mkdir()
    played = tmp_path / "PLAYED.raw"
    (home / ".asoundrc").write_text(VIRTUAL_SPEAKER.format(played=played))
    return home, played


def tone(path: Path, seconds: float, rate: int = 44100) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, 0.5 * np.sin(2 * np.pi * 440 * t), rate, subtype="PCM_16")
    return path


def test_a_file_plays_to_its_end_through_the_default_output(tmp_path: Path) -> None:
    home, played = speaker_home(tmp_path)
    audio = tone(tmp_path / "kick v2.wav", 1.0)
    result = run_player(home, audio)
    # no `playing` check here: ALSA's null sink takes a second of audio in a few ms, so on a
    # busy machine it may have played out before the script looks (the stop test checks it)
    assert result["finished"] == [str(audio)]
    assert result["after"] == "None"
    samples = np.frombuffer(played.read_bytes(), dtype="<i2")
    assert len(samples) >= 44100  # a second of audio at least (ALSA may convert the rate)
    assert np.abs(samples).max() > 8000  # the tone, not silence


def test_stop_ends_playback_early_and_reports_no_finish(tmp_path: Path) -> None:
    home, played = speaker_home(tmp_path)
    audio = tone(tmp_path / "long.wav", 120.0)
    result = run_player(home, audio, stop_after_s=0.0)
    assert result["playing"] == str(audio)  # while it played
    assert result["finished"] == []
    assert result["after"] == "None"
    written = played.stat().st_size if played.exists() else 0
    assert written < 120 * 44100 * 2  # far from the whole two minutes


def test_no_output_device_is_a_message(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(NO_DEVICE)
    result = run_player(home, tone(tmp_path / "x.wav", 0.5))
    assert result == {"error": "No audio output device: nothing to play through"}


def test_an_unreadable_file_is_a_message(tmp_path: Path) -> None:
    home, _ = speaker_home(tmp_path)
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF not really")
    result = run_player(home, broken)
    assert str(result["error"]).startswith("Cannot play broken.wav: ")
