"""Versions of one track are grouped by name."""

from __future__ import annotations

import pytest

from phase_tui.loop.tracks import split_version, track_key


@pytest.mark.parametrize(
    "name",
    [
        "memory-spike.wav",
        "memory-spike-v2.wav",
        "memory spike v3.wav",
        "Memory Spike (final).wav",
        "memory_spike_v2.1.flac",
        "Memory Spike - Final Mix.wav",
        "memory-spike 2.mp3",
        "memory-spike (1).wav",
        "MEMORY SPIKE [master] v4.aiff",
        "memory spike take 3.wav",
    ],
)
def test_versions_share_one_track(name: str) -> None:
    assert track_key(name) == "memory spike"


def test_labels_say_what_the_version_is() -> None:
    assert split_version("memory-spike-v2.wav") == ("memory spike", "v2")
    assert split_version("Memory Spike (final).wav") == ("memory spike", "final")
    assert split_version("memory-spike.wav") == ("memory spike", "")
    assert split_version("MEMORY SPIKE [master] v4.aiff") == ("memory spike", "master v4")


def test_different_tracks_stay_apart() -> None:
    names = ["night-drive.ogg", "glass-pads v3.aiff", "frag-loop-finale.mp3", "memory-spike.wav"]
    assert len({track_key(n) for n in names}) == 4
    assert track_key("glass-pads v3.aiff") == "glass pads"


def test_a_name_that_is_only_a_marker_keeps_itself() -> None:
    assert track_key("final.wav") == "final"
    assert track_key("808.wav") == "808"
    assert track_key("Café.wav") == track_key("Cafe\u0301.wav")  # NFC and NFD agree
