"""Archives: export (full and minimal, crash-safe, under the Store lock), listing, diffs,
and restoring (byte-identical round trip, zip-slip and bad targets refused)."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from phase_tui.archive.export import (
    MANIFEST_NAME,
    archive_name,
    export_archive,
    plan,
    remove_stale_partials,
)
from phase_tui.archive.restore import restore
from phase_tui.archive.snapshots import diff_archives, list_archives, read_manifest
from tests.helpers import make_studio

AT = 1_795_000_000.0
ODD_NAMES = ("Café.wav", "-rf take.wav", "tab\there.md", "line\nbreak.md", "🎹 keys.flac",
             "back\\slash.md", "a:b.md")  # fmt: skip


def filled_studio(root: Path) -> Path:
    """A studio with audio, text, Store records and everything an export leaves out."""
    context = make_studio(root)
    context.store.insert("bounces", {"name": "night.wav", "path": str(root / "bounces/night.wav")})
    context.store.insert("memos", {"name": "idea", "path": str(root / "memos/idea.wav")})
    context.close()
    files = {
        "current_phase.txt": b"loop\n",
        "bounces/night.wav": os.urandom(300_000),
        "bounces/sub/old.flac": os.urandom(50_000),
        "memos/idea.wav": os.urandom(20_000),
        "memos/idea.md": b"# idea\n",
        "forms/night drive@1.json": b'{"sections": []}',
        "digests/2026-W47.md": b"# week\n",
        "scratchpad/notes.md": b"notes " * 1000,
        "remix/set one/manifest.json": b'{"fragments": []}',
        "remix/set one/frag.wav": os.urandom(10_000),
        "art/night.png": os.urandom(5_000),
        **{f"crates/{name}": name.encode() * 10 for name in ODD_NAMES},
        # left out of every export:
        "archives/older.zip": b"old",
        "trash/memos/gone.wav": b"gone",
        ".phase_os/cache/peaks/ab.bin": b"peaks",
        ".phase_os/phase_os.log": b"log",
        ".phase_os/phase_os.log.1": b"log",
        ".phase_os/control.sock": b"",
        "bounces/.night.wav.x1.tmp": b"temp",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / ".phase_os" / "lock").write_bytes(b"")
    os.utime(root / "digests/2026-W47.md", (100.0, 100.0))  # before 1980
    (root / "crates/link.wav").symlink_to(root / "bounces/night.wav")
    return root


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    }


def export(root: Path, minimal: bool = False, **kwargs: Any) -> Path:
    return export_archive(
        root, root / "archives", session="amber-heron-7f3a", at=AT, minimal=minimal, **kwargs
    ).path


LEFT_OUT = ("archives/", "trash/", ".phase_os/cache/", ".phase_os/lock", ".phase_os/phase_os.log",
            ".phase_os/control.sock", ".tmp", "crates/link.wav")  # fmt: skip


def test_full_export_restores_byte_identical(tmp_path: Path) -> None:
    root = filled_studio(tmp_path / "studio")
    seen: list[tuple[int, int]] = []
    result = export_archive(
        root, root / "archives", session="s", at=AT, minimal=False,
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    expected = {
        name: data
        for name, data in tree(root).items()
        if not any(part in name for part in LEFT_OUT)
    }
    assert {path.as_posix() for path in plan(root, minimal=False)} == set(expected)
    assert result.files == len(expected) and result.bytes == sum(map(len, expected.values()))
    assert seen[-1] == (result.bytes, result.bytes)
    written = restore(result.path, tmp_path / "restored")
    assert len(written) == len(expected)
    assert tree(tmp_path / "restored") == expected
    restored = tmp_path / "restored" / "bounces/night.wav"
    assert restored.stat().st_mtime == pytest.approx((root / "bounces/night.wav").stat().st_mtime)


def test_manifest_lists_every_file_with_its_hash(tmp_path: Path) -> None:
    root = filled_studio(tmp_path / "studio")
    path = export(root)
    manifest = read_manifest(path)
    assert manifest["session"] == "amber-heron-7f3a" and manifest["minimal"] is False
    assert manifest["studio"] == "studio" and manifest["at"] == AT and manifest["version"]
    night = next(entry for entry in manifest["files"] if entry["path"] == "bounces/night.wav")
    data = (root / "bounces/night.wav").read_bytes()
    assert night["sha256"] == hashlib.sha256(data).hexdigest() and night["size"] == len(data)
    with zipfile.ZipFile(path) as opened:
        assert opened.getinfo("bounces/night.wav").compress_type == zipfile.ZIP_STORED
        assert opened.getinfo("scratchpad/notes.md").compress_type == zipfile.ZIP_DEFLATED
        assert opened.namelist()[-1] == MANIFEST_NAME


def test_minimal_export_holds_the_scaffold_and_no_audio(tmp_path: Path) -> None:
    root = filled_studio(tmp_path / "studio")
    path = export(root, minimal=True)
    assert path.name.endswith("_amber-heron-7f3a-minimal.zip")
    with zipfile.ZipFile(path) as opened:
        names = set(opened.namelist())
    assert {
        "phase_os.toml", "current_phase.txt", "forms/night drive@1.json", "digests/2026-W47.md",
        "scratchpad/notes.md", "memos/idea.md", "remix/set one/manifest.json",
        ".phase_os/journal-test-machine.json", MANIFEST_NAME,
    } == names  # fmt: skip


def test_archive_name_is_safe_and_says_minimal() -> None:
    name = archive_name(AT, "Amber Heron/../7F3A: ünïcode", minimal=True)
    stamp = time.strftime("%Y-%m-%d_%H%M", time.localtime(AT))
    assert name == f"{stamp}_amber-heron-7f3a-n-code-minimal.zip"
    assert archive_name(AT, "", minimal=False) == f"{stamp}_studio.zip"


def test_a_second_export_of_the_same_minute_gets_its_own_name(tmp_path: Path) -> None:
    root = make_studio(tmp_path / "studio").studio.root
    first, second = export(root), export(root)
    assert first != second and first.exists() and second.name.endswith("-2.zip")


KILLED_CHILD = """
import sys, time
from pathlib import Path
from phase_tui.archive.export import export_archive

