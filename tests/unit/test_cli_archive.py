"""`phase-os export` and `phase-os archive ls|diff|restore` end to end on a studio's files."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from phase_tui.cli import cli
from tests.helpers import make_studio


def run(studio: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--studio", str(studio), *args])
    return result.exit_code, result.output


def studio_with_audio(root: Path) -> Path:
    context = make_studio(root)
    context.store.insert("bounces", {"name": "night.wav"})
    context.close()
    (root / "bounces" / "night.wav").write_bytes(b"\x01" * 40_000)
    (root / "scratchpad" / "notes.md").write_text("notes\n")
    return root


def test_export_ls_diff_restore(tmp_path: Path) -> None:
    root = studio_with_audio(tmp_path / "studio")
    code, out = run(root, "export", "--json")
    assert code == 0, out
    full = json.loads(out)
    assert Path(full["path"]).parent == root / "archives" and full["files"] >= 4
    assert full["archive_bytes"] == Path(full["path"]).stat().st_size
    code, out = run(root, "export", "--minimal")
    assert code == 0, out
    assert out.startswith("archives/") and "-minimal.zip (" in out and " files, " in out

    code, out = run(root, "archive", "ls", "--json")
    rows = json.loads(out)
    assert [row["minimal"] for row in rows] in ([True, False], [False, True])
    assert all(row["problem"] is None for row in rows)
    code, out = run(root, "archive", "ls")
    assert code == 0 and "minimal" in out and "full" in out

    minimal_name = next(row["name"] for row in rows if row["minimal"])
    code, out = run(root, "archive", "diff", minimal_name, full["path"])
    assert code == 0, out
    assert "added    audio" in out and "1 file" in out
    code, out = run(root, "archive", "diff", minimal_name.removesuffix(".zip"), full["path"],
                    "--json")  # fmt: skip
    assert [item["path"] for item in json.loads(out)["added"]] == [
        ".stignore",
        "bounces/night.wav",
    ]

    target = tmp_path / "restored"
    code, out = run(root, "archive", "restore", Path(full["path"]).name, str(target))
    assert code == 0, out
    assert (target / "bounces" / "night.wav").read_bytes() == b"\x01" * 40_000
    code, out = run(root, "archive", "restore", full["path"], str(tmp_path / "one"), "scratchpad")
    assert code == 0 and "restored 1 files" in out
    assert [path.name for path in (tmp_path / "one").rglob("*.md")] == ["notes.md"]


def test_clear_errors(tmp_path: Path) -> None:
    root = studio_with_audio(tmp_path / "studio")
    code, out = run(root, "archive", "ls")
    assert code == 0 and "no archives yet" in out
    code, out = run(root, "archive", "diff", "nope", "nada")
    assert code == 1 and "Error: no archive 'nope'" in out
    code, out = run(root, "export", "--json")
    path = json.loads(out)["path"]
    code, out = run(root, "archive", "restore", path, str(root))
    assert code == 1 and "never over the live studio" in out
    code, out = run(root, "archive", "restore", path, str(root / "bounces"))
    assert code == 1 and "is not empty" in out
    (root / "archives" / "broken.zip").write_bytes(b"broken")
    code, out = run(root, "archive", "ls")
    assert code == 0 and "broken.zip" in out and "damaged: not a readable zip" in out
    code, out = run(root, "archive", "diff", "broken", path)
    assert code == 1 and "Error: broken.zip: not a readable zip" in out
