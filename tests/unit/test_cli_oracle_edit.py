"""`phase-os slice` and `phase-os remix` end to end: the slice saved and logged, remix
sessions made and filled, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from phase_tui.cli import cli
from phase_tui.cli_oracle_edit import parse_time
from phase_tui.oracle.library import SAMPLES
from phase_tui.oracle.slice_log import SLICES
from tests.helpers import make_studio

RATE = 8000


def run(studio: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--studio", str(studio), *args])
    return result.exit_code, result.output


def counter_file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    values = (np.arange(3 * RATE) - RATE).astype(np.int16)
    sf.write(path, np.stack([values, -values], axis=1), RATE, subtype="PCM_24")
    return path


def test_times_are_seconds_or_minutes_and_seconds() -> None:
    assert parse_time("1.5") == 1.5 and parse_time("1:02.250") == 62.25
    for bad in ("abc", "1:75", "-2", "1:-3", "inf", ""):
        with pytest.raises(ValueError, match="is not a time"):
            parse_time(bad)


def test_slice_saves_logs_and_prints_the_frames(tmp_path: Path) -> None:
    context = make_studio(tmp_path / "studio")
    studio = context.studio.root
    source = counter_file(tmp_path / "crate" / "break.wav")
    code, out = run(
        studio, "slice", str(source), "--start", "0.5", "--end", "0:01.5", "--snap", "off"
    )
    assert code == 0, out
    assert out.splitlines()[0] == "slices/break 0.00-0.01.wav"
    assert "frames 4000-12000 of break.wav (8000 frames, 1.000 s at 8000 Hz, snap off)" in out
    saved = studio / "slices" / "break 0.00-0.01.wav"
    got = sf.read(saved, dtype="int32")[0]
    want = sf.read(source, dtype="int32")[0][4000:12000]
    assert np.array_equal(got[40:-40], want[40:-40])
    (record,) = context.store.all(SLICES)
    assert record["path"] == str(saved) and record["source"] == str(source.resolve())
    assert (record["start_s"], record["end_s"], record["duration_s"]) == (0.5, 1.5, 1.0)
    assert record["phase"] == "oracle" and record["session"] == context.session()["name"]

    (studio / "current_phase.txt").write_text("remix\n")
    code, out = run(
        studio, "slice", str(source), "--start", "0.4", "--end", "1.2", "--snap", "beat",
        "--bpm", "120", "--json",
    )  # fmt: skip
    assert code == 0, out
    shown = json.loads(out)
    assert (shown["start_frame"], shown["end_frame"], shown["snap"]) == (4000, 8000, "beat")
    assert shown["phase"] == "remix" and Path(shown["path"]).exists()


def test_slice_errors_are_clear(tmp_path: Path) -> None:
    studio = make_studio(tmp_path / "studio").studio.root
    source = counter_file(tmp_path / "a.wav")
    notes = tmp_path / "notes.wav"
    notes.write_text("not audio " * 20)
    cases = [
        (("slice", str(notes), "--start", "0", "--end", "1"), 1, "cannot read"),
        (("slice", str(tmp_path / "gone.wav"), "--start", "0", "--end", "1"), 1, "not found"),
        (("slice", str(source), "--start", "2", "--end", "1"), 1, "must be before"),
        (("slice", str(source), "--start", "0", "--end", "1", "--snap", "beat"), 1, "tempo"),
        (("slice", str(source), "--start", "x", "--end", "1"), 2, "is not a time"),
    ]
    for args, exit_code, words in cases:
        code, out = run(studio, *args)
        assert code == exit_code and words in out, (args, out)
    assert list((studio / "slices").iterdir()) == []


def test_remix_sessions_from_the_shell(tmp_path: Path) -> None:
    context = make_studio(tmp_path / "studio")
    studio = context.studio.root
    assert run(studio, "remix", "ls") == (
        0,
        "no remix sessions yet (`phase-os remix new NAME` makes one)\n",
    )
    assert run(studio, "remix", "new", "night drive") == (
        0,
        "remix session night drive: remix/night drive\n",
    )
    code, out = run(studio, "remix", "new", "night drive")
    assert code == 1 and "exists already" in out
    code, out = run(studio, "remix", "new", "../escape")
    assert code == 1 and "cannot hold" in out

    source = counter_file(tmp_path / "crate" / "pad.wav")
    code, out = run(studio, "slice", str(source), "--start", "0", "--end", "1", "--snap", "off")
    slice_path = studio / "slices" / "pad 0.00-0.01.wav"
    code, out = run(studio, "remix", "add", "night drive", str(source), str(slice_path), "--json")
    assert code == 0, out
    first, second = json.loads(out)
    assert (first["file"], first["kind"], first["source_id"]) == ("pad.wav", "file", None)
    (logged,) = context.store.all(SLICES)
    assert (second["kind"], second["source_id"]) == ("slice", logged["id"])
    assert source.exists() and slice_path.exists()

    code, out = run(studio, "remix", "ls")
    assert code == 0 and "night drive" in out and "2 fragment(s)" in out
    code, out = run(studio, "remix", "ls", "--json")
    (manifest,) = json.loads(out)
    assert [f["file"] for f in manifest["fragments"]] == ["pad.wav", "pad 0.00-0.01.wav"]

    notes = tmp_path / "notes.wav"
    notes.write_text("not audio " * 20)
    code, out = run(studio, "remix", "add", "night drive", str(notes), str(source))
    assert code == 1 and "not added" in out and "1 of 2 file(s) not added" in out
    assert "night drive/pad 2.wav" in out
    code, out = run(studio, "remix", "add", "nope", str(source))
    assert code == 1 and "no remix session 'nope'" in out

    kick = counter_file(studio / "crates" / "kit" / "kick.wav")
    sample = context.store.insert(SAMPLES, {"path": "crates/kit/kick.wav", "name": "kick.wav"})
    code, out = run(studio, "remix", "add", "night drive", str(kick), "--json")
    (fragment,) = json.loads(out)
    assert (fragment["kind"], fragment["source_id"]) == ("sample", sample["id"])
