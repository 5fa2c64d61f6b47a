"""The sample library: incremental import (a stat per unchanged file, no re-analysis), changed,
deleted and unreadable files, playlists' broken lines, one sample per file, progress and
cancel, `find`; and the crate miner's schedule."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from phase_tui.config.settings import OracleSettings
from phase_tui.oracle import features
from phase_tui.oracle.crates import Source, crate_sources
from phase_tui.oracle.library import SAMPLES, SampleLibrary
from phase_tui.oracle.miner import CRATE_SCANS, CrateMiner
from phase_tui.store import Store
from tests.helpers import make_studio

DAY = 86400.0


def tone(path: Path, seconds: float = 0.3, hz: float = 220.0, rate: int = 22050) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, 0.5 * np.sin(2 * np.pi * hz * t), rate)
    return path


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files analysed (the real analysis runs)."""
    calls: list[str] = []
    real = features.analyse_sample

    def counting(path: Path, max_seconds: float = 30.0) -> features.SampleAnalysis:
        calls.append(path.name)
        return real(path, max_seconds)

    monkeypatch.setattr(features, "analyse_sample", counting)
    return calls


def library_at(root: Path) -> tuple[SampleLibrary, Store]:
    store = Store(root / ".phase_os", "m1")
    return SampleLibrary(store, root, root / ".phase_os" / "cache" / "features.npz"), store


def by_name(library: SampleLibrary) -> dict[str, dict]:
    return {record["name"]: record for record in library.records()}


def test_import_is_incremental_and_follows_changes(tmp_path: Path, analysed: list[str]) -> None:
    root = tmp_path / "studio"
    drums = root / "crates" / "drums"
    tone(drums / "kick_120bpm_Am.wav", 0.2, 60)
    tone(drums / "snare.flac", 0.25, 200)
    tone(drums / "hat.wav", 0.1, 5000)
    sources = [Source("folder", drums, "drums")]
    library, store = library_at(root)
    first = library.import_sources(sources)
    assert (first.new, first.changed, first.unchanged, first.missing) == (3, 0, 0, 0)
    assert sorted(analysed) == ["hat.wav", "kick_120bpm_Am.wav", "snare.flac"]
    kick = by_name(library)["kick_120bpm_Am.wav"]
    assert kick["path"] == "crates/drums/kick_120bpm_Am.wav" and kick["crate"] == "drums"
    assert kick["status"] == "ok" and kick["bpm"] == 120 and kick["key"] == "A minor"
    assert kick["duration_s"] == pytest.approx(0.2, abs=0.01) and kick["channels"] == 1
    assert "tags" not in kick
    assert sorted(library.features().ids) == sorted(r["id"] for r in library.records())

    analysed.clear()
    again = SampleLibrary(store, root, library.features_path).import_sources(sources)
    assert (again.new, again.changed, again.unchanged, again.missing) == (0, 0, 3, 0)
    assert analysed == []
    revision = store.revision(SAMPLES)
    library.import_sources(sources)
    assert store.revision(SAMPLES)[1:] == revision[1:]  # the library file was not written

    tone(drums / "hat.wav", 0.5, 4000)
    os.utime(drums / "hat.wav", ns=(1, 1))
    (drums / "snare.flac").unlink()
    third = library.import_sources(sources)
    assert (third.new, third.changed, third.unchanged, third.missing) == (0, 1, 1, 1)
    assert analysed == ["hat.wav"]
    records = by_name(library)
    assert records["hat.wav"]["duration_s"] == pytest.approx(0.5, abs=0.01)
    assert records["snare.flac"]["status"] == "missing"
    assert records["snare.flac"]["id"] not in library.features().ids
    assert library.import_sources(sources).missing == 0  # already missing


def test_a_lost_feature_cache_is_refilled(tmp_path: Path, analysed: list[str]) -> None:
    root = tmp_path / "studio"
    tone(root / "crates" / "a" / "one.wav")
    library, _ = library_at(root)
    sources = [Source("folder", root / "crates" / "a", "a")]
    library.import_sources(sources)
    library.features_path.unlink()
    analysed.clear()
    report = library.import_sources(sources)
    assert analysed == ["one.wav"] and report.new == 0
    assert len(library.features().ids) == 1


def test_unreadable_files_and_broken_playlist_lines_are_reported(
    tmp_path: Path, analysed: list[str]
) -> None:
    root = tmp_path / "studio"
    crates = root / "crates"
    tone(crates / "one.wav")
    (crates / "fake.wav").write_bytes(b"not audio at all")
    (crates / "set.m3u").write_text("one.wav\n#comment\nghost.wav\nfake.wav\n")
    library, _ = library_at(root)
    report = library.import_sources(crate_sources(root, OracleSettings(), library.store))
    assert report.new == 2  # one.wav once, though a loose file and a playlist entry
    assert report.broken == [("crates/set.m3u", 3, "not found")]
    ((path, reason),) = report.unreadable
    assert path == "crates/fake.wav" and reason
    records = by_name(library)
    assert records["fake.wav"]["status"] == "unreadable"
    assert records["one.wav"]["crate"] == "loose"
    assert "1 unreadable" in report.summary() and "1 broken playlist line" in report.summary()
    again = library.import_sources(crate_sources(root, OracleSettings(), library.store))
    assert again.unchanged == 2 and len(again.unreadable) == 1


