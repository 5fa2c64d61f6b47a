"""The curation queue: order, filters, decisions kept with session and phase, rejected and
approved samples gone for good, skipped ones last, undo, progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from phase_tui.oracle.curation import DECISIONS, CurationQueue, QueueFilter, approved
from phase_tui.store import Store

NOW = 1_795_435_200.0


def library(folder: Path) -> Store:
    store = Store(folder, "m1")
    store.insert_many(
        "samples",
        [
            {"id": "S1", "name": "kick_punchy.wav", "crate": "demo", "duration_s": 0.4},
            {"id": "S2", "name": "snare_tight.wav", "crate": "demo", "duration_s": 0.3},
            {"id": "S3", "name": "pad_loop_90bpm_Eb.wav", "crate": "demo", "duration_s": 10.7},
            {"id": "S4", "name": "Kick 808.wav", "crate": "drums", "duration_s": 1.2},
            {"id": "S5", "name": "broken.wav", "crate": "drums", "status": "unreadable"},
        ],
    )
    store.insert("sample_tags", {"id": "S3", "tags": ["dark"]})
    return store


def queue(store: Store, clock: list[float]) -> CurationQueue:
    return CurationQueue(
        store, session=lambda: "amber", phase=lambda: "oracle", clock=lambda: clock[0]
    )


def names(records: list[dict]) -> list[str]:
    return [r["name"] for r in records]


def test_the_queue_holds_readable_undecided_samples_by_crate_and_name(tmp_path: Path) -> None:
    curation = queue(library(tmp_path), [NOW])
    assert names(curation.samples()) == [
        "kick_punchy.wav", "pad_loop_90bpm_Eb.wav", "snare_tight.wav", "Kick 808.wav",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kick", ["kick_punchy.wav", "Kick 808.wav"]),
        ("crate:drums", ["Kick 808.wav"]),
        ("tag:#Dark", ["pad_loop_90bpm_Eb.wav"]),
        ("-1s", ["kick_punchy.wav", "snare_tight.wav"]),
        ("1-11s", ["pad_loop_90bpm_Eb.wav", "Kick 808.wav"]),
        ("crate:demo 0.35-s kick", ["kick_punchy.wav"]),
    ],
)
def test_filters(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert names(queue(library(tmp_path), [NOW]).samples(QueueFilter.parse(text))) == expected


def test_decisions_are_kept_with_session_and_phase_and_undone(tmp_path: Path) -> None:
    store = library(tmp_path)
    clock = [NOW]
    curation = queue(store, clock)
    curation.decide("S1", "rejected")
    curation.decide("S2", "skipped")
    clock[0] += 5
    curation.decide("S3", "approved")
    kept = store.get(DECISIONS, "S1")
    assert (kept["decision"], kept["session"], kept["phase"], kept["at"]) == (
        "rejected", "amber", "oracle", NOW,
    )  # fmt: skip
    assert names(curation.samples()) == ["Kick 808.wav", "snare_tight.wav"]  # skipped: last
    assert approved(store) == ["S3"]
    progress = curation.progress(len(curation.samples()))
    assert (progress.done, progress.total) == (2, 4)
    assert progress.text() == "◆ 2/4 · ✓1 ✗1 ↷1"

    again = queue(Store(tmp_path, "m1"), clock)  # a new app: rejected samples never come back
    assert "kick_punchy.wav" not in names(again.samples())

    curation.decide("S2", "approved")  # a skipped sample approved later
    assert curation.undo() == "S2"
    assert store.get(DECISIONS, "S2")["decision"] == "skipped"  # the earlier decision is back
    assert curation.undo() == "S3" and store.get(DECISIONS, "S3") is None
    assert curation.undo() == "S2" and curation.undo() == "S1" and curation.undo() is None
    assert store.all(DECISIONS) == []
    with pytest.raises(ValueError, match="not a decision"):
        curation.decide("S1", "maybe")
