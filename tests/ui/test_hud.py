"""The HUD widget alone: what it reads, and that an idle HUD redraws only when that changes."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from tests.ui.conftest import FROZEN_NOW, FrozenClock
from widgets.hud import Hud, HudState


class CountingHud(Hud):
    """A HUD that counts its renders."""

    renders = 0

    def render(self) -> Text:
        self.renders += 1
        return super().render()


class HudApp(App[None]):
    def __init__(self, clock: FrozenClock) -> None:
        super().__init__()
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield CountingHud(clock=self.clock)


async def test_hud_reads_phase_session_slots_and_time_in_phase() -> None:
    clock = FrozenClock(FROZEN_NOW)
    async with HudApp(clock).run_test(size=(100, 3)) as pilot:
        hud = pilot.app.query_one(CountingHud)
        hud.state = HudState(
            phase="builder", session="amber-heron-7f3a", entered_at=FROZEN_NOW - 125
        ).with_slot("bounce", "last: kick-v2 0:42")
        await pilot.pause()
        line = hud.render().plain
        assert line.startswith(" BUILDER ")
        assert "amber-heron-7f3a  2m in phase  last: kick-v2 0:42" in line
        assert len(line) == 100


async def test_idle_hud_redraws_only_when_its_text_changes() -> None:
    clock = FrozenClock(FROZEN_NOW)  # a whole minute: 00 seconds
    async with HudApp(clock).run_test(size=(100, 3)) as pilot:
        hud = pilot.app.query_one(CountingHud)
        hud.state = HudState(phase="oracle", entered_at=FROZEN_NOW - 600)
        await pilot.pause()
        before = hud.renders
        for _ in range(5):  # seconds pass inside one minute: nothing to redraw
            clock.now += 1
            hud._tick()
            await pilot.pause()
        assert hud.renders == before
        clock.now += 60  # the clock and the time in phase now read differently
        hud._tick()
        await pilot.pause()
        assert hud.renders == before + 1
        assert "11m in phase" in hud.render().plain
