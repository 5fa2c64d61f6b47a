"""The bounce logger end to end: real files, real watchdog, a real Store on disk.

watcher -> settle -> catalogue -> journal event -> background analysis. Each test drops
files the ways DAWs, file managers and producers do, then checks the Store (bounce records,
`bounce` events in the journal) and what the logger emitted (BounceLogged, Notice,
WatchHealthChanged). The harness here is shared by `test_loop_catchup`.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from phase_tui.audio import probe as probe_module
from phase_tui.config import default_config
from phase_tui.config.settings import WatchSettings
from phase_tui.events import BounceLogged, Event, Notice, WatchHealthChanged
from phase_tui.loop import mounts
from phase_tui.loop.catalogue import BOUNCES, BounceCatalogue
from phase_tui.loop.logger import BounceLogger
from phase_tui.store import Record, Store, StoreError
from tests.daw_writers import (
    copy_in,
    distinct_samples,
    progressive_export,
    wav_header,
    write_distinct_wav,
)
from tests.helpers import wait_until
from tests.unit.test_audio_files import random_bytes, text_named_mp3

SETTLE_S = 0.25
CONTEXT = {"session": "s1", "phase": "oracle", "form": None}


class CountingStore(Store):
    """A real Store on disk that counts its writes per kind (and can fail one on purpose)."""

    def __init__(self, internal_dir: Path) -> None:
        super().__init__(internal_dir, "test-machine")
        self.writes: Counter[str] = Counter()
        self.fail_next: str | None = None  # a kind whose next insert raises

    def insert_many(self, kind: str, records: Any) -> list[Record]:
        records = list(records)
        if self.fail_next == kind:
            self.fail_next = None
            raise StoreError("disk full (on purpose)")
        self.writes[kind] += bool(records)
        return super().insert_many(kind, records)

    def update_many(self, kind: str, changes: Mapping[str, Mapping[str, Any]]) -> list[Record]:
        self.writes[kind] += 1
        return super().update_many(kind, changes)

    def delete(self, kind: str, record_id: str) -> None:
        self.writes[kind] += 1
        super().delete(kind, record_id)


class CountingCatalogue(BounceCatalogue):
    """The real catalogue, counting the files it reads; `before_read` may act first."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reads: Counter[str] = Counter()
        self.before_read: Callable[[str, Mapping[str, Any]], None] = lambda step, record: None

    def hash_file(self, record: Mapping[str, Any]) -> str | None:
        self.reads[f"hash {record['name']}"] += 1
        self.before_read("hash", record)
        return super().hash_file(record)

    def analyse(self, record: Mapping[str, Any]) -> dict[str, Any] | None:
        self.reads[f"levels {record['name']}"] += 1
        self.before_read("levels", record)
        return super().analyse(record)


