"""SVG snapshots of the main screens (update with `pytest --snapshot-update`, then look)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from phase_tui.app import PhaseOSApp
from tests.ui.conftest import FrozenClock, studio_with_session, wait_for

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
