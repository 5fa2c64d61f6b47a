"""The Store: records, merge across machines, concurrency, crash safety, corruption."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from phase_tui.store import Store, StoreError, to_json_value

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys, time
from pathlib import Path
from phase_tui.store import Store
store = Store(Path(sys.argv[1]), sys.argv[2])
count, tag = int(sys.argv[3]), sys.argv[4]
print("ready", flush=True)
for i in range(count):
    store.insert("events", {"writer": tag, "n": i, "pad": "x" * 200})
"""


def run_writer(internal: Path, machine: str, count: int, tag: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(internal), machine, str(count), tag],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_insert_get_update_delete(tmp_path: Path) -> None:
    store = Store(tmp_path, "m1")
    made = store.insert("events", {"type": "x", "n": 1})
    assert len(made["id"]) == 26 and made["machine"] == "m1"
    assert store.get("events", made["id"])["n"] == 1
    store.update("events", made["id"], {"n": 2})
    assert store.get("events", made["id"])["n"] == 2
    store.delete("events", made["id"])
    assert store.get("events", made["id"]) is None
    assert store.all("events") == []
    with pytest.raises(KeyError):
        store.update("events", "nope", {"n": 3})


def test_records_survive_reopen_and_are_id_keyed_on_disk(tmp_path: Path) -> None:
    store = Store(tmp_path, "m1")
    ids = [r["id"] for r in store.insert_many("events", [{"n": i} for i in range(5)])]
    store.close()
    data = json.loads((tmp_path / "journal-m1.json").read_text())
    assert sorted(data["events"]) == sorted(ids)
    assert [r["n"] for r in Store(tmp_path, "m1").all("events")] == [0, 1, 2, 3, 4]


def test_latest_and_count(tmp_path: Path) -> None:
    store = Store(tmp_path, "m1")
    for i in range(4):
        store.insert("events", {"n": i})
        time.sleep(0.002)
    assert [r["n"] for r in store.latest("events", 2)] == [3, 2]
    assert store.count("events") == 4


def test_library_kind_lives_in_its_own_file(tmp_path: Path) -> None:
    store = Store(tmp_path, "m1")
    store.insert_many("samples", [{"name": f"s{i}"} for i in range(100)])
    before = (tmp_path / "library-m1.json").stat().st_mtime_ns
    store.insert("events", {"type": "phase"})
    assert (tmp_path / "library-m1.json").stat().st_mtime_ns == before
    assert "samples" not in json.loads((tmp_path / "journal-m1.json").read_text())


def test_machines_write_own_journals_and_reads_merge(tmp_path: Path) -> None:
    laptop, studio = Store(tmp_path, "laptop"), Store(tmp_path, "studio")
    mine = laptop.insert("bounces", {"name": "a"})
    studio.insert("bounces", {"name": "b"})
    assert {r["name"] for r in laptop.all("bounces")} == {"a", "b"}
    studio.update("bounces", mine["id"], {"name": "a2"})  # studio edits laptop's record
    laptop_file = json.loads((tmp_path / "journal-laptop.json").read_text())
    assert laptop_file["bounces"][mine["id"]]["name"] == "a"  # never written by studio
    assert laptop.get("bounces", mine["id"])["name"] == "a2"  # newest wins on read
    studio.delete("bounces", mine["id"])
    assert {r["name"] for r in laptop.all("bounces")} == {"b"}


def test_in_memory_store() -> None:
    store = Store(None, "mem")
    made = store.insert("events", {"n": 1})
    store.update("events", made["id"], {"n": 5})
    assert store.all("events")[0]["n"] == 5


def test_values_are_converted_at_the_boundary(tmp_path: Path) -> None:
    store = Store(tmp_path, "m1")
    made = store.insert(
        "bounces",
        {"peak": np.float32(0.5), "path": tmp_path, "tags": {"b", "a"}, "size": np.int64(3)},
    )
    again = Store(tmp_path, "m1").get("bounces", made["id"])
    assert again["peak"] == 0.5 and again["path"] == str(tmp_path)
    assert again["tags"] == ["a", "b"] and again["size"] == 3
    with pytest.raises(TypeError):
        to_json_value(object())


def test_a_failed_write_leaves_the_file_unchanged(tmp_path: Path) -> None:
    store = Store(tmp_path, "m1")
    store.insert("events", {"n": 1})
    before = (tmp_path / "journal-m1.json").read_bytes()
    with pytest.raises(TypeError):
        store.insert("events", {"bad": object()})
    os.chmod(tmp_path, 0o500)
    try:
        if os.geteuid() != 0:  # root ignores folder permissions
            with pytest.raises(StoreError):
                store.insert("events", {"n": 2})
    finally:
        os.chmod(tmp_path, 0o700)
    assert (tmp_path / "journal-m1.json").read_bytes() == before
    assert [r["n"] for r in store.all("events")] == [1]