class Studio:
    """A BounceLogger over `root` (export folder `root/bounces`), recording what it emits."""

    def __init__(
        self,
        root: Path,
        settle_s: float = SETTLE_S,
        reconcile_minutes: float = 0.0,
        folder: Path | None = None,
    ) -> None:
        self.root = root
        self.folder = folder or root / "bounces"
        watch = WatchSettings(
            folders=(str(self.folder),), settle_s=settle_s, reconcile_minutes=reconcile_minutes
        )
        self.store = CountingStore(root / ".phase_os")
        self.catalogue = CountingCatalogue(self.store, root, lambda: CONTEXT)
        self.emitted: list[Event] = []
        self.fail_emit: type | None = None  # an event type whose next emit raises
        self.logger = BounceLogger(
            root,
            replace(default_config(), watch=watch),
            self.store,
            lambda: CONTEXT,
            self._emit,
            catalogue=self.catalogue,
            poll_interval_s=0.1,
            rearm_interval_s=0.2,
        )

    def _emit(self, event: Event) -> None:
        self.emitted.append(event)
        if self.fail_emit is not None and isinstance(event, self.fail_emit):
            self.fail_emit = None
            raise RuntimeError("the app exploded (on purpose)")

    @property
    def logged(self) -> list[BounceLogged]:
        return [e for e in self.emitted if isinstance(e, BounceLogged)]

    @property
    def notices(self) -> list[str]:
        return [e.text for e in self.emitted if isinstance(e, Notice)]

    @property
    def health(self) -> list[tuple[str, str]]:
        return [(e.mode, e.detail) for e in self.emitted if isinstance(e, WatchHealthChanged)]

    def logged_names(self) -> list[str]:
        return sorted(e.record["name"] for e in self.logged)

    def wait_logged(self, count: int, timeout_s: float = 5.0) -> list[str]:
        """The names logged once `count` bounces were, after the pipeline went quiet."""
        assert wait_until(lambda: len(self.logged) >= count, timeout_s), self.logged_names()
        self.quiet()
        return self.logged_names()

    def quiet(self) -> None:
        """Wait until nothing is settling or being analysed, plus a settle for late events."""
        time.sleep(SETTLE_S)
        assert wait_until(lambda: self.logger.settle.pending() == 0)
        assert self.logger.analysis.wait_idle(5.0)

    def records(self) -> dict[str, Record]:
        """Bounce records in the Store, by file name."""
        return {record["name"]: record for record in self.store.all(BOUNCES)}

    def bounce_events(self) -> list[Record]:
        """The `bounce` events of the journal."""
        return [event for event in self.store.all("events") if event["type"] == "bounce"]

    def event_names(self) -> list[str]:
        return sorted(event["name"] for event in self.bounce_events())


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[Callable[..., Studio]]:
    """Make and start a logged studio in `tmp_path / "studio"`; on teardown, stop every
    logger made and check that no thread was left behind."""
    threads_before = set(threading.enumerate())
    made: list[Studio] = []

    def make(**options: Any) -> Studio:
        made.append(Studio(tmp_path / "studio", **options))
        made[-1].logger.start()
        return made[-1]

    yield make
    for one in made:
        one.logger.stop()
    assert wait_until(lambda: set(threading.enumerate()) <= threads_before)


# ---------------------------------------------------------------------- arrivals
def test_every_way_a_bounce_arrives_logs_it_once_complete_with_its_length(
    studio: Callable[..., Studio], tmp_path: Path
) -> None:
    bounces = studio(settle_s=0.3)
    folder = bounces.folder
    exported: list[float] = []
    daw = threading.Thread(  # header first, 10 chunks over 2 s, header patched last
        target=lambda: exported.append(
            progressive_export(folder / "memory spike.wav", duration_s=2.0, chunks=10)
        )
    )
    daw.start()
    (folder / "glass pads.wav.tmp").write_bytes(wav_header(0))  # a temp name, then renamed
    with open(folder / "glass pads.wav.tmp", "ab") as file:
        file.write(distinct_samples(0.3, seed=1))
    _patch_header(folder / "glass pads.wav.tmp")
    os.rename(folder / "glass pads.wav.tmp", folder / "glass pads.wav")
    copy_in(write_distinct_wav(tmp_path / "night drive.wav", seconds=0.4), folder)
    album = tmp_path / "album"
    (album / "disc 2").mkdir(parents=True)
    write_distinct_wav(album / "intro.wav", seconds=0.5)
    write_distinct_wav(album / "disc 2" / "outro.wav", seconds=0.6)
    os.rename(album, folder / "album")
    daw.join()
    names = ["glass pads.wav", "intro.wav", "memory spike.wav", "night drive.wav", "outro.wav"]
    assert bounces.wait_logged(5) == names
    assert bounces.event_names() == names  # one journal event each
    records = bounces.records()
    lengths_s = {name: round(records[name]["duration_s"], 3) for name in names}
    assert lengths_s == {
        "glass pads.wav": 0.3,
        "intro.wav": 0.5,
        "memory spike.wav": 1.0,  # the whole export, not the frames present at `created`
        "night drive.wav": 0.4,
        "outro.wav": 0.6,
    }
    assert records["outro.wav"]["path"] == "bounces/album/disc 2/outro.wav"
    assert all(records[name]["status"] == "ok" and records[name]["analysed"] for name in names)
    assert {event.kind for event in bounces.logged} == {"new"}
    assert all(not event["caught_up"] and event["phase"] == "oracle" for event in
               bounces.bounce_events())  # fmt: skip


