"""The folder watcher with a settle tracker behind it, on real files and real watchdog.

Every way a bounce arrives (progressive export, temp name then rename, copy, folder moved
in, thousands at once) gives exactly one ready file, after its last write; sidecars, our
own reads, link loops, a deleted folder, a failing callback, inotify limits and network
drives do not break that. A deleted or moved-away file is reported gone.
"""

from __future__ import annotations

import errno
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from watchdog.observers.inotify import InotifyObserver

from phase_tui.loop import mounts
from phase_tui.loop.ignore import IgnoreRules
from phase_tui.loop.settle import SettleTracker
from phase_tui.loop.watcher import FolderWatcher, WatchHealth
from tests.daw_writers import copy_in, export_via_temp, progressive_export, write_wav
from tests.helpers import wait_until

SETTLE_S = 0.25
CHECK_S = 0.05
POLL_S = 0.1
MODES = ["inotify", "polling"]


class Pipeline:
    """FolderWatcher -> SettleTracker, recording candidates, ready and gone files, health."""

    def __init__(self, folder: Path, polling: bool, fail_first: bool = False) -> None:
        self.folder = folder
        self.candidates: list[Path] = []
        self.closed: list[Path] = []
        self.ready: list[tuple[Path, float]] = []
        self.gone: list[Path] = []
        self.health: list[WatchHealth] = []
        self._fail = fail_first
        self.settle = SettleTracker(
            SETTLE_S, self._on_ready, on_gone=self.gone.extend, check_interval_s=CHECK_S
        )
        self.watcher = FolderWatcher(
            [folder], IgnoreRules(), self._on_candidate, self.health.append,
            poll_folders=[folder] if polling else (), poll_interval_s=POLL_S,
            rearm_interval_s=0.2,
        )  # fmt: skip

    def _on_candidate(self, path: Path, closed: bool) -> None:
        if self._fail:
            self._fail = False
            raise RuntimeError("downstream exploded")
        self.candidates.append(path)
        if closed:
            self.closed.append(path)
        self.settle.touch(path, closed)

    def _on_ready(self, paths: list[Path]) -> None:
        self.ready.extend((path, time.monotonic()) for path in paths)

    @property
    def ready_paths(self) -> list[Path]:
        return [path for path, _ in self.ready]

    @property
    def modes(self) -> list[str]:
        return [health.mode for health in self.health]

    def wait_ready(self, count: int, timeout_s: float = 3.0) -> list[Path]:
        """The ready paths once `count` arrived, after a settle more for late duplicates."""
        assert wait_until(lambda: len(self.ready) >= count, timeout_s), self.ready_paths
        time.sleep(SETTLE_S + CHECK_S + POLL_S)
        return self.ready_paths


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[Callable[..., Pipeline]]:
    """Start a pipeline on `tmp_path / "bounces"` (created unless `create=False`); on
    teardown, stop it and check that no thread was left behind."""
    threads_before = set(threading.enumerate())
    started: list[Pipeline] = []

    def start(mode: str = "inotify", create: bool = True, fail_first: bool = False) -> Pipeline:
        folder = tmp_path / "bounces"
        if create:
            folder.mkdir()
        pipeline = Pipeline(folder, mode == "polling", fail_first)
        pipeline.settle.start()
        pipeline.watcher.start()
        started.append(pipeline)
        return pipeline

    yield start
    for pipeline in started:
        pipeline.watcher.stop()
        pipeline.settle.stop()
    assert set(threading.enumerate()) <= threads_before


@pytest.mark.parametrize("mode", MODES)
def test_a_progressive_export_is_ready_once_after_its_last_write(
    watched: Callable[..., Pipeline], mode: str
) -> None:
    bounces = watched(mode)
    path = bounces.folder / "memory spike.wav"
    last_write = progressive_export(path, duration_s=1.2)
    assert bounces.wait_ready(1) == [path]
    assert bounces.candidates and set(bounces.candidates) == {path}
    if mode == "inotify":  # the close-after-write shortens the wait to the grace
        assert bounces.closed == [path]
        assert bounces.ready[0][1] >= last_write + bounces.settle.closed_grace_s
    else:  # polling never sees a close
        assert bounces.closed == []
        assert bounces.ready[0][1] >= last_write + SETTLE_S


@pytest.mark.parametrize("mode", MODES)
def test_every_way_a_file_arrives_gives_one_ready_file_under_its_final_name(
    watched: Callable[..., Pipeline], tmp_path: Path, mode: str
) -> None:
    bounces = watched(mode)
    folder = bounces.folder
    expected = [
        export_via_temp(folder / "temp.wav", "temp.wav.tmp"),
        export_via_temp(folder / "part.wav", "part.export.wav.part"),
        copy_in(write_wav(tmp_path / "copied.wav", seconds=1.0), folder),
        folder / "empty.wav",
        folder / "renamed in.wav",
    ]
    (folder / "empty.wav").touch()
    os.rename(write_wav(tmp_path / "outside.wav"), folder / "renamed in.wav")
    odd_names = ["Café.wav", "Cafe\u0301.wav", "-rf x.wav", "new\nline.wav", "tab\there.wav"]
    expected += [write_wav(folder / name) for name in odd_names]
    assert sorted(bounces.wait_ready(len(expected))) == sorted(expected)
    assert set(bounces.candidates) == set(expected)  # the temp names never