def slow(done, total):
    print("started", flush=True)
    time.sleep(0.2)

root = Path(sys.argv[1])
export_archive(root, root / "archives", session="s", at=1.0, minimal=False, progress=slow)
"""


def test_kill_during_export_leaves_only_a_partial_that_the_next_export_removes(
    tmp_path: Path,
) -> None:
    root = make_studio(tmp_path / "studio").studio.root
    for index in range(20):
        (root / "bounces" / f"take {index}.wav").write_bytes(os.urandom(1 << 20))
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, str(root)],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.stdout is not None
    assert child.stdout.readline() == b"started\n"
    time.sleep(0.5)
    child.kill()
    child.wait()
    left = sorted(path.name for path in (root / "archives").iterdir())
    assert len(left) == 1 and left[0].startswith(".") and left[0].endswith(".zip.partial")
    path = export(root)
    assert sorted(path.name for path in (root / "archives").iterdir()) == [path.name]
    assert read_manifest(path)["files"]


def test_a_partial_held_by_a_live_export_is_left_alone(tmp_path: Path) -> None:
    partial = tmp_path / ".x.zip.partial"
    with open(partial, "wb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        assert remove_stale_partials(tmp_path) == []
    assert remove_stale_partials(tmp_path) == [partial] and not partial.exists()


def test_store_files_are_copied_under_the_store_lock(tmp_path: Path) -> None:
    root = filled_studio(tmp_path / "studio")
    fd = os.open(root / ".phase_os" / "lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    done: list[Path] = []
    worker = threading.Thread(target=lambda: done.append(export(root)))
    worker.start()
    time.sleep(0.3)
    assert not done  # waiting for the lock
    os.close(fd)
    worker.join(10)
    assert done and done[0].exists()


# ---------------------------------------------------------------------- hand-made zips
def entry(name: str, data: bytes) -> dict[str, Any]:
    digest = hashlib.sha256(data).hexdigest()
    return {"path": name, "size": len(data), "mtime": AT, "sha256": digest}


def make_zip(path: Path, files: dict[str, bytes], manifest: dict[str, Any] | None = None) -> Path:
    """A zip of `files` with a manifest listing them (or the one given)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if manifest is None:
        listed = [entry(name, data) for name, data in files.items()]
        manifest = {"at": AT, "session": "s", "minimal": False, "files": listed}
    with zipfile.ZipFile(path, "w") as opened:
        for name, data in files.items():
            opened.writestr(name, data)
        opened.writestr(MANIFEST_NAME, json.dumps(manifest))
    return path


@pytest.mark.parametrize("name", ["../evil", "/abs", "a/../../x", "C:/x", "..\\evil"])
def test_zip_slip_entries_are_refused(tmp_path: Path, name: str) -> None:
    archive = make_zip(tmp_path / "bad.zip", {"fine.txt": b"ok", name: b"evil"})
    with pytest.raises(ValueError, match="refused") as error:
        restore(archive, tmp_path / "deep" / "target")
    assert repr(name) in str(error.value)
    assert not (tmp_path / "evil").exists() and not (tmp_path / "deep" / "x").exists()
    assert not (tmp_path / "deep" / "target").exists()


def test_symlink_entries_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as opened:
        info = zipfile.ZipInfo("link")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        opened.writestr(info, "/etc/passwd")
        opened.writestr(MANIFEST_NAME, json.dumps({"files": [entry("link", b"/etc/passwd")]}))
    with pytest.raises(ValueError, match="'link': symlink"):
        restore(archive, tmp_path / "target")
    assert not (tmp_path / "target").exists()


