"""Catch-up on start: what appeared, changed or vanished while the app was closed is
registered, logged or marked missing; unchanged files are not read again; an export still
being written at start is left to settle; a run that ended mid-analysis is finished."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from phase_tui.loop.catalogue import BounceCatalogue
from tests.daw_writers import progressive_export, write_distinct_wav
from tests.unit.test_audio_files import random_bytes
from tests.unit.test_loop_logger import CONTEXT, CountingStore, Studio, studio, wait_until

__all__ = ["studio"]  # the fixture, shared with test_loop_logger

PAST_S = time.time() - 3600.0


def dated(path: Path, mtime_s: float = PAST_S) -> Path:
    os.utime(path, (mtime_s, mtime_s))
    return path


def test_what_changed_while_closed_is_caught_up_and_the_rest_is_not_read_again(
    studio: Callable[..., Studio],
) -> None:
    first = studio()
    folder = first.folder
    names = ["keep.wav", "changed.wav", "deleted.wav", "touched.wav", "corrupt.wav"]
    for name in names:
        write_distinct_wav(folder / name)
    assert first.wait_logged(5) == sorted(names)
    ids = {name: record["id"] for name, record in first.records().items()}
    first.logger.stop()

    # while the app is closed
    dated(write_distinct_wav(folder / "new.wav"))
    dated(write_distinct_wav(folder / "changed.wav", seconds=0.2), PAST_S + 1)
    (folder / "deleted.wav").unlink()
    dated(folder / "touched.wav", PAST_S + 2)
    corrupt = folder / "corrupt.wav"
    before = corrupt.stat()
    random_bytes(corrupt, size=before.st_size)  # unreadable now, but same size and mtime
    os.utime(corrupt, ns=(before.st_atime_ns, before.st_mtime_ns))

    second = studio()  # the app opens again: catch-up scan at start
    assert second.wait_logged(2) == ["changed.wav", "new.wav"]
    assert {event.kind for event in second.logged} == {"caught_up"}
    records = second.records()
    assert {name: records[name]["id"] for name in names} == ids  # the same records
    assert records["new.wav"]["status"] == "ok" and records["new.wav"]["analysed"]
    assert records["changed.wav"]["duration_s"] == 0.2
    assert records["deleted.wav"]["status"] == "missing"
    assert records["touched.wav"]["status"] == "ok"
    assert records["corrupt.wav"]["status"] == "ok"  # not probed again: size and mtime agree
    assert sorted(second.catalogue.reads) == [
        "hash changed.wav",
        "hash new.wav",
        "hash touched.wav",  # its mtime changed: read once to find it is the same audio
        "levels changed.wav",
        "levels new.wav",
        "levels touched.wav",
    ]
    events = second.bounce_events()
    assert sorted(e["name"] for e in events) == sorted([*names, "changed.wav", "new.wav"])
    assert sorted(e["name"] for e in events if e["caught_up"]) == ["changed.wav", "new.wav"]

    reads = dict(second.catalogue.reads)
    report = second.logger.scan()  # a re-scan of unchanged files reads no audio
    second.quiet()
    assert (report.seen, report.unchanged, report.new, report.changed) == (5, 5, [], [])
    assert dict(second.catalogue.reads) == reads
    assert len(second.bounce_events()) == len(events)


def test_an_export_still_being_written_at_start_is_logged_once_when_done(
    studio: Callable[..., Studio], tmp_path: Path
) -> None:
    folder = tmp_path / "studio" / "bounces"
    folder.mkdir(parents=True)
    exporting = threading.Thread(target=progressive_export, args=(folder / "exporting.wav", 1.2, 6))
    exporting.start()
    time.sleep(0.3)  # header and a chunk written when the app opens
    bounces = studio(settle_s=0.4)
    exporting.join()
    done_at = time.time()
    assert bounces.wait_logged(1) == ["exporting.wav"]
    record = bounces.records()["exporting.wav"]
    assert (record["status"], record["duration_s"]) == ("ok", 0.6)
    assert record["created_at"] >= done_at - 0.05  # not registered by the scan mid-export
    assert [event.kind for event in bounces.logged] == ["new"]
    assert bounces.notices == []  # never registered half-written, so never "incomplete"


def test_records_a_previous_run_left_unanalysed_are_finished_on_start(
    studio: Callable[..., Studio], tmp_path: Path
) -> None:
    root = tmp_path / "studio"
    (root / "bounces").mkdir(parents=True)
    files = [dated(write_distinct_wav(root / "bounces" / f"take {n}.wav")) for n in (1, 2)]
    store = CountingStore(root / ".phase_os")
    new, _ = BounceCatalogue(store, root, lambda: CONTEXT).register(files)  # then it quit
    assert [record["hash"] for record in new] == [None, None]
    store.close()
    bounces = studio()
    assert bounces.wait_logged(2) == ["take 1.wav", "take 2.wav"]
    assert all(r["hash"] and r["analysed"] for r in bounces.records().values())
    assert wait_until(lambda: len(bounces.bounce_events()) == 2)
