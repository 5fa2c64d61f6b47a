"""Remix sessions: copies never moves, the manifest in order, reordering, the trash, and a
damaged manifest rebuilt."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from phase_tui.audio.errors import UnreadableAudio
from phase_tui.oracle.remix import MANIFEST, RemixSessions


def audio(path: Path, seconds: float = 0.5) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros((int(8000 * seconds), 2), dtype=np.float32), 8000, subtype="PCM_16")
    return path


@pytest.fixture
def sessions(tmp_path: Path) -> RemixSessions:
    return RemixSessions(tmp_path / "studio" / "remix")


def test_sessions_are_made_and_listed_newest_first(sessions: RemixSessions) -> None:
    assert sessions.names() == []
    folder = sessions.create("night drive")
    sessions.create("b-side")
    assert folder == sessions.remix_dir / "night drive" and folder.is_dir()
    (sessions.remix_dir / ".cache").mkdir()
    (sessions.remix_dir / "odd:name").mkdir()
    assert sessions.names() == ["b-side", "night drive"]
    manifest = sessions.manifest("night drive")
    assert manifest["name"] == "night drive" and manifest["fragments"] == []
    assert json.loads((folder / MANIFEST).read_text()) == manifest
    with pytest.raises(ValueError, match="exists already"):
        sessions.create("night drive")


@pytest.mark.parametrize("name", ["", "  ", "../up", "a/b", ".hidden", "x\n", "a:b", "y" * 81])
def test_unsafe_names_are_refused(sessions: RemixSessions, name: str) -> None:
    with pytest.raises(ValueError):
        sessions.create(name)
    with pytest.raises(KeyError):
        sessions.manifest(name)
    assert not sessions.remix_dir.exists() or not any(sessions.remix_dir.iterdir())


def test_fragments_are_copies_in_order(sessions: RemixSessions, tmp_path: Path) -> None:
    sessions.create("s")
    kick = audio(tmp_path / "crate" / "kick.wav", 0.25)
    fragment = sessions.add("s", kick, kind="sample", source_id="01ABC")
    again = sessions.add("s", kick)
    assert kick.exists()
    copy = sessions.remix_dir / "s" / "kick.wav"
    assert copy.read_bytes() == kick.read_bytes()
    assert fragment["file"] == "kick.wav" and again["file"] == "kick 2.wav"
    assert fragment["source"] == str(kick.resolve()) and fragment["source_id"] == "01ABC"
    assert fragment["kind"] == "sample" and again["kind"] == "file"
    assert fragment["duration_s"] == pytest.approx(0.25) and fragment["added_at"] > 0
    assert sessions.manifest("s")["fragments"] == [fragment, again]
    assert sorted(p.name for p in copy.parent.iterdir()) == ["kick 2.wav", "kick.wav", MANIFEST]


def test_a_bad_fragment_or_session_is_refused(sessions: RemixSessions, tmp_path: Path) -> None:
    sessions.create("s")
    text = tmp_path / "notes.wav"
    text.write_text("words, not audio " * 20)
    with pytest.raises(UnreadableAudio):
        sessions.add("s", text)
    with pytest.raises(UnreadableAudio):
        sessions.add("s", tmp_path / "missing.wav")
    with pytest.raises(ValueError, match="unknown fragment kind"):
        sessions.add("s", audio(tmp_path / "a.wav"), kind="loop")
    with pytest.raises(KeyError, match="no remix session 'nope'"):
        sessions.add("nope", audio(tmp_path / "a.wav"))
    assert [p.name for p in (sessions.remix_dir / "s").iterdir()] == [MANIFEST]


def test_reorder_and_remove_to_the_trash(sessions: RemixSessions, tmp_path: Path) -> None:
    sessions.create("s")
    for name in ("a", "b", "c"):
        sessions.add("s", audio(tmp_path / f"{name}.wav"))
    assert sessions.move("s", "c.wav", -1) == ["a.wav", "c.wav", "b.wav"]
    assert sessions.move("s", "a.wav", -5) == ["a.wav", "c.wav", "b.wav"]
    assert sessions.move("s", "a.wav", 10) == ["c.wav", "b.wav", "a.wav"]
    assert [f["file"] for f in sessions.manifest("s")["fragments"]] == ["c.wav", "b.wav", "a.wav"]
    sessions.remove("s", "b.wav")
    assert [f["file"] for f in sessions.manifest("s")["fragments"]] == ["c.wav", "a.wav"]
    trashed = tmp_path / "studio" / "trash" / "remix" / "s" / "b.wav"
    assert trashed.exists() and not (sessions.remix_dir / "s" / "b.wav").exists()
    assert (tmp_path / "b.wav").exists()
    with pytest.raises(KeyError, match="no fragment 'b.wav'"):
        sessions.remove("s", "b.wav")
    with pytest.raises(KeyError):
        sessions.move("s", "b.wav", 1)


def test_a_damaged_or_missing_manifest_is_rebuilt(
    sessions: RemixSessions, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sessions.create("s")
    for name in ("b", "a"):
        sessions.add("s", audio(tmp_path / f"{name}.wav", 0.5))
    manifest_path = sessions.remix_dir / "s" / MANIFEST
    manifest_path.write_text("{not json")
    with caplog.at_level(logging.WARNING):
        rebuilt = sessions.manifest("s")
    assert "damaged" in caplog.text and "rebuilt" in caplog.text
    assert rebuilt["name"] == "s"
    assert [f["file"] for f in rebuilt["fragments"]] == ["a.wav", "b.wav"]
    assert rebuilt["fragments"][0]["duration_s"] == pytest.approx(0.5)
    assert rebuilt["fragments"][0]["source"] is None
    assert json.loads(manifest_path.read_text()) == rebuilt
    assert len(list((sessions.remix_dir / "s").glob(f"{MANIFEST}.damaged-*"))) == 1

    manifest_path.write_text(json.dumps({"name": "s", "fragments": "nope"}))
    assert len(sessions.manifest("s")["fragments"]) == 2
    assert len(list((sessions.remix_dir / "s").glob(f"{MANIFEST}.damaged-*"))) == 2
    manifest_path.unlink()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert len(sessions.manifest("s")["fragments"]) == 2
    assert "rebuilt" in caplog.text
    assert sessions.names() == ["s"]
