"""Form map versions: dedup by content, files in forms/, history, refs, the active map."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from phase_tui.builder.form_map import FormMap, FormSection
from phase_tui.builder.versions import FORMS, FormVersions, track_slug
from phase_tui.session.sessions import SESSIONS
from phase_tui.store import Store

T0 = 1_795_471_200.0  # 2026-11-23 22:00 UTC
MAP = FormMap(
    track="memory spike",
    tempo_bpm=120.0,
    key="A minor",
    beats_per_bar=4,
    sections=(
        FormSection("intro", 8, 3, "sparse", ("pad",)),
        FormSection("build", 8, 6),
        FormSection("drop", 16, 10, "full", ("kick", "bass")),
        FormSection("outro", 8, 2),
    ),
    template="club",
    seed=7,
)
LOUDER = MAP.with_section(2, replace(MAP.sections[2], energy=9))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / ".phase_os", "test-machine")


@pytest.fixture
def versions(store: Store, tmp_path: Path) -> FormVersions:
    return FormVersions(store, tmp_path)


def forms_files(root: Path) -> list[Path]:
    return sorted((root / FORMS).rglob("*.json"))


def test_same_content_is_the_same_version_and_no_new_file(
    versions: FormVersions, tmp_path: Path
) -> None:
    first, created = versions.save(MAP, session="amber fox", phase="build", now=T0)
    assert created and first.content_hash == MAP.content_hash()
    assert first.path == "forms/memory-spike/2026-11-23T2200-" + MAP.content_hash()[:8] + ".json"
    again, created = versions.save(
        replace(MAP, seed=99, notes="only notes differ"), session="x", phase=None, now=T0 + 60
    )
    assert not created and again == first
    assert forms_files(tmp_path) == [tmp_path / first.path]
    written = (tmp_path / first.path).read_text()
    assert written == json.dumps(MAP.to_json(), indent=2, sort_keys=True) + "\n"
    assert (first.session, first.phase, first.saved_at) == ("amber fox", "build", T0)


def test_the_hash_is_stable_across_runs() -> None:
    assert MAP.content_hash() == "49dccb12546657437371b69d53157430"


def test_history_is_per_track_oldest_first(versions: FormVersions, store: Store) -> None:
    other = replace(MAP, track="night bus")
    versions.save(LOUDER, session="s", phase=None, now=T0 + 10)
    versions.save(other, session="s", phase=None, now=T0 + 5)
    versions.save(MAP, session="s", phase=None, now=T0)
    history = versions.history("memory spike")
    assert [v.form for v in history] == [MAP, LOUDER]
    assert versions.tracks() == ["memory spike", "night bus"]
    reopened = FormVersions(Store(store.internal_dir, "test-machine"), Path("/nowhere"))
    assert [v.id for v in reopened.history("memory spike")] == [v.id for v in history]


def test_refs_by_id_hash_prefix_and_track_number(versions: FormVersions) -> None:
    first, _ = versions.save(MAP, session=None, phase=None, now=T0)
    second, _ = versions.save(LOUDER, session=None, phase=None, now=T0 + 1)
    assert versions.get(first.id) == first
    assert versions.get(second.content_hash[:6]) == second
    assert versions.get(second.content_hash[:6].upper()) == second
    assert versions.get(second.content_hash[:5]) is None  # too short
    assert versions.get("memory spike@1") == first
    assert versions.get("memory spike@2") == second
    assert versions.get("memory spike@latest") == second
    assert versions.get("memory spike@3") is None
    assert versions.get("memory spike@0") is None
    assert versions.get("nobody@latest") is None
    assert versions.get("zzzzzz") is None


def test_an_ambiguous_hash_prefix_finds_nothing(versions: FormVersions, store: Store) -> None:
    first, _ = versions.save(MAP, session=None, phase=None, now=T0)
    twin = first.content_hash[:6] + "0" * 26  # a record whose hash shares the first 6 chars
    store.insert(FORMS, {"track": "t", "content_hash": twin, "saved_at": T0, "form": MAP.to_json()})
    assert versions.get(first.content_hash[:6]) is None
    assert versions.get(first.content_hash[:7]) == first


def test_activate_and_active(versions: FormVersions, store: Store) -> None:
    assert versions.active() is None
    first, _ = versions.save(MAP, session=None, phase=None, now=T0)
    second, _ = versions.save(LOUDER, session=None, phase=None, now=T0 + 1)
    versions.activate(first.id)
    assert versions.active() == first
    versions.activate(second.id)
    assert versions.active() == second
    assert FormVersions(store, Path("/nowhere")).active() == second
    with pytest.raises(KeyError):
        versions.activate("no-such-version")


def test_since_session(versions: FormVersions, store: Store) -> None:
    versions.save(MAP, session="old", phase=None, now=T0)
    before, _ = versions.save(LOUDER, session="old", phase=None, now=T0 + 100)
    store.insert(SESSIONS, {"name": "new", "started_at": T0 + 200})
    newest, _ = versions.save(replace(MAP, key="C minor"), session="new", phase=None, now=T0 + 300)
    assert versions.since_session("memory spike", "new") == (before, newest)
    assert versions.since_session("memory spike", "old") == (None, newest)
    assert versions.since_session("memory spike", "unknown") == (newest, newest)
    assert versions.since_session("nobody", "new") == (None, None)


@pytest.mark.parametrize(
    ("track", "slug"),
    [
        ("../../x", "x"),
        ("a/b", "a-b"),
        ("", "untitled"),
        ("..", "untitled"),
        ("Nü Wave!", "n-wave"),
    ],
)
def test_unsafe_track_names_give_safe_paths_inside_forms(
    versions: FormVersions, tmp_path: Path, track: str, slug: str
) -> None:
    assert track_slug(track) == slug
    version, _ = versions.save(replace(MAP, track=track), session=None, phase=None, now=T0)
    path = (tmp_path / version.path).resolve()
    assert path.is_file() and path.parent == (tmp_path / FORMS / slug).resolve()
    assert versions.history(track) == [version]


def test_a_corrupt_forms_file_does_not_break_history(
    versions: FormVersions, tmp_path: Path
) -> None:
    first, _ = versions.save(MAP, session=None, phase=None, now=T0)
    (tmp_path / first.path).write_text("{ not json")
    (tmp_path / FORMS / "memory-spike" / "hand-made.json").write_text('{"track": 1}')
    second, _ = versions.save(LOUDER, session=None, phase=None, now=T0 + 1)
    assert [v.form for v in versions.history("memory spike")] == [MAP, LOUDER]
    assert versions.get(second.id) == second


def test_an_unreadable_store_record_is_skipped(versions: FormVersions, store: Store) -> None:
    store.insert(FORMS, {"track": "memory spike", "form": {"track": "x"}})
    first, _ = versions.save(MAP, session=None, phase=None, now=T0)
    assert versions.history("memory spike") == [first]
