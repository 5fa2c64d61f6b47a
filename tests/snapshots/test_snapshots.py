"""SVG snapshots of the main screens (update with `pytest --snapshot-update`, then look)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from phase_tui.app import PhaseOSApp
from tests.ui.conftest import FROZEN_NOW, FrozenClock, studio_with_session, wait_for

SIZE = (120, 34)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Times on screen are local: pin the zone so snapshots match on any machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def snapshot_app(tmp_path: Path) -> PhaseOSApp:
    return PhaseOSApp(studio_with_session(tmp_path / "studio"), clock=FrozenClock(), services=False)


async def body_ready(pilot: Pilot[int]) -> None:
    """Wait for the body, which is mounted just after the first paint."""
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "body_ready", False))
    await pilot.pause()


def test_dashboard(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=body_ready)


def test_builder_phase_screen(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    app = snapshot_app(tmp_path)

    async def enter_builder(pilot: Pilot[int]) -> None:
        await pilot.press("2")
        await wait_for(pilot, lambda: app.switcher.current == "builder")
        app.clear_notifications()
        await pilot.press("p")
        await body_ready(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=enter_builder)


def test_keys_panel(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    async def open_keys(pilot: Pilot[int]) -> None:
        await body_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(snapshot_app(tmp_path), terminal_size=SIZE, run_before=open_keys)


def test_bounce_catalogue(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    import numpy as np
    import soundfile as sf

    from phase_tui.loop.catalogue import BounceCatalogue

    app = snapshot_app(tmp_path)
    bounces = app.context.studio.root / "bounces"
    rate = 22050
    t = np.arange(2 * rate) / rate
    for index, (name, amplitude) in enumerate(
        [("night drive v1.wav", 0.2), ("night drive v2.wav", 0.5), ("dusk loop.wav", 0.1)]
    ):
        path = bounces / name
        sf.write(path, amplitude * np.sin(2 * np.pi * 110 * (index + 1) * t), rate)
        os.utime(path, (FROZEN_NOW - 3600 * (3 - index),) * 2)
    catalogue = BounceCatalogue(
        app.context.store, app.context.studio.root, lambda: {"session": "amber-heron-7f3a"}
    )
    new, _ = catalogue.register(sorted(bounces.iterdir()))
    catalogue.classify(
        {r["id"]: catalogue.hash_file(r) for r in new},
        {r["id"]: catalogue.analyse(r) for r in new},
    )

    async def open_catalogue(pilot: Pilot[int]) -> None:
        await pilot.press("b")
        await body_ready(pilot)
        pilot.app.screen.query_one("BounceTable").move_cursor(row=1)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_catalogue)


def test_bounce_detail(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    from tests.ui.test_bounce_detail import open_detail, registered

    app = snapshot_app(tmp_path)
    registered(app)

    async def open_it(pilot: Pilot[int]) -> None:
        await open_detail(pilot)
        await pilot.press("right", "right", "right")  # the cursor moves, the plot follows
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_it)


def test_builder_screen(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    from phase_tui.builder.generator import generate

    app = snapshot_app(tmp_path)
    versions = app.form_versions()
    settings = app.context.config.builder
    for seed in (7, 8):
        version, _ = versions.save(
            generate(settings, "memory spike", seed=seed),
            session="amber-heron-7f3a",
            phase="builder",
            now=FROZEN_NOW - 3600 * (9 - seed),
        )
    versions.activate(version.id)

    async def open_builder(pilot: Pilot[int]) -> None:
        await pilot.press("f")
        await body_ready(pilot)
        await pilot.press("v")  # the diff from the first version to the one on screen
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_builder)


def test_memo_screen(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    from phase_tui.voice.memos import MEMOS

    app = snapshot_app(tmp_path)
    memos = app.context.studio.folder("memos")
    segments = [
        {"start_s": 0.0, "end_s": 2.4, "text": " Note, the kick is too muddy,"},
        {"start_s": 2.4, "end_s": 6.2, "text": " tag dark, switch to builder."},
    ]
    for minutes, status, extra in (
        (
            50,
            "done",
            {
                "text": "Note, the kick is too muddy, tag dark, switch to builder.",
                "tags": ["dark"],
                "transcript": {
                    "segments": segments,
                    "language": "en",
                    "backend": "faster-whisper",
                    "model": "tiny.en",
                    "audio_s": 6.6,
                    "took_s": 0.4,
                },
                "actions": [
                    "tagged memory-spike-v2 #dark",
                    "noted in scratchpad/amber-heron-7f3a.md: the kick is too muddy",
                    "phase builder",
                ],
            },
        ),
        (20, "pending", {"error": "the faster-whisper model 'small.en' is not on disk"}),
        (
            5,
            "done",
            {
                "text": "Bookmark. The second drop needs a riser.",
                "bounce": "x",
                "actions": ["bookmarked memory-spike-v2"],
            },
        ),
    ):
        app.context.store.insert(
            MEMOS,
            {
                "path": str(memos / f"memo-{minutes}.wav"),
                "name": f"memo-{minutes}",
                "started_at": FROZEN_NOW - minutes * 60,
                "duration_s": 6.6 if minutes == 50 else 12.0,
                "status": status,
                "session": "amber-heron-7f3a",
                "phase": "builder",
                "tags": [],
                **extra,
            },
        )

    async def open_memos(pilot: Pilot[int]) -> None:
        await pilot.press("M")
        await body_ready(pilot)
        pilot.app.screen.query_one("#memo-table").move_cursor(row=2)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_memos)


def test_digest_viewer(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    from phase_tui.loop.digest_scheduler import DigestScheduler
    from phase_tui.loop.digest_week import week_end_for
    from tests.ui.test_tags_and_digests import seed_items

    app = snapshot_app(tmp_path)
    seed_items(app)
    store = app.context.store
    for name, minutes, seconds in (
        ("memory-spike-v2.wav", 90, 197),
        ("frag-loop-finale.mp3", 30, 62),
    ):
        bounce = store.find("bounces", lambda r, n=name: r["name"] == n) or [
            store.insert("bounces", {"name": name, "path": f"bounces/{name}", "tags": []})
        ]
        store.insert(
            "events",
            {"type": "bounce", "at": FROZEN_NOW - minutes * 60, "session": "amber-heron-7f3a",
             "phase": "builder", "bounce": bounce[0]["id"], "name": name,
             "path": f"bounces/{name}", "duration_s": seconds},
        )  # fmt: skip
    week = week_end_for(FROZEN_NOW, app.context.config.digest.day)
    DigestScheduler(app.context, clock=FrozenClock()).write(week)

    async def open_digests(pilot: Pilot[int]) -> None:
        await pilot.press("w")
        await body_ready(pilot)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_digests)
