"""The weekly digest's Markdown: the seed's lines exactly, then tags, memos, samples, time,
sessions and files; empty sections and an empty week say so."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from phase_tui.activity import log_event
from phase_tui.context import StudioContext
from phase_tui.loop.digest import digest_markdown, gather_week
from phase_tui.loop.digest_week import week_ending
from phase_tui.store import Store
from tests.helpers import make_studio

WEEK = date(2025, 6, 1)
SEED = """\
# Weekly Loop Digest — 2025-06-01

### New Bounces
- `../bounces/memory-spike-v2.wav` — 3:17
- `../bounces/frag-loop-finale.mp3` — 1:02

### Saved Slices
- 5 Oracle slices saved

### Form Map Version Changes
- Builder structure updated 2 times
"""
HOUR = 3600.0


def add_bounce(store: Store, path: str, duration_s: float, at: float, **fields: object) -> str:
    """A bounce record and its journal event at `at`; returns the record id."""
    name = Path(path).name
    record = store.insert(
        "bounces", {"path": path, "name": name, "duration_s": duration_s, "mtime": at, **fields}
    )
    log_event(
        store,
        "bounce",
        session="glass-heron",
        phase="builder",
        at=at,
        bounce=record["id"],
        name=name,
        path=path,
        duration_s=duration_s,
        caught_up=False,
    )
    return str(record["id"])


def seed_week(store: Store, week_end: date = WEEK) -> float:
    """The fixture week: two bounces, five slices, two form versions, tags, a memo, samples,
    a session with phase time. Returns the week's start."""
    start, _ = week_ending(week_end)
    monday = start + 20 * HOUR  # Monday 20:00 (no DST change in this week)
    store.insert("sessions", {"name": "glass-heron", "started_at": monday, "tags": ["late-night"]})
    log_event(store, "app_start", session="glass-heron", phase=None, at=monday)
    log_event(store, "phase", session="glass-heron", phase="builder", at=monday, to="builder")
    log_event(store, "phase", session="glass-heron", phase="loop", at=monday + HOUR, to="loop")
    log_event(store, "app_stop", session="glass-heron", phase="loop", at=monday + 1.5 * HOUR)
    add_bounce(
        store, "bounces/memory-spike-v2.wav", 197.0, monday + HOUR, tags=["dark", "late-night"]
    )
    add_bounce(store, "bounces/frag-loop-finale.mp3", 62.0, monday + 1.2 * HOUR, tags=["dark"])
    for number in range(5):
        store.insert("slices", {"name": f"slice-{number}", "created_at": monday + number})
    for number in range(2):
        store.insert(
            "forms",
            {
                "track": "memory spike",
                "saved_at": monday + 600 * number,
                "path": f"forms/memory-spike/2025-05-26T18{number}0-abcdef0{number}.json",
                "tags": [],
            },
        )
    store.insert(
        "memos",
        {
            "path": str(store.internal_dir.parent / "memos" / "2025-05-26_2030-00.wav"),
            "name": "2025-05-26_2030-00",
            "started_at": monday + 0.5 * HOUR,
            "duration_s": 12.0,
            "text": "try the breakdown an octave lower and keep the hats dry until the drop "
            "then open them",
            "tags": ["idea"],
        },
    )
    for name in ("kick-01.wav", "snare-02.wav", "hat-03.wav"):
        store.insert("samples", {"name": name, "path": f"crates/{name}", "created_at": monday + 60})
    return start


def old_tag(store: Store, tag: str, before: float) -> None:
    """A bounce tagged `tag` weeks before, so the tag is not new."""
    add_bounce(store, "bounces/old.wav", 30.0, before - 14 * 24 * HOUR, tags=[tag])


def section(text: str, title: str) -> str:
    """The body of one `### title` section."""
    return text.split(f"### {title}\n", 1)[1].split("\n\n", 1)[0]


def digest_text(context: StudioContext, week_end: date = WEEK) -> str:
    _, end = week_ending(week_end)
    return digest_markdown(gather_week(context.store, context.studio.root, week_end, end + 1))


def test_the_fixture_week_opens_with_the_seeds_lines(tmp_path: Path) -> None:
    context = make_studio(tmp_path / "studio")
    seed_week(context.store)
    text = digest_text(context)
    assert text.startswith(SEED + "\n### Notable Tags\n")