def _patch_header(path: Path) -> None:
    """Write the real data size into a WAV written with a 0 size (what a DAW does last)."""
    data_bytes = path.stat().st_size - 44
    with open(path, "r+b") as file:
        file.write(wav_header(data_bytes))


def test_a_bounce_is_logged_within_a_second_of_the_export_closing(
    studio: Callable[..., Studio], tmp_path: Path
) -> None:
    """The close-after-write shortens the wait: with a settle time of 1 s, a DAW's export
    is logged well within 1 s of its last write; a file renamed in waits the full second."""
    bounces = studio(settle_s=1.0)
    last_write = progressive_export(bounces.folder / "latency.wav", duration_s=0.4, chunks=4)
    assert wait_until(lambda: len(bounces.logged) == 1, 3.0)
    logged_after_s = time.monotonic() - last_write
    assert logged_after_s < 0.9
    assert bounces.logged[0].record["duration_s"] == pytest.approx(0.4)
    outside = write_distinct_wav(tmp_path / "renamed in.wav")
    renamed_at = time.monotonic()
    os.rename(outside, bounces.folder / "renamed in.wav")
    assert wait_until(lambda: len(bounces.logged) == 2, 3.0)
    assert time.monotonic() - renamed_at >= 1.0


# ---------------------------------------------------------------------- bad files
def test_files_that_are_not_whole_audio_are_recorded_with_a_reason_and_never_logged(
    studio: Callable[..., Studio],
) -> None:
    bounces = studio()
    folder = bounces.folder
    (folder / "zero.wav").write_bytes(b"")
    (folder / "header only.wav").write_bytes(wav_header(0))
    cut = distinct_samples(1.0, seed=3)
    (folder / "cut.wav").write_bytes(wav_header(len(cut)) + cut[: len(cut) // 5])
    random_bytes(folder / "noise.wav")
    text_named_mp3(folder / "lyrics.mp3")
    write_distinct_wav(folder / "good.wav")
    assert bounces.wait_logged(1) == ["good.wav"]
    assert wait_until(lambda: len(bounces.records()) == 6)
    bounces.quiet()
    records = bounces.records()
    found = {name: (r["status"], r["reason"]) for name, r in records.items()}
    assert found == {
        "zero.wav": ("unreadable", "empty file (0 bytes)"),
        "header only.wav": ("empty", "no audio data"),
        "cut.wav": ("incomplete", "truncated: the header promises 1.0 s, the file holds 0.2 s"),
        "noise.wav": ("unreadable", "not an audio file (format not recognised)"),
        "lyrics.mp3": ("unreadable", "not an MP3 stream (no MPEG audio frames found)"),
        "good.wav": ("ok", None),
    }
    assert records["cut.wav"]["duration_s"] == pytest.approx(0.2)  # what is there, not 1 s
    assert bounces.event_names() == ["good.wav"]
    warned = sorted(text.split(":")[0] for text in bounces.notices)
    assert warned == [
        "Empty bounce header only.wav",
        "Incomplete bounce cut.wav",
        "Unreadable bounce lyrics.mp3",
        "Unreadable bounce noise.wav",
        "Unreadable bounce zero.wav",
    ]

    # each is tried again once it changes, and logged once it is whole
    write_distinct_wav(folder / "noise.wav", seconds=0.3)
    (folder / "cut.wav").write_bytes(wav_header(len(cut)) + cut)
    write_distinct_wav(folder / "zero.wav", seconds=0.2)
    assert bounces.wait_logged(4) == ["cut.wav", "good.wav", "noise.wav", "zero.wav"]
    records = bounces.records()
    assert records["cut.wav"]["status"] == "ok" and records["cut.wav"]["duration_s"] == 1.0
    assert records["noise.wav"]["status"] == "ok" and records["noise.wav"]["reason"] is None
    assert bounces.event_names() == ["cut.wav", "good.wav", "noise.wav", "zero.wav"]
    assert len(records) == 6


def test_many_unreadable_files_at_once_raise_a_few_notices_not_a_flood(
    studio: Callable[..., Studio], tmp_path: Path
) -> None:
    bounces = studio()
    dump = tmp_path / "dump"
    dump.mkdir()
    for index in range(12):
        random_bytes(dump / f"noise {index:02}.wav", size=1000 + index)
    os.rename(dump, bounces.folder / "dump")  # one folder event: one batch
    assert wait_until(lambda: len(bounces.records()) == 12)
    bounces.quiet()
    assert {record["status"] for record in bounces.records().values()} == {"unreadable"}
    assert len(bounces.notices) == 5
    assert bounces.notices[-1] == "... and 8 more like it (phase-os bounces)"


# ---------------------------------------------------------------------- names and links
def test_odd_names_are_logged_as_they_are(studio: Callable[..., Studio]) -> None:
    bounces = studio()
    names = [
        "memory spike v2.wav",
        "Café.wav",  # NFC
        "Cafe\u0301.wav",  # NFD: another file on Linux
        "-rf x.wav",
        "--help.wav",
        "new\nline.wav",
        "tab\there.wav",
        "keys 🎹 [final] (2).wav",
        "back\\slash: colon.wav",
    ]
    for name in names:
        write_distinct_wav(bounces.folder / name)
    assert bounces.wait_logged(len(names)) == sorted(names)
    assert bounces.event_names() == sorted(names)
    records = bounces.records()
    assert sorted(records) == sorted(names)
    assert all(records[name]["path"] == f"bounces/{name}" for name in names)
    assert records["Café.wav"]["track"] == records["Cafe\u0301.wav"]["track"] == "café"


def test_a_link_loop_and_a_link_to_a_file_give_one_record_per_real_file(
    studio: Callable[..., Studio], tmp_path: Path
) -> None:
    bounces = studio()
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "up").symlink_to("..", target_is_directory=True)  # tree/sub/up -> tree
    write_distinct_wav(tree / "a.wav")
    write_distinct_wav(tree / "sub" / "b.wav")
    (tree / "link to a.wav").symlink_to("a.wav")
    os.rename(tree, bounces.folder / "tree")
    assert bounces.wait_logged(2) == ["a.wav", "b.wav"]
    bounces.logger.scan()  # the catch-up walk does not follow the loop either
    bounces.quiet()
    paths = sorted(record["path"] for record in bounces.records().values())
    assert paths == ["bounces/tree/a.wav", "bounces/tree/sub/b.wav"]
    assert bounces.event_names() == ["a.wav", "b.wav"]


# ---------------------------------------------------------------------- reading races
def test_a_file_deleted_while_it_is_read_leaves_no_bogus_record(
    studio: Callable[..., Studio],
) -> None:
    bounces = studio()

    def delete_first(step: str, record: Mapping[str, Any]) -> None:
        doomed = {"hash": "deleted while hashed.wav", "levels": "deleted while measured.wav"}
        if record["name"] == doomed[step]:
            bounces.catalogue.resolve(record).unlink(missing_ok=True)

    bounces.catalogue.before_read = delete_first
    write_distinct_wav(bounces.folder / "deleted while hashed.wav")
    write_distinct_wav(bounces.folder / "deleted while measured.wav")
    assert wait_until(lambda: bounces.catalogue.reads["levels deleted while measured.wav"] == 1)
    write_distinct_wav(bounces.folder / "after.wav")
    assert bounces.wait_logged(2) == ["after.wav", "deleted while measured.wav"]
    records = bounces.records()
    assert "deleted while hashed.wav" not in records  # never read whole: no record at all
    measured = records["deleted while measured.wav"]  # logged, then gone: missing
    assert (measured["status"], measured["analysed"]) == ("missing", False)
    assert records["after.wav"]["status"] == "ok" and records["after.wav"]["analysed"]
    assert bounces.event_names() == ["after.wav", "deleted while measured.wav"]


# ---------------------------------------------------------------------- volume
def test_a_thousand_files_at_once_are_each_logged_once_in_batched_writes(
    studio: Callable[..., Studio],
) -> None:
    bounces = studio()
    names = [f"stem {index:04}.wav" for index in range(1000)]
    for name in names:
        write_distinct_wav(bounces.folder / name, seconds=0.01)
    assert bounces.wait_logged(1000, timeout_s=30) == names
    assert bounces.event_names() == names
    records = bounces.records()
    assert len(records) == 1000 and all(r["analysed"] for r in records.values())
    assert bounces.store.writes["bounces"] <= 100, bounces.store.writes  # 3,000 one by one
    assert bounces.store.writes["events"] <= 25, bounces.store.writes


# ---------------------------------------------------------------------- failures
def test_a_deleted_and_recreated_folder_is_watched_again(studio: Callable[..., Studio]) -> None:
    bounces = studio()
    write_distinct_wav(bounces.folder / "before.wav")
    assert bounces.wait_logged(1) == ["before.wav"]
    shutil.rmtree(bounces.folder)
    assert wait_until(lambda: bounces.health[-1][0] == "missing")
    bounces.folder.mkdir()
    assert wait_until(lambda: bounces.health[-1][0] == "inotify")
    write_distinct_wav(bounces.folder / "after.wav")
    assert bounces.wait_logged(2) == ["after.wav", "before.wav"]
    assert [mode for mode, _ in bounces.health] == ["inotify", "missing", "inotify"]
    assert bounces.records()["before.wav"]["status"] == "missing"


def test_failures_while_handling_events_do_not_stop_the_logging(
    studio: Callable[..., Studio], caplog: pytest.LogCaptureFixture
) -> None:
    bounces = studio()
    bounces.fail_emit = BounceLogged  # the app's handler raises
    write_distinct_wav(bounces.folder / "first.wav")
    assert bounces.wait_logged(1) == ["first.wav"]
    assert "on purpose" in caplog.text
    bounces.store.fail_next = BOUNCES  # the Store refuses a write: the file is not registered
    write_distinct_wav(bounces.folder / "refused.wav")
    assert wait_until(lambda: "disk full" in caplog.text)
    write_distinct_wav(bounces.folder / "second.wav")
    assert bounces.wait_logged(2) == ["first.wav", "second.wav"]
    bounces.logger.scan()  # the reconcile scan finds what the failure dropped
    assert bounces.wait_logged(3) == ["first.wav", "refused.wav", "second.wav"]
    assert bounces.event_names() == ["first.wav", "refused.wav", "second.wav"]
    assert [mode for mode, _ in bounces.health] == ["inotify"]


def test_a_file_that_trips_a_library_bug_fails_alone(
    studio: Callable[..., Studio], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real_probe = probe_module.probe

    def probe(path: Path) -> Any:
        if path.name == "cursed.wav":
            raise TypeError("a bug in the audio layer (on purpose)")
        return real_probe(path)

    monkeypatch.setattr(probe_module, "probe", probe)
    bounces = studio()
    for name in ["cursed.wav", "fine 1.wav", "fine 2.wav"]:  # one settle batch
        write_distinct_wav(bounces.folder / name)
    assert bounces.wait_logged(2) == ["fine 1.wav", "fine 2.wav"]
    cursed = bounces.records()["cursed.wav"]
    assert cursed["status"] == "unreadable"
    assert cursed["reason"] == (
        "reading failed unexpectedly (TypeError: a bug in the audio layer (on purpose)); "
        "see the log"
    )
    assert "reading the header of" in caplog.text and "Traceback" in caplog.text


def test_the_reconcile_scan_finds_files_whose_events_were_lost(
    studio: Callable[..., Studio],
) -> None:
    bounces = studio(reconcile_minutes=0.01)  # every 0.6 s
    write_distinct_wav(bounces.folder / "seen.wav")
    assert bounces.wait_logged(1) == ["seen.wav"]
    bounces.logger.watcher.stop()  # as if the kernel's event queue overflowed
    assert bounces.health[-1] == ("stopped", "not watching")
    lost = ["lost 1.wav", "lost 2.wav", "sub/lost 3.wav"]
    (bounces.folder / "sub").mkdir()
    for name in lost:
        write_distinct_wav(bounces.folder / name)
    assert bounces.wait_logged(4, timeout_s=5) == ["lost 1.wav", "lost 2.wav", "lost 3.wav",
                                                   "seen.wav"]  # fmt: skip
    assert bounces.event_names() == ["lost 1.wav", "lost 2.wav", "lost 3.wav", "seen.wav"]


def test_sidecars_after_their_audio_change_nothing(studio: Callable[..., Studio]) -> None:
    bounces = studio()
    write_distinct_wav(bounces.folder / "x.wav")
    assert bounces.wait_logged(1) == ["x.wav"]
    before = (dict(bounces.catalogue.reads), bounces.records(), len(bounces.emitted))
    for name in ["x.asd", "x.wav.asd", "x.wav.reapeaks", "x.reapindex", "._x.wav", ".DS_Store"]:
        (bounces.folder / name).write_bytes(b"sidecar " * 64)
    bounces.quiet()
    after = (dict(bounces.catalogue.reads), bounces.records(), len(bounces.emitted))
    assert after == before
    assert bounces.event_names() == ["x.wav"]


# ---------------------------------------------------------------------- identity
def test_duplicates_moves_and_deletions_keep_the_history(
    studio: Callable[..., Studio], tmp_path: Path
) -> None:
    bounces = studio()
    for name in ["memory spike.wav", "glass pads.wav", "night drive.wav"]:
        write_distinct_wav(bounces.folder / name)
    assert bounces.wait_logged(3)
    first = bounces.records()
    shutil.copy(bounces.folder / "memory spike.wav", bounces.folder / "memory spike again.wav")
    (bounces.folder / "pads").mkdir()
    os.rename(bounces.folder / "glass pads.wav", bounces.folder / "pads" / "glass pads v1.wav")
    (bounces.folder / "night drive.wav").unlink()
    assert wait_until(lambda: len(bounces.notices) == 2)
    bounces.quiet()
    records = bounces.records()
    again = records["memory spike again.wav"]
    assert (again["status"], again["duplicate_of"]) == (
        "duplicate",
        first["memory spike.wav"]["id"],
    )
    moved = records["glass pads v1.wav"]
    assert moved["id"] == first["glass pads.wav"]["id"]  # the same record, with its history
    assert (moved["path"], moved["status"]) == ("bounces/pads/glass pads v1.wav", "ok")
    assert "glass pads.wav" not in records
    gone = records["night drive.wav"]
    assert (gone["id"], gone["status"]) == (first["night drive.wav"]["id"], "missing")
    assert gone["missing_since"] is not None
    assert sorted(bounces.notices) == [
        "glass pads.wav moved to bounces/pads/glass pads v1.wav",
        "memory spike again.wav is identical to memory spike.wav: noted as a duplicate",
    ]
    assert bounces.event_names() == ["glass pads.wav", "memory spike.wav", "night drive.wav"]


def test_a_folder_moved_out_leaves_its_bounces_missing(
    studio: Callable[..., Studio], tmp_path: Path
) -> None:
    bounces = studio()
    (bounces.folder / "album" / "disc 2").mkdir(parents=True)
    for name in ["intro.wav", "disc 2/outro.wav"]:
        write_distinct_wav(bounces.folder / "album" / name)
    write_distinct_wav(bounces.folder / "single.wav")
    assert bounces.wait_logged(3) == ["intro.wav", "outro.wav", "single.wav"]
    os.rename(bounces.folder / "album", tmp_path / "album")  # no event for the files inside
    assert wait_until(lambda: bounces.records()["outro.wav"]["status"] == "missing")
    statuses = {name: record["status"] for name, record in bounces.records().items()}
    assert statuses == {"intro.wav": "missing", "outro.wav": "missing", "single.wav": "ok"}


def test_a_reexport_is_logged_and_a_touch_or_a_return_is_not(
    studio: Callable[..., Studio], tmp_path: Path
) -> None:
    bounces = studio()
    mix = write_distinct_wav(bounces.folder / "mix.wav")
    assert bounces.wait_logged(1) == ["mix.wav"]
    write_distinct_wav(mix, seconds=0.3)  # re-exported under the same name
    assert bounces.wait_logged(2) == ["mix.wav", "mix.wav"]
    assert [event.kind for event in bounces.logged] == ["new", "reexport"]
    os.utime(mix, (1e9, 1e9))  # touched: same bytes, another mtime
    os.rename(mix, tmp_path / "mix.wav")  # away...
    assert wait_until(lambda: bounces.records()["mix.wav"]["status"] == "missing")
    os.rename(tmp_path / "mix.wav", mix)  # ...and back
    assert wait_until(lambda: bounces.records()["mix.wav"]["status"] == "ok")
    bounces.logger.scan()
    bounces.quiet()
    assert len(bounces.logged) == 2 and len(bounces.bounce_events()) == 2
    assert bounces.records()["mix.wav"]["duration_s"] == pytest.approx(0.3)


def test_versions_of_a_track_share_it(studio: Callable[..., Studio]) -> None:
    bounces = studio()
    names = ["memory-spike-v2.wav", "memory spike v3.wav", "Memory Spike (final).wav"]
    for name in names:
        write_distinct_wav(bounces.folder / name)
    assert bounces.wait_logged(3) == sorted(names)
    records = bounces.records()
    assert {records[name]["track"] for name in names} == {"memory spike"}
    assert [records[name]["version"] for name in names] == ["v2", "v3", "final"]
    assert {event["track"] for event in bounces.bounce_events()} == {"memory spike"}


# ---------------------------------------------------------------------- health
def test_a_network_drive_is_polled_says_so_and_logs(
    studio: Callable[..., Studio], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = tmp_path / "mounts"
    table.write_text(f"/dev/sda1 / ext4 rw 0 0\n//nas/music {tmp_path} cifs rw,vers=3.1.1 0 0\n")
    monkeypatch.setattr(mounts, "MOUNTS_FILE", table)
    bounces = studio()
    assert bounces.health == [("polling", "network drive (cifs); polling every 0.1 s")]
    write_distinct_wav(bounces.folder / "from the nas.wav")
    assert bounces.wait_logged(1) == ["from the nas.wav"]
    bounces.logger.stop()
    assert bounces.health[-1] == ("stopped", "not watching")


def test_a_missing_export_folder_is_reported_not_silent(
    studio: Callable[..., Studio], tmp_path: Path
) -> None:
    outside = tmp_path / "usb drive" / "bounces"  # outside the studio: never created for it
    bounces = studio(folder=outside)
    assert bounces.health == [("missing", "folder not found; watching for it to return")]
    outside.mkdir(parents=True)
    write_distinct_wav(outside / "plugged in.wav")
    assert bounces.wait_logged(1) == ["plugged in.wav"]
    assert [mode for mode, _ in bounces.health] == ["missing", "inotify"]
    assert bounces.records()["plugged in.wav"]["path"] == str(outside / "plugged in.wav")
