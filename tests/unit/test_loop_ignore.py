"""Which files may be bounces: audio extensions, no sidecars, no copies, no hidden folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from phase_tui.loop.ignore import IgnoreRules

ROOT = Path("/studio/bounces")
RULES = IgnoreRules()


@pytest.mark.parametrize(
    "name",
    [
        "mix.wav",
        "MIX.WAV",
        "Mix.Aiff",
        "mix.aif",
        "mix.FLAC",
        "mix.ogg",
        "mix.Mp3",
        "memory spike v2.wav",
        "-rf x.wav",
        "Café.wav",
        "Cafe\u0301.wav",
        "line\nbreak.wav",
        "tab\there.wav",
        "mix.final.wav",
        "conflicted copy.wav",  # the words alone are a name, not a conflict copy
    ],
)
def test_audio_files_are_candidates(name: str) -> None:
    assert RULES.is_candidate(ROOT / name, ROOT)


@pytest.mark.parametrize(
    "name",
    [
        "mix.asd",
        "mix.wav.asd",
        "mix.wav.reapeaks",
        "mix.wav.reapindex",
        "mix.pkf",
        "mix.gpk",
        "mix.peak",
        "._mix.wav",  # AppleDouble: ends in .wav, is not audio
        ".DS_Store",
        ".mix.wav",
        "mix.wav.tmp",
        "mix.export.wav.part",
        "mix.wav~",
        "mix.sync-conflict-20250101-120000-ABCDEFG.wav",
        "MIX.SYNC-CONFLICT-20250101-120000-ABCDEFG.WAV",
        "mix (conflicted copy).wav",
        "mix (Jane's conflicted copy 2025-01-01).wav",  # Dropbox
        "mix (conflicted copy 2025-01-01 120000).wav",  # Nextcloud
        "mix.wav.crdownload",
        "notes.txt",
        "session.als",
        "mix",
    ],
)
def test_sidecars_temps_copies_and_other_files_are_not(name: str) -> None:
    assert not RULES.is_candidate(ROOT / name, ROOT)


def test_hidden_folders_inside_the_root_are_skipped() -> None:
    assert not RULES.is_candidate(ROOT / ".trash" / "mix.wav", ROOT)
    assert not RULES.is_candidate(ROOT / "album" / ".cache" / "deep" / "mix.wav", ROOT)
    assert RULES.is_candidate(ROOT / "album" / "mix.wav", ROOT)


def test_hidden_folders_above_the_root_do_not_count() -> None:
    root = Path("/home/me/.local/share/studio/bounces")
    assert RULES.is_candidate(root / "mix.wav", root)
    assert RULES.is_candidate(root / "mix.wav")  # no root: only the name counts


def test_rules_are_configurable_and_case_insensitive() -> None:
    rules = IgnoreRules(extensions=frozenset({".WAV"}), patterns=("*DRAFT*",))
    assert rules.is_candidate(ROOT / "mix.wav", ROOT)
    assert not rules.is_candidate(ROOT / "mix-draft.wav", ROOT)
    assert not rules.is_candidate(ROOT / "mix.flac", ROOT)
    assert IgnoreRules(patterns=()).is_candidate(ROOT / "._mix.wav", ROOT)
