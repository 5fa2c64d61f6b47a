"""Fixtures for the Pilot tests: a temporary studio, a frozen clock, a known session."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from phase_tui.app import PhaseOSApp
from phase_tui.context import StudioContext
from tests.helpers import make_studio

FROZEN_NOW = 1_795_435_200.0  # a fixed moment, so the HUD clock and durations are stable


class FrozenClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = FROZEN_NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def studio_with_session(root: Path, config_text: str | None = None) -> StudioContext:
    """A studio whose current session has a known name, so screens are reproducible."""
    context = make_studio(root, config_text)
    context.store.insert(
        "sessions",
        {
            "name": "amber-heron-7f3a",
            "colour": "#ffbf00",
            "started_at": FROZEN_NOW - 600,
            "reason": "test",
        },
    )
    return context


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., PhaseOSApp]:
    def build(config_text: str | None = None, services: bool = False) -> PhaseOSApp:
        context = studio_with_session(tmp_path / "studio", config_text)
        return PhaseOSApp(context, clock=FrozenClock(), services=services)

    return build


async def wait_for(
    pilot: Pilot[int], condition: Callable[[], bool], timeout_s: float = 5.0
) -> None:
    """Let the app run until `condition()` holds; fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)
        await asyncio.sleep(0)