@pytest.mark.parametrize("mode", MODES)
def test_a_folder_moved_in_gives_every_file_inside(
    watched: Callable[..., Pipeline], tmp_path: Path, mode: str
) -> None:
    bounces = watched(mode)
    album = tmp_path / "album"
    (album / "disc 2").mkdir(parents=True)
    names = ["a.wav", "b.wav", "c.flac", "disc 2/d.wav", "disc 2/e.aiff"]
    for name in names:
        write_wav(album / name)
    os.rename(album, bounces.folder / "album")
    expected = sorted(bounces.folder / "album" / name for name in names)
    assert set(bounces.candidates) <= set(expected)
    assert sorted(bounces.wait_ready(5)) == expected
    assert set(bounces.candidates) == set(expected)


def test_600_files_in_30_new_folders_are_each_ready_once(
    watched: Callable[..., Pipeline],
) -> None:
    bounces = watched()
    expected = []
    for folder_index in range(30):
        folder = bounces.folder / f"stems {folder_index:02}"
        folder.mkdir()
        for file_index in range(20):
            expected.append(write_wav(folder / f"stem {file_index:02}.wav", seconds=0.01))
    ready = bounces.wait_ready(600, timeout_s=10)
    assert sorted(ready) == sorted(expected)


@pytest.mark.parametrize("mode", MODES)
def test_a_link_loop_gives_one_report_per_real_file(
    watched: Callable[..., Pipeline], tmp_path: Path, mode: str
) -> None:
    bounces = watched(mode)
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "up").symlink_to("..", target_is_directory=True)  # tree/sub/up -> tree
    write_wav(tree / "a.wav")
    write_wav(tree / "sub" / "b.wav")
    os.rename(tree, bounces.folder / "tree")
    write_wav(bounces.folder / "tree" / "sub" / "c.wav")
    ready = bounces.wait_ready(3)
    time.sleep(3 * POLL_S)
    names = Counter(path.relative_to(bounces.folder).as_posix() for path in ready)
    assert names == {"tree/a.wav": 1, "tree/sub/b.wav": 1, "tree/sub/c.wav": 1}


@pytest.mark.parametrize("mode", MODES)
def test_sidecars_and_copies_never_become_candidates(
    watched: Callable[..., Pipeline], mode: str
) -> None:
    bounces = watched(mode)
    mix = write_wav(bounces.folder / "x.wav")
    assert bounces.wait_ready(1) == [mix]
    for name in ["x.asd", "x.wav.reapeaks", "._x.wav", ".DS_Store", "x (conflicted copy).wav",
                 "x.sync-conflict-20250101-120000-ABCDEFG.wav"]:  # fmt: skip
        (bounces.folder / name).write_bytes(b"sidecar")
    time.sleep(SETTLE_S + 3 * POLL_S)
    assert set(bounces.candidates) == {mix}
    assert bounces.ready_paths == [mix]


def test_our_own_reads_do_not_report_a_file_again(watched: Callable[..., Pipeline]) -> None:
    bounces = watched()
    mix = write_wav(bounces.folder / "x.wav")
    assert bounces.wait_ready(1) == [mix]
    seen = len(bounces.candidates)
    for _ in range(3):
        mix.read_bytes()
    time.sleep(SETTLE_S)
    assert len(bounces.candidates) == seen
    assert bounces.ready_paths == [mix]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("removal", ["delete", "rename away"])
def test_a_removed_folder_is_missing_then_watched_again_when_recreated(
    watched: Callable[..., Pipeline], tmp_path: Path, mode: str, removal: str
) -> None:
    bounces = watched(mode)
    if removal == "delete":
        shutil.rmtree(bounces.folder)
    else:  # inotify sends nothing and goes on watching the folder under its old name
        os.rename(bounces.folder, tmp_path / "elsewhere")
    assert wait_until(lambda: bounces.modes[-1:] == ["missing"], timeout_s=2.0)
    bounces.folder.mkdir()
    early = write_wav(bounces.folder / "early.wav")  # before the re-arm: found by the walk
    assert wait_until(lambda: bounces.modes[-1:] == [mode], timeout_s=2.0)
    late = write_wav(bounces.folder / "late.wav")
    if removal == "rename away":
        write_wav(tmp_path / "elsewhere" / "not here.wav")
    assert sorted(bounces.wait_ready(2)) == [early, late]
    assert bounces.modes == [mode, "missing", mode]
    assert bounces.watcher.health()[0].mode == mode


