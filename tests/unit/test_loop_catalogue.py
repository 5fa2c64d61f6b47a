"""The bounce catalogue and the analysis queue on real files, without a watcher: what a
file is (new, duplicate, moved, gone), one record per real file, batched writes."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from phase_tui.loop.analysis_queue import AnalysisQueue
from phase_tui.loop.catalogue import BounceCatalogue, Identified
from phase_tui.loop.compiler import catch_up
from phase_tui.loop.ignore import IgnoreRules
from tests.daw_writers import write_distinct_wav
from tests.unit.test_audio_files import random_bytes
from tests.unit.test_loop_logger import CONTEXT, CountingCatalogue, CountingStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CountingStore]:
    made = CountingStore(tmp_path / ".phase_os")
    yield made
    made.close()


@pytest.fixture
def catalogue(tmp_path: Path, store: CountingStore) -> BounceCatalogue:
    (tmp_path / "bounces").mkdir()
    return BounceCatalogue(store, tmp_path, lambda: CONTEXT)


def logged(catalogue: BounceCatalogue, paths: list[Path]) -> list[Identified]:
    """Register, hash and classify `paths` as the live path does."""
    new, changed = catalogue.register(paths)
    return catalogue.classify({r["id"]: catalogue.hash_file(r) for r in (*new, *changed)})


def kinds(found: list[Identified]) -> dict[str, str]:
    return {item.record["name"]: item.kind for item in found}


def test_a_rename_whose_deletion_went_unseen_is_a_move_not_a_duplicate(
    catalogue: BounceCatalogue, tmp_path: Path
) -> None:
    mix = write_distinct_wav(tmp_path / "bounces" / "mix.wav")
    (original,) = logged(catalogue, [mix])
    renamed = tmp_path / "bounces" / "mix v1.wav"
    os.rename(mix, renamed)  # no event for mix.wav: the record is still "ok"
    (found,) = logged(catalogue, [renamed])
    assert (found.kind, found.record["id"]) == ("moved", original.record["id"])
    assert found.record["path"] == "bounces/mix v1.wav"
    assert [r["name"] for r in catalogue.records()] == ["mix v1.wav"]
    assert catalogue.store.count("bounces") == 1


def test_two_copies_of_a_missing_file_are_one_move_and_one_duplicate(
    catalogue: BounceCatalogue, tmp_path: Path
) -> None:
    folder = tmp_path / "bounces"
    mix = write_distinct_wav(folder / "mix.wav")
    (original,) = logged(catalogue, [mix])
    for name in ("a.wav", "b.wav"):
        (folder / name).write_bytes(mix.read_bytes())
    mix.unlink()
    assert catalogue.mark_missing([mix])[0]["status"] == "missing"
    found = kinds(logged(catalogue, [folder / "a.wav", folder / "b.wav"]))
    assert found == {"a.wav": "moved", "b.wav": "duplicate"}
    records = {r["name"]: r for r in catalogue.store.all("bounces")}
    assert records["a.wav"]["id"] == original.record["id"]
    assert records["b.wav"]["duplicate_of"] == original.record["id"]


def test_identical_new_files_in_one_batch_make_the_oldest_the_original(
    catalogue: BounceCatalogue, tmp_path: Path
) -> None:
    folder = tmp_path / "bounces"
    first = write_distinct_wav(folder / "z first.wav")
    second = folder / "a second.wav"
    second.write_bytes(first.read_bytes())
    found = kinds(logged(catalogue, [first, second]))
    assert found == {"z first.wav": "new", "a second.wav": "duplicate"}


def test_links_and_second_names_give_one_record_per_real_file(
    catalogue: BounceCatalogue, tmp_path: Path
) -> None:
    folder = tmp_path / "bounces"
    mix = write_distinct_wav(folder / "mix.wav")
    (folder / "link.wav").symlink_to("mix.wav")
    os.link(mix, folder / "hard link.wav")
    new, _ = catalogue.register([mix, folder / "link.wav", folder / "hard link.wav"])
    assert [r["name"] for r in new] == ["mix.wav"]


def test_the_studio_folder_itself_may_be_watched(
    catalogue: BounceCatalogue, tmp_path: Path
) -> None:
    mix = write_distinct_wav(tmp_path / "mix.wav")
    catalogue.register([mix])
    mix.unlink()
    vanished = catalogue.mark_vanished([tmp_path], present=[])
    assert [(r["path"], r["status"]) for r in vanished] == [("mix.wav", "missing")]


def test_a_scan_leaves_files_still_being_written_to_the_settle_tracker(
    catalogue: BounceCatalogue, tmp_path: Path
) -> None:
    folder = tmp_path / "bounces"
    old = write_distinct_wav(folder / "old.wav")
    os.utime(old, (time.time() - 60, time.time() - 60))
    fresh = write_distinct_wav(folder / "fresh.wav")
    settling: list[Path] = []
    report = catch_up(catalogue, [folder], IgnoreRules(), fresh_s=1.0, on_fresh=settling.append)
    assert [r["name"] for r in report.new] == ["old.wav"]
    assert settling == report.settling == [fresh]
    assert (report.seen, report.unchanged) == (2, 0)
    assert catalogue.by_path(fresh) is None


def test_reading_a_vanished_file_says_nothing_and_an_unreadable_one_says_why(
    catalogue: BounceCatalogue, tmp_path: Path
) -> None:
    folder = tmp_path / "bounces"
    gone, damaged = write_distinct_wav(folder / "gone.wav"), write_distinct_wav(folder / "d.wav")
    new, _ = catalogue.register([gone, damaged])
    gone.unlink()
    with open(damaged, "r+b") as file:  # the header still says WAV, same size and mtime
        stat = os.fstat(file.fileno())
        file.seek(20)
        file.write(b"\xff\xff")  # an unknown sample format
    os.utime(damaged, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert catalogue.analyse(new[0]) is None
    assert catalogue.analyse(new[1]) == {
        "status": "unreadable",
        "reason": "cannot read as audio (error in wav/w64/rf64 file. malformed 'fmt ' chunk)",
        "analysed": True,
    }


def test_nothing_to_store_means_no_write(
    catalogue: BounceCatalogue, store: CountingStore, tmp_path: Path
) -> None:
    mix = write_distinct_wav(tmp_path / "bounces" / "mix.wav")
    (item,) = logged(catalogue, [mix])
    writes = store.writes["bounces"]
    found = catalogue.classify({item.record["id"]: item.record["hash"]})
    assert [i.kind for i in found] == ["same"]
    assert store.writes["bounces"] == writes
    assert catalogue.register([mix]) == ([], [])
    assert store.writes["bounces"] == writes


def test_unfinished_records_are_audio_not_yet_hashed_or_measured(
    catalogue: BounceCatalogue, tmp_path: Path
) -> None:
    folder = tmp_path / "bounces"
    done, pending = write_distinct_wav(folder / "done.wav"), write_distinct_wav(folder / "p.wav")
    noise = random_bytes(folder / "noise.wav")
    new, _ = catalogue.register([done, pending, noise])
    record = new[0]
    catalogue.classify(
        {record["id"]: catalogue.hash_file(record)}, {record["id"]: {"analysed": True}}
    )
    assert [r["name"] for r in catalogue.unfinished()] == ["p.wav"]


def test_the_analysis_queue_reads_a_record_once_and_urgent_ones_first(
    store: CountingStore, tmp_path: Path
) -> None:
    (tmp_path / "bounces").mkdir()
    catalogue = CountingCatalogue(store, tmp_path, lambda: CONTEXT)
    paths = [write_distinct_wav(tmp_path / "bounces" / f"take {n:02}.wav") for n in range(41)]
    new, _ = catalogue.register(paths)
    backlog, live = [record["id"] for record in new[:40]], new[40]["id"]
    batches: list[list[Identified]] = []
    queue = AnalysisQueue(catalogue, batches.append)
    queue.put(backlog)
    queue.put([live], urgent=True)
    queue.put([*backlog, live])  # a scan queues them all again: nothing waits twice
    assert queue.pending() == 41
    queue.start()
    try:
        assert queue.wait_idle(10.0)
    finally:
        queue.stop()
    assert "take 40.wav" in {item.record["name"] for item in batches[0]}  # urgent stays urgent
    assert sum(len(batch) for batch in batches) == 41
    assert set(catalogue.reads.values()) == {1}  # each file hashed once, measured once
    assert all(r["analysed"] and r["hash"] for r in catalogue.records())