def test_restore_refuses_a_non_empty_target_or_a_file(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "a.zip", {"x.txt": b"x"})
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="not empty"):
        restore(archive, tmp_path / "full")
    with pytest.raises(ValueError, match="not a folder"):
        restore(archive, tmp_path / "full" / "keep.txt")
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"
    (tmp_path / "empty").mkdir()
    assert restore(archive, tmp_path / "empty") == [(tmp_path / "empty" / "x.txt").resolve()]


def test_restore_of_named_files_and_folders(tmp_path: Path) -> None:
    files = {"forms/a.json": b"a", "forms/b.json": b"b", "memos/m.md": b"m", "x.txt": b"x"}
    archive = make_zip(tmp_path / "a.zip", files)
    restore(archive, tmp_path / "t1", ["forms/", "x.txt"])
    assert tree(tmp_path / "t1") == {"forms/a.json": b"a", "forms/b.json": b"b", "x.txt": b"x"}
    with pytest.raises(ValueError, match="nope.txt: no such file"):
        restore(archive, tmp_path / "t2", ["nope.txt"])


def test_restore_checks_every_hash(tmp_path: Path) -> None:
    manifest = {"files": [{**entry("x.txt", b"x"), "sha256": "0" * 64}]}
    archive = make_zip(tmp_path / "a.zip", {"x.txt": b"x"}, manifest)
    with pytest.raises(ValueError, match="x.txt: its content does not match"):
        restore(archive, tmp_path / "target")
    assert not (tmp_path / "target" / "x.txt").exists()


# ---------------------------------------------------------------------- listing and diff
def journal(bounces: list[str], memos: list[str], deleted: tuple[str, ...] = ()) -> bytes:
    def table(ids: list[str]) -> dict[str, Any]:
        return {
            rid: {"id": rid, "name": f"{rid}.wav", "updated_at": 2.0, "deleted": rid in deleted}
            for rid in ids
        }

    return json.dumps({"bounces": table(bounces), "memos": table(memos)}).encode()


def test_diff_of_two_snapshots(tmp_path: Path) -> None:
    a = make_zip(tmp_path / "a.zip", {
        "bounces/one.wav": b"1" * 100, "bounces/gone.wav": b"g" * 50,
        "forms/f.json": b"{}", "phase_os.toml": b"a",
        ".phase_os/journal-m.json": journal(["B1"], ["M1"]),
    })  # fmt: skip
    b = make_zip(tmp_path / "b.zip", {
        "bounces/one.wav": b"1" * 100, "bounces/new.wav": b"n" * 70,
        "forms/f.json": b'{"v": 2}', "phase_os.toml": b"b", "memos/m2.md": b"memo",
        ".phase_os/journal-m.json": journal(["B1", "B2", "B3"], ["M1", "M2"], deleted=("B3",)),
    })  # fmt: skip
    diff = diff_archives(a, b)
    assert [change.path for change in diff.added] == ["bounces/new.wav", "memos/m2.md"]
    assert [change.path for change in diff.removed] == ["bounces/gone.wav"]
    changed = [change.path for change in diff.changed]
    assert changed == [".phase_os/journal-m.json", "forms/f.json", "phase_os.toml"]
    counts = diff.counts()
    assert counts["added"] == {"audio": (1, 70), "memos": (1, 4)}
    assert counts["removed"] == {"audio": (1, 50)}
    assert set(counts["changed"]) == {"forms", "store", "config"}
    assert [ref.id for ref in diff.new_records["bounces"]] == ["B2"]
    assert [ref.label for ref in diff.new_records["memos"]] == ["M2.wav"]
    text = "\n".join(diff.lines())
    assert "new bounces: 1 (B2.wav)" in text and "removed  audio" in text
    assert json.loads(json.dumps(diff.to_json()))["counts"]["added"]["audio"]["bytes"] == 70


def test_damaged_archives_are_listed_with_a_reason(tmp_path: Path) -> None:
    folder = tmp_path / "archives"
    make_zip(folder / "2026-01-01_0000_good.zip", {"x.txt": b"x"})
    (folder / "garbage.zip").write_bytes(b"not a zip at all")
    with zipfile.ZipFile(folder / "plain.zip", "w") as opened:
        opened.writestr("x.txt", "x")
    (folder / ".left.zip.partial").write_bytes(b"half")
    found = {info.name: info for info in list_archives(folder)}
    assert set(found) == {"2026-01-01_0000_good.zip", "garbage.zip", "plain.zip"}
    good = found["2026-01-01_0000_good.zip"]
    assert good.problem is None and good.files == 1 and good.bytes == 1 and good.at == AT
    assert "not a readable zip" in str(found["garbage.zip"].problem)
    assert "no MANIFEST.json" in str(found["plain.zip"].problem)
    assert list_archives(tmp_path / "none") == []