def test_a_folder_missing_at_start_is_watched_once_it_appears(
    watched: Callable[..., Pipeline],
) -> None:
    bounces = watched(create=False)
    missing = WatchHealth(bounces.folder, "missing", "folder not found; watching for it to return")
    assert bounces.health == bounces.watcher.health() == [missing]
    bounces.folder.mkdir()
    assert wait_until(lambda: bounces.modes[-1:] == ["inotify"], timeout_s=2.0)
    mix = write_wav(bounces.folder / "mix.wav")
    assert bounces.wait_ready(1) == [mix]


def test_an_exception_in_on_candidate_does_not_stop_watching(
    watched: Callable[..., Pipeline], caplog: pytest.LogCaptureFixture
) -> None:
    bounces = watched(fail_first=True)
    (bounces.folder / "first.wav").write_bytes(b"")
    assert wait_until(lambda: "downstream exploded" in caplog.text, timeout_s=2.0)
    second = write_wav(bounces.folder / "second.wav")
    assert second in bounces.wait_ready(2)
    assert bounces.modes == ["inotify"]


@pytest.mark.parametrize(
    ("method", "code", "reason"),
    [
        ("schedule", errno.ENOSPC, "inotify watch limit reached"),
        ("start", errno.ENOSPC, "inotify watch limit reached"),
        ("__init__", errno.EMFILE, "inotify instance limit reached"),
    ],
)
def test_a_refused_inotify_watch_falls_back_to_polling(
    watched: Callable[..., Pipeline], monkeypatch: pytest.MonkeyPatch,
    method: str, code: int, reason: str,
) -> None:  # fmt: skip
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(code, reason)

    monkeypatch.setattr(InotifyObserver, method, refuse)
    bounces = watched()
    assert bounces.health == [
        WatchHealth(bounces.folder, "polling", f"{reason}; polling every 0.1 s")
    ]
    mix = write_wav(bounces.folder / "mix.wav")
    assert bounces.wait_ready(1) == [mix]


def test_forced_polling_says_so_and_finds_files(watched: Callable[..., Pipeline]) -> None:
    bounces = watched("polling")
    assert bounces.health == [
        WatchHealth(bounces.folder, "polling", "polling every 0.1 s (poll_folders)")
    ]
    mix = write_wav(bounces.folder / "mix.wav")
    assert bounces.wait_ready(1) == [mix]


def test_a_file_deleted_before_it_settles_is_never_ready(
    watched: Callable[..., Pipeline],
) -> None:
    bounces = watched()
    gone = write_wav(bounces.folder / "gone.wav")
    assert wait_until(lambda: gone in bounces.candidates, timeout_s=2.0)
    gone.unlink()
    time.sleep(SETTLE_S + 0.2)
    assert bounces.ready == []
    assert bounces.settle.pending() == 0
    assert gone in bounces.gone


@pytest.mark.parametrize("mode", MODES)
def test_files_and_folders_deleted_or_moved_away_are_reported_gone(
    watched: Callable[..., Pipeline], tmp_path: Path, mode: str
) -> None:
    bounces = watched(mode)
    album = bounces.folder / "album"
    album.mkdir()
    names = ["deleted.wav", "moved.wav", "renamed.wav", "album/track.wav"]
    deleted, moved, renamed, track = (write_wav(bounces.folder / name) for name in names)
    assert wait_until(lambda: len(bounces.ready) == 4, timeout_s=2.0)
    deleted.unlink()
    os.rename(moved, tmp_path / "moved.wav")
    os.rename(renamed, bounces.folder / "renamed v2.wav")
    os.rename(album, tmp_path / "album")  # a folder moved out: one event, for the folder
    assert wait_until(lambda: {deleted, moved, renamed} <= set(bounces.gone), timeout_s=2.0)
    assert wait_until(lambda: album in bounces.gone or track in bounces.gone, timeout_s=2.0)
    assert wait_until(lambda: len(bounces.ready) == 5, timeout_s=2.0)
    assert bounces.ready_paths[-1] == bounces.folder / "renamed v2.wav"


def test_a_folder_on_a_network_drive_is_polled_and_says_so(
    watched: Callable[..., Pipeline], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = tmp_path / "mounts"
    table.write_text(
        "/dev/sda1 / ext4 rw,relatime 0 0\n"
        f"nas:/export/music {tmp_path} nfs4 rw,vers=4.2,addr=10.0.0.2 0 0\n"
    )
    monkeypatch.setattr(mounts, "MOUNTS_FILE", table)
    bounces = watched()
    assert bounces.health == [
        WatchHealth(bounces.folder, "polling", "network drive (nfs4); polling every 0.1 s")
    ]
    mix = write_wav(bounces.folder / "mix.wav")
    assert bounces.wait_ready(1) == [mix]


def test_stop_joins_every_thread(tmp_path: Path) -> None:
    before = set(threading.enumerate())
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
    health: list[WatchHealth] = []
    watcher = FolderWatcher(
        folders, IgnoreRules(), lambda path, closed: None, health.append, poll_folders=[folders[1]]
    )
    watcher.start()
    assert len(set(threading.enumerate()) - before) >= 5
    watcher.stop()
    assert set(threading.enumerate()) - before == set()
    assert [h.mode for h in watcher.health()] == ["stopped", "stopped"]