def test_outside_files_keep_absolute_paths_and_absent_sources_keep_theirs(
    tmp_path: Path, analysed: list[str]
) -> None:
    root, usb = tmp_path / "studio", tmp_path / "usb"
    tone(usb / "loop.wav")
    library, _ = library_at(root)
    sources = [Source("folder", usb, "usb")]
    library.import_sources(sources)
    assert by_name(library)["loop.wav"]["path"] == str(usb / "loop.wav")
    (usb / "loop.wav").rename(tmp_path / "loop.wav")
    usb.rmdir()  # unplugged
    report = library.import_sources(sources)
    assert report.absent == [str(usb)] and report.missing == 0
    assert by_name(library)["loop.wav"]["status"] == "ok"


def test_progress_every_file_and_cancel_keeps_the_done_part(
    tmp_path: Path, analysed: list[str]
) -> None:
    root = tmp_path / "studio"
    folder = root / "crates" / "many"
    for index in range(5):
        tone(folder / f"s{index}.wav", 0.1, 100 + 50 * index)
    library, _ = library_at(root)
    sources = [Source("folder", folder, "many")]
    seen: list[tuple[int, int, str]] = []
    report = library.import_sources(
        sources, progress=lambda *args: seen.append(args), cancelled=lambda: len(seen) >= 2
    )
    assert report.cancelled and report.new == 2 and "(cancelled)" in report.summary()
    assert seen == [(1, 5, "s0.wav"), (2, 5, "s1.wav")]
    assert sorted(by_name(library)) == ["s0.wav", "s1.wav"]
    assert len(library.features().ids) == 2
    seen.clear()
    rest = library.import_sources(sources, progress=lambda *args: seen.append(args))
    assert (rest.new, rest.unchanged) == (3, 2)
    assert [done for done, _, _ in seen] == [1, 2, 3, 4, 5]


def test_find_by_words_crate_duration_and_tags(tmp_path: Path) -> None:
    store = Store(None, "m1")
    store.insert_many(
        SAMPLES,
        [
            {"id": "A", "name": "Kick Deep.wav", "crate": "drums", "duration_s": 0.5},
            {"id": "B", "name": "kick_tight.wav", "crate": "drums", "duration_s": 0.2},
            {"id": "C", "name": "pad.wav", "crate": "Deep Pads", "duration_s": 8.0},
            {"id": "D", "name": "kick gone.wav", "crate": "drums", "status": "missing"},
            {"id": "E", "name": "kick broken.wav", "crate": "drums", "status": "unreadable"},
        ],
    )
    store.insert("sample_tags", {"id": "A", "tags": ["dark"]})
    store.insert("sample_tags", {"id": "D", "tags": ["dark"]})
    library = SampleLibrary(store, tmp_path, tmp_path / "features.npz")

    def names(**query: object) -> list[str]:
        return [record["name"] for record in library.find(**query)]  # type: ignore[arg-type]

    assert names(words="KICK") == ["kick broken.wav", "Kick Deep.wav", "kick_tight.wav"]
    assert names(words="deep") == ["Kick Deep.wav", "pad.wav"]
    assert names(words="deep kick") == ["Kick Deep.wav"]
    assert names(crate="deep pads") == ["pad.wav"]
    assert names(min_s=0.3) == ["Kick Deep.wav", "pad.wav"]
    assert names(words="kick", max_s=0.3) == ["kick_tight.wav"]
    assert names(tags=["Dark"]) == ["Kick Deep.wav"]
    assert names(tags=["dark"], words="tight") == []
    assert names(tags=["light"]) == []


def miner_studio(tmp_path: Path, config: str = "") -> CrateMiner:
    context = make_studio(tmp_path / "studio", config or None)
    tone(context.studio.folder("crates") / "drums" / "kick.wav")
    return CrateMiner(context, clock=lambda: 100 * DAY)


def test_the_miner_is_due_first_then_weekly_and_catches_up(
    tmp_path: Path, analysed: list[str]
) -> None:
    miner = miner_studio(tmp_path)
    assert miner.last_scan() is None and miner.due()
    report = miner.run(now=100 * DAY)
    assert report.new == 1 and not miner.due(100 * DAY + 6.9 * DAY)
    last = miner.last_scan()
    assert last is not None and last["at"] == 100 * DAY and last["new"] == 1
    assert miner.due(107 * DAY)
    tone(miner.context.studio.folder("crates") / "drums" / "snare.wav", 0.2, 300)
    late = miner.run(now=130 * DAY)  # weeks away: one scan catches up
    assert late.new == 1 and late.unchanged == 1
    assert not miner.due(130 * DAY + 1) and miner.context.store.count(CRATE_SCANS) == 2


def test_the_miner_is_never_due_when_rescan_days_is_zero(tmp_path: Path) -> None:
    miner = miner_studio(tmp_path, "[oracle]\nrescan_days = 0\n")
    assert not miner.due(1e12)


def test_a_studio_with_no_crate_is_never_due(tmp_path: Path) -> None:
    miner = CrateMiner(make_studio(tmp_path / "studio"), clock=lambda: 100 * DAY)
    assert not miner.due(1e12)  # the app start costs no scan (nor its imports)


def test_a_cancelled_run_is_not_recorded(tmp_path: Path, analysed: list[str]) -> None:
    miner = miner_studio(tmp_path)
    report = miner.run(cancelled=lambda: True)
    assert report.cancelled and miner.last_scan() is None and miner.due()