def test_the_sections_beyond_the_seed(tmp_path: Path) -> None:
    context = make_studio(tmp_path / "studio")
    start = seed_week(context.store)
    old_tag(context.store, "late-night", start)
    text = digest_text(context)
    order = [
        "### Notable Tags",
        "### Memos",
        "### Oracle Additions",
        "### Time per Phase",
        "### Sessions",
        "### Files",
    ]
    positions = [text.index(title) for title in order]
    assert positions == sorted(positions)
    assert section(text, "Notable Tags").splitlines() == [
        "- #dark — 2 (new this week)",
        "- #late-night — 2",
        "- #idea — 1 (new this week)",
    ]
    memo = section(text, "Memos")
    assert "— 0:12 — “try the breakdown an octave lower and keep the hats dry until …”" in memo
    assert memo.endswith("[2025-05-26_2030-00.wav](../memos/2025-05-26_2030-00.wav)")
    assert (
        section(text, "Oracle Additions")
        == "- 3 samples added: kick-01.wav, snare-02.wav, hat-03.wav"
    )
    assert section(text, "Time per Phase").splitlines() == ["- builder: 1h 00m", "- loop: 30m"]
    assert section(text, "Sessions").startswith("- glass-heron — Mon 26 May 20:")
    assert section(text, "Sessions").endswith(", 1h 30m")
    files = section(text, "Files").splitlines()
    assert files[:3] == [
        "- [memory-spike-v2.wav](../bounces/memory-spike-v2.wav)",
        "- [frag-loop-finale.mp3](../bounces/frag-loop-finale.mp3)",
        "- [2025-05-26_2030-00.wav](../memos/2025-05-26_2030-00.wav)",
    ]
    assert "- [kick-01.wav](../crates/kick-01.wav)" in files
    assert (
        "- [2025-05-26T1800-abcdef00.json](../forms/memory-spike/2025-05-26T1800-abcdef00.json)"
        in files
    )
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_singular_forms_one_line_per_bounce_and_a_bounce_outside_the_studio(
    tmp_path: Path,
) -> None:
    context = make_studio(tmp_path / "studio")
    store = context.store
    start, end = week_ending(WEEK)
    outside = tmp_path / "elsewhere" / "my take (final).wav"
    first = add_bounce(store, "bounces/loop.wav", 61.0, start + 5 * HOUR)
    log_event(  # a re-export of the same record later in the week: still one line
        store, "bounce", session="s", phase="loop", at=start + 30 * HOUR, bounce=first,
        name="loop.wav", path="bounces/loop.wav", duration_s=61.0, caught_up=False,
    )  # fmt: skip
    add_bounce(store, str(outside), 5.0, start + 40 * HOUR)
    add_bounce(store, "bounces/next-week.wav", 5.0, end)  # the next week's
    add_bounce(store, "bounces/last-week.wav", 5.0, start - 1)  # the previous week's
    store.insert("slices", {"created_at": start + 3})
    store.insert("forms", {"track": "t", "saved_at": start + 3, "tags": []})
    store.insert("samples", {"name": "one.wav", "created_at": start + 3})
    text = digest_text(context)
    assert text.split("\n\n")[1:4] == [
        f"### New Bounces\n- `../bounces/loop.wav` — 1:01\n- `{outside}` — 0:05",
        "### Saved Slices\n- 1 Oracle slice saved",
        "### Form Map Version Changes\n- Builder structure updated 1 time",
    ]
    assert "- 1 sample added: one.wav\n" in text
    assert f"- [{outside.name}](<{outside}>)" in text


def test_an_empty_week_says_so(tmp_path: Path) -> None:
    context = make_studio(tmp_path / "studio")
    seed_week(context.store, WEEK - timedelta(days=7))  # busy the week before only
    text = digest_text(context)
    assert text == (
        "# Weekly Loop Digest — 2025-06-01\n\n"
        "Nothing happened this week: no bounces, slices, maps, memos or sessions.\n\n"
        "### New Bounces\n- No new bounces\n\n"
        "### Saved Slices\n- No Oracle slices saved\n\n"
        "### Form Map Version Changes\n- Builder structure unchanged\n\n"
        "### Notable Tags\n- No tags used\n\n"
        "### Memos\n- No memos\n\n"
        "### Oracle Additions\n- No samples added\n\n"
        "### Time per Phase\n- No time in Phase OS\n\n"
        "### Sessions\n- No sessions\n\n"
        "### Files\n- No files\n"
    )