def test_threads_lose_no_record(tmp_path: Path) -> None:
    store = Store(tmp_path, "m1")

    def write(tag: int) -> None:
        for i in range(50):
            store.insert("events", {"tag": tag, "n": i})

    threads = [threading.Thread(target=write, args=(t,)) for t in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.count("events") == 300
    assert Store(tmp_path, "m1").count("events") == 300


def test_two_processes_and_threads_lose_no_record(tmp_path: Path) -> None:
    procs = [run_writer(tmp_path, "m1", 150, tag) for tag in ("p1", "p2")]
    store = Store(tmp_path, "m1")

    def write() -> None:
        for i in range(75):
            store.insert("events", {"writer": "thread", "n": i})

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    records = Store(tmp_path, "m1").all("events")
    by_writer = {
        w: sorted(r["n"] for r in records if r["writer"] == w) for w in ("p1", "p2", "thread")
    }
    assert by_writer["p1"] == list(range(150))
    assert by_writer["p2"] == list(range(150))
    assert len(by_writer["thread"]) == 150
    assert len(records) == 450


def test_sigkill_at_random_moments_never_leaves_an_unreadable_file(tmp_path: Path) -> None:
    rng = random.Random(1234)
    journal = tmp_path / "journal-m1.json"
    for trial in range(60):
        proc = run_writer(tmp_path, "m1", 100_000, f"t{trial}")
        assert proc.stdout is not None
        proc.stdout.readline()  # "ready": the writer is inside its insert loop next
        time.sleep(rng.uniform(0.0, 0.08))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if journal.exists():
            json.loads(journal.read_text())  # raises on a torn file
    assert not list(tmp_path.glob("*.corrupt-*"))
    assert Store(tmp_path, "m1").count("events") > 0


def test_corrupt_file_is_reported_and_kept(tmp_path: Path) -> None:
    store = Store(tmp_path, "m1")
    store.insert("events", {"n": 1})
    store.close()
    journal = tmp_path / "journal-m1.json"
    journal.write_text('{"events": {"x": ')
    problems: list[str] = []
    reopened = Store(tmp_path, "m1", on_problem=problems.append)
    assert reopened.all("events") == []
    assert len(problems) == 1 and "journal-m1.json" in problems[0] and "kept as" in problems[0]
    kept = list(tmp_path.glob("journal-m1.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text() == '{"events": {"x": '
    reopened.insert("events", {"n": 2})
    assert [r["n"] for r in Store(tmp_path, "m1").all("events")] == [2]


def test_another_machines_corrupt_file_is_reported_not_moved(tmp_path: Path) -> None:
    (tmp_path / "journal-other.json").write_text("not json")
    problems: list[str] = []
    store = Store(tmp_path, "m1", on_problem=problems.append)
    store.insert("events", {"n": 1})
    assert [r["n"] for r in store.all("events")] == [1]
    assert problems and "journal-other.json" in problems[0]
    assert (tmp_path / "journal-other.json").read_text() == "not json"


def test_reads_are_cached_until_the_file_changes(tmp_path: Path) -> None:
    store = Store(tmp_path, "m1")
    store.insert_many("events", [{"n": i} for i in range(10)])
    first = store.all("events")
    journal = tmp_path / "journal-m1.json"
    calls = []
    original = json.loads

    def counting(text: str, *args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(text, *args, **kwargs)

    import phase_tui.store as store_module

    store_module.json.loads = counting  # type: ignore[assignment]
    try:
        assert store.all("events") == first
        assert calls == []
        other = Store(tmp_path, "m1")
        other.insert("events", {"n": 99})
        assert journal.exists()
        assert len(store.all("events")) == 11
        assert calls  # re-parsed because another writer changed the file
    finally:
        store_module.json.loads = original


def test_revision_changes_with_every_write_of_the_kind(tmp_path: Path) -> None:
    for store in (Store(tmp_path / "internal", "m1"), Store(None, "m1")):
        before = store.revision("memos")
        assert store.revision("memos") == before  # nothing changed
        record = store.insert("memos", {"text": "a"})
        after_insert = store.revision("memos")
        assert after_insert != before
        store.update("memos", record["id"], {"text": "b"})
        assert store.revision("memos") != after_insert
        store.close()


def test_revision_sees_another_process_writing(tmp_path: Path) -> None:
    ours = Store(tmp_path / "internal", "m1")
    theirs = Store(tmp_path / "internal", "m2")
    before = ours.revision("memos")
    theirs.insert("memos", {"text": "from the laptop"})
    assert ours.revision("memos") != before


TAGGER = """
import sys
from pathlib import Path
from phase_tui.store import Store
store = Store(Path(sys.argv[1]), "m1")
record_id, tag = sys.argv[2], sys.argv[3]
for i in range(40):
    store.modify("bounces", record_id, lambda r: {"tags": [*r["tags"], f"{tag}{i}"]})
"""


def test_modify_loses_no_edit_between_processes_and_threads(tmp_path: Path) -> None:
    store = Store(tmp_path, "m1")
    record = store.insert("bounces", {"name": "x.wav", "tags": []})
    children = [
        subprocess.Popen(
            [sys.executable, "-c", TAGGER, str(tmp_path), record["id"], tag],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for tag in ("a", "b")
    ]

    def tag_here() -> None:
        for i in range(40):
            store.modify("bounces", record["id"], lambda r, i=i: {"tags": [*r["tags"], f"c{i}"]})

    thread = threading.Thread(target=tag_here)
    thread.start()
    for child in children:
        assert child.wait(timeout=60) == 0
    thread.join()
    tags = Store(tmp_path, "m1").get("bounces", record["id"])["tags"]
    assert sorted(tags) == sorted(f"{p}{i}" for p in "abc" for i in range(40))


def test_modify_all_changes_only_what_it_returns_fields_for(tmp_path: Path) -> None:
    store = Store(tmp_path, "m1")
    kept = store.insert("memos", {"tags": ["a"]})
    changed = store.insert("memos", {"tags": ["b"]})
    written = store.modify_all("memos", lambda r: {"tags": ["c"]} if r["tags"] == ["b"] else None)
    assert [r["id"] for r in written] == [changed["id"]]
    assert store.get("memos", kept["id"])["updated_at"] == kept["updated_at"]
    with pytest.raises(KeyError):
        store.modify("memos", "nope", lambda r: {})
