"""`phase-os crate add/ls/scan` and `phase-os sample find`, end to end on a studio."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import soundfile as sf
from click.testing import CliRunner

from phase_tui.cli import cli
from phase_tui.oracle.miner import CRATE_SCANS
from phase_tui.store import Store
from tests.helpers import make_studio


def run(studio: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--studio", str(studio), *args])
    return result.exit_code, result.output


def tone(path: Path, seconds: float, hz: float = 220.0, rate: int = 22050) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, 0.25 * np.sin(2 * np.pi * hz * t), rate)


def test_add_list_scan_and_find(tmp_path: Path) -> None:
    context = make_studio(tmp_path / "studio")
    studio = context.studio.root
    assert "no crates yet" in run(studio, "crate", "ls")[1]
    tone(studio / "crates" / "drums" / "Kick Deep 124bpm.wav", 0.5, 60)
    tone(studio / "crates" / "drums" / "snare.wav", 0.2, 300)
    (studio / "crates" / "set.m3u").write_text("drums/snare.wav\nlost.wav\n")
    vinyl = tmp_path / "vinyl"
    tone(vinyl / "loop_Dm.flac", 2.0, 110)

    code, out = run(studio, "crate", "add", str(vinyl), "--name", "rips")
    assert code == 0 and out == f"crate rips: {vinyl}\n"
    code, out = run(studio, "crate", "add", str(tmp_path / "nowhere"))
    assert code == 2 and "does not exist" in out

    code, out = run(studio, "crate", "scan")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("3 new, 0 changed, 0 unchanged, 0 missing, 0 unreadable")
    assert "broken      crates/set.m3u:2: not found" in lines
    assert Store(context.studio.internal, "other").count(CRATE_SCANS) == 1
    code, out = run(studio, "crate", "scan")
    assert out.startswith("0 new, 0 changed, 3 unchanged")

    code, out = run(studio, "crate", "ls")
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    assert rows[0] == ["crate", "kind", "samples", "path"]
    assert rows[1:] == [
        ["drums", "folder", "2", "crates/drums"],
        ["set", "playlist", "0", "crates/set.m3u"],
        ["rips", "folder", "1", str(vinyl)],
    ]
    code, out = run(studio, "crate", "ls", "--json")
    assert json.loads(out)[2] == {
        "crate": "rips",
        "kind": "folder",
        "path": str(vinyl),
        "present": True,
        "samples": 1,
    }

    code, out = run(studio, "sample", "find")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["name", "crate", "length", "bpm", "key", "level"]
    cells = [re.split(r"\s{2,}", line.strip()) for line in lines[1:]]
    assert cells[0][:5] == ["Kick Deep 124bpm.wav", "drums", "0.50s", "124", "-"]
    assert cells[0][5].endswith(" dB RMS")
    assert [row[0] for row in cells[1:]] == ["loop_Dm.flac", "snare.wav"]
    assert len({len(line.rstrip()) for line in lines[1:]}) == 1  # aligned
    code, out = run(studio, "sample", "find", "loop", "--crate", "rips", "--min-s", "1")
    (found,) = json.loads(run(studio, "sample", "find", "loop", "--json")[1])
    assert found["name"] == "loop_Dm.flac" and found["key"] == "D minor"
    assert "loop_Dm.flac" in out
    assert run(studio, "sample", "find", "--max-s", "0.1")[1] == "no samples found\n"
    assert run(studio, "sample", "find", "--tag", "dark")[1] == "no samples found\n"
    code, out = run(studio, "sample", "find", "--tag", "##")
    assert code == 1 and "is not a tag" in out


def test_find_before_any_scan_says_how_to_start(tmp_path: Path) -> None:
    studio = make_studio(tmp_path / "studio").studio.root
    assert run(studio, "sample", "find", "kick") == (0, "no samples yet: `crate scan`\n")
