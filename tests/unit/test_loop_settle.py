"""The settle tracker reports a file once, only after it stopped changing for `settle_s`
(or for a short grace after a close-after-write), and reports files found gone."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from phase_tui.loop.settle import SettleTracker

SETTLE_S = 0.3
CHECK_S = 0.05


class Ready:
    """Collects the paths of `on_ready` (or `on_gone`) calls with the monotonic time of each."""

    def __init__(self) -> None:
        self.calls: list[tuple[Path, float]] = []
        self.batches: list[list[Path]] = []

    def __call__(self, paths: list[Path]) -> None:
        self.batches.append(paths)
        self.calls.extend((path, time.monotonic()) for path in paths)

    @property
    def paths(self) -> list[Path]:
        return [path for path, _ in self.calls]

    def wait(self, count: int, timeout_s: float = 2.0) -> None:
        deadline = time.monotonic() + timeout_s
        while len(self.calls) < count and time.monotonic() < deadline:
            time.sleep(0.01)


@pytest.fixture
def ready() -> Ready:
    return Ready()


@pytest.fixture
def tracker(ready: Ready) -> Iterator[SettleTracker]:
    settle = SettleTracker(SETTLE_S, ready, check_interval_s=CHECK_S)
    settle.start()
    yield settle
    settle.stop()


def test_a_finished_file_is_reported_once_after_settle_s(
    tmp_path: Path, tracker: SettleTracker, ready: Ready
) -> None:
    path = tmp_path / "mix.wav"
    path.write_bytes(b"x" * 100)
    touched = time.monotonic()
    for _ in range(5):
        tracker.touch(path)
    ready.wait(1)
    time.sleep(SETTLE_S)
    assert ready.paths == [path]
    latency = ready.calls[0][1] - touched
    assert SETTLE_S <= latency < SETTLE_S + CHECK_S + 0.3
    assert tracker.pending() == 0


def test_a_growing_file_is_reported_only_after_its_last_write(
    tmp_path: Path, tracker: SettleTracker, ready: Ready
) -> None:
    path = tmp_path / "mix.wav"
    with open(path, "wb") as file:
        for index in range(8):
            file.write(b"x" * 1000)
            file.flush()
            if index < 2:  # later writes come without events: the stats must see them
                tracker.touch(path)
            time.sleep(0.1)
    last_write = time.monotonic()
    ready.wait(1)
    time.sleep(SETTLE_S)
    assert ready.paths == [path]
    assert ready.calls[0][1] >= last_write - 0.1 + SETTLE_S


def test_an_unchanged_file_touched_again_is_not_reported_twice(
    tmp_path: Path, tracker: SettleTracker, ready: Ready
) -> None:
    path = tmp_path / "mix.wav"
    path.write_bytes(b"x")
    tracker.touch(path)
    ready.wait(1)
    tracker.touch(path)  # a late event, or our own read
    time.sleep(SETTLE_S + 0.2)
    assert ready.paths == [path]
    path.write_bytes(b"re-exported")
    tracker.touch(path)
    ready.wait(2)
    assert ready.paths == [path, path]


def test_an_empty_file_is_reported(tmp_path: Path, tracker: SettleTracker, ready: Ready) -> None:
    path = tmp_path / "empty.wav"
    path.touch()
    tracker.touch(path)
    ready.wait(1)
    assert ready.paths == [path]


def test_a_file_deleted_before_it_settles_is_dropped(
    tmp_path: Path, tracker: SettleTracker, ready: Ready
) -> None:
    path = tmp_path / "gone.wav"
    path.write_bytes(b"x")
    tracker.touch(path)
    tracker.touch(tmp_path / "never-existed.wav")
    time.sleep(0.1)
    path.unlink()
    time.sleep(SETTLE_S + 0.2)
    assert ready.calls == []
    assert tracker.pending() == 0


def test_an_exception_in_on_ready_does_not_stop_the_tracker(tmp_path: Path) -> None:
    ready = Ready()

    def flaky(paths: list[Path]) -> None:
        if not ready.calls:
            ready(paths)
            raise RuntimeError("catalogue exploded")
        ready(paths)

    settle = SettleTracker(SETTLE_S, flaky, check_interval_s=CHECK_S)
    settle.start()
    try:
        first, second = tmp_path / "a.wav", tmp_path / "b.wav"
        first.write_bytes(b"a")
        settle.touch(first)
        ready.wait(1)
        second.write_bytes(b"b")
        settle.touch(second)
        ready.wait(2)
    finally:
        settle.stop()
    assert ready.paths == [first, second]


def test_idle_tracker_does_not_poll(tmp_path: Path) -> None:
    reads: list[float] = []

    def clock() -> float:
        reads.append(time.monotonic())
        return reads[-1]

    ready = Ready()
    settle = SettleTracker(SETTLE_S, ready, clock=clock, check_interval_s=CHECK_S)
    settle.start()
    try:
        path = tmp_path / "a.wav"
        path.write_bytes(b"a")
        settle.touch(path)
        ready.wait(1)
        busy = len(reads)
        time.sleep(0.5)
        assert len(reads) == busy  # asleep until the next touch
        assert busy < 20  # a settle costs a handful of stats, not one per interval
    finally:
        settle.stop()
    assert settle.pending() == 0


def thread_names() -> set[str]:
    return {thread.name for thread in threading.enumerate()}


def test_stop_joins_the_thread(tmp_path: Path, ready: Ready) -> None:
    settle = SettleTracker(SETTLE_S, ready)
    settle.start()
    settle.touch(tmp_path / "pending.wav")
    assert "settle-tracker" in thread_names()
    settle.stop()
    assert "settle-tracker" not in thread_names()
    assert settle.pending() == 0


def test_a_closed_file_is_ready_after_a_short_grace_not_the_full_settle(tmp_path: Path) -> None:
    ready = Ready()
    settle = SettleTracker(1.0, ready, check_interval_s=CHECK_S)
    assert settle.closed_grace_s == pytest.approx(0.2)
    settle.start()
    try:
        closed, renamed = tmp_path / "closed.wav", tmp_path / "renamed.wav"
        closed.write_bytes(b"x" * 100)
        renamed.write_bytes(b"y" * 100)
        touched = time.monotonic()
        settle.touch(closed)  # created, modified... then the close-after-write
        settle.touch(closed, closed=True)
        settle.touch(closed)  # a late event after the close does not undo it
        settle.touch(renamed)  # a rename brings no close: the full settle time
        ready.wait(2, timeout_s=3.0)
    finally:
        settle.stop()
    assert ready.paths == [closed, renamed]
    closed_s, renamed_s = (at - touched for _, at in ready.calls)
    assert 0.2 <= closed_s < 0.6
    assert renamed_s >= 1.0


def test_a_file_written_again_after_its_close_waits_the_full_settle(tmp_path: Path) -> None:
    ready = Ready()
    settle = SettleTracker(1.0, ready, check_interval_s=CHECK_S)
    settle.start()
    try:
        path = tmp_path / "reopened.wav"
        path.write_bytes(b"x")
        settle.touch(path, closed=True)
        time.sleep(0.1)  # the tracker saw the file as closed...
        with open(path, "ab") as file:  # ...then the DAW opens it again, the close comes later
            file.write(b"more")
        last_write = time.monotonic()
        settle.touch(path)
        ready.wait(1, timeout_s=3.0)
    finally:
        settle.stop()
    assert ready.paths == [path]
    assert ready.calls[0][1] - last_write >= 1.0 - CHECK_S


def test_a_grace_is_at_most_a_quarter_of_the_settle_time() -> None:
    assert SettleTracker(0.4, Ready()).closed_grace_s == pytest.approx(0.1)
    assert SettleTracker(5.0, Ready()).closed_grace_s == pytest.approx(0.2)


def test_files_that_settle_together_are_reported_in_one_batch(
    tmp_path: Path, tracker: SettleTracker, ready: Ready
) -> None:
    paths = [tmp_path / f"stem {index:02}.wav" for index in range(50)]
    for path in paths:
        path.write_bytes(b"x")
        tracker.touch(path)
    ready.wait(50)
    assert sorted(ready.paths) == sorted(paths)
    assert len(ready.batches) <= 3


def test_a_touched_file_found_gone_is_reported_to_on_gone(tmp_path: Path) -> None:
    ready, gone = Ready(), Ready()
    settle = SettleTracker(SETTLE_S, ready, on_gone=gone, check_interval_s=CHECK_S)
    settle.start()
    try:
        path = tmp_path / "mix.wav"
        path.write_bytes(b"x")
        settle.touch(path)
        ready.wait(1)
        os.rename(path, tmp_path / "elsewhere.wav")
        settle.touch(path)  # the deletion (or moved-away) event
        gone.wait(1)
        os.rename(tmp_path / "elsewhere.wav", path)  # back, unchanged: news again
        settle.touch(path)
        ready.wait(2)
    finally:
        settle.stop()
    assert gone.paths == [path]
    assert ready.paths == [path, path]
