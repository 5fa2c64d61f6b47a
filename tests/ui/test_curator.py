"""The curator and the remix browser with the Pilot: the queue with its columns, auto-play
after the cursor rests, approve / reject / skip moving on, undo, tags, more like this; a
region selected on the waveform saved as a slice with its screenshot, and put into a
remix session, which the remix browser shows, reorders and trims."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf
from textual.widgets import DataTable, Input

from phase_tui.app import PhaseOSApp
from phase_tui.oracle.curation import DECISIONS
from phase_tui.oracle.slice_log import SLICES
from tests.ui.conftest import wait_for
from tests.ui.test_bounces import RecordingPlayer
from widgets.waveform import Waveform

QUICK = '[oracle]\nautoplay_delay_s = 0.05\nsnap = "off"\n'
RATE = 22050


def crate(app: PhaseOSApp) -> Path:
    """A crate of five short sounds, scanned into the library."""
    from phase_tui.oracle.miner import CrateMiner

    folder = app.context.studio.folder("crates") / "demo"
    folder.mkdir(parents=True)
    t = np.arange(RATE) / RATE
    sounds = {
        "kick_a.wav": np.sin(2 * np.pi * 55 * t) * np.exp(-t * 8),
        "kick_b.wav": np.sin(2 * np.pi * 60 * t) * np.exp(-t * 9),
        "hat.wav": np.random.default_rng(1).normal(0, 0.2, RATE) * np.exp(-t * 30),
        "pad_loop_90bpm_Eb.wav": 0.3 * np.sin(2 * np.pi * 311 * t),
        "zap.wav": 0.3 * np.sin(2 * np.pi * (200 + 2000 * t) * t),
    }
    for name, audio in sounds.items():
        sf.write(folder / name, (0.8 * audio).astype(np.float32), RATE, subtype="PCM_16")
    CrateMiner(app.context).run(app.clock())
    return folder


def queue_names(app: PhaseOSApp) -> list[str]:
    table = app.screen.query_one("#queue", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def open_curator(pilot, app: PhaseOSApp, rows: int) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("o")
    await wait_for(pilot, lambda: getattr(app.screen, "body_ready", False))
    await wait_for(pilot, lambda: len(queue_names(app)) == rows)


async def test_curating_moves_on_plays_undoes_and_counts(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    app = make_app(QUICK)
    app.player = RecordingPlayer()  # type: ignore[assignment]
    crate(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_curator(pilot, app, rows=5)
        assert queue_names(app)[0] == "hat.wav"  # by crate, then name
        row = app.screen.query_one("#queue", DataTable).get_row_at(3)
        assert [str(c) for c in row[2:5]] == ["1.0s", "90", "Eb major"]  # length, bpm, key
        await wait_for(
            pilot, lambda: app.player.played[-1:] and app.player.played[-1].name == "hat.wav"
        )
        await pilot.press("a")  # approve: the next sample follows, and plays
        await wait_for(pilot, lambda: queue_names(app)[0] == "kick_a.wav")
        await wait_for(pilot, lambda: app.player.played[-1].name == "kick_a.wav")
        assert app.context.store.get(DECISIONS, _id(app, "hat.wav"))["decision"] == "approved"
        await pilot.press("x", "s")  # reject kick_a, skip kick_b (it comes back last)
        await wait_for(
            pilot, lambda: queue_names(app) == ["pad_loop_90bpm_Eb.wav", "zap.wav", "kick_b.wav"]
        )
        await wait_for(pilot, lambda: app.hud_state.slot("oracle").startswith("◆ 2/5"))
        assert "✓1 ✗1 ↷1" in app.hud_state.slot("oracle")
        await pilot.press("u")  # the skip taken back
        await wait_for(
            pilot, lambda: queue_names(app) == ["kick_b.wav", "pad_loop_90bpm_Eb.wav", "zap.wav"]
        )

        await pilot.press("e")
        await wait_for(pilot, lambda: bool(app.screen.query("#tags")))
        app.screen.query_one("#tags", Input).value = "#Dark"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "#dark" in str(app.screen.query_one("#sample-meta").render()))

        await pilot.press("l")  # more like this
        await wait_for(
            pilot, lambda: "More like this" in str(app.screen.query_one("#sample-like").render())
        )
        assert "kick_a.wav" in str(app.screen.query_one("#sample-like").render())  # its own family

        await pilot.press("slash", *"zap", "enter")
        await wait_for(pilot, lambda: queue_names(app) == ["zap.wav"])


async def test_a_region_becomes_a_slice_with_a_screenshot_then_a_remix_fragment(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    app = make_app(QUICK)
    app.player = RecordingPlayer()  # type: ignore[assignment]
    crate(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_curator(pilot, app, rows=5)
        wave = app.screen.query_one(Waveform)
        await wait_for(pilot, lambda: "reading" not in "".join(s.text for s in wave._lines()))  # noqa: SLF001
        wave.focus()
        await pilot.press("right", "right", *["shift+right"] * 10)
        await wait_for(pilot, lambda: app.screen._selection is not None)  # noqa: SLF001
        await pilot.press("v")
        await wait_for(pilot, lambda: app.player.played[-1].parent.name == "preview")
        await pilot.press("S")
        slices = app.context.studio.folder("slices")
        await wait_for(pilot, lambda: len(app.context.store.all(SLICES)) == 1, timeout_s=10)
        (logged,) = app.context.store.all(SLICES)
        audio = Path(logged["path"])
        assert audio.parent == slices and audio.exists() and audio.name.startswith("hat ")
        assert Path(logged["screenshot"]).suffix == ".svg" and Path(logged["screenshot"]).exists()
        assert "<svg" in Path(logged["screenshot"]).read_text()[:2000]
        assert 0 < logged["end_s"] - logged["start_s"] < 1.0

        await pilot.press("R")
        await wait_for(pilot, lambda: bool(app.screen.query("#answer")))
        app.screen.query_one("#answer", Input).value = "night drive"
        await pilot.press("enter")
        manifest = app.context.studio.folder("remix") / "night drive" / "manifest.json"
        await wait_for(pilot, lambda: manifest.exists())
        await pilot.press("R")  # the session is remembered: the sample itself this time
        await wait_for(pilot, lambda: len(json.loads(manifest.read_text())["fragments"]) == 2)
        assert audio.exists()  # copies, never moves

        await pilot.press("3")  # the remix phase's screen is the remix browser
        await wait_for(pilot, lambda: app.switcher.current == "remix")
        await pilot.press("p")
        await wait_for(pilot, lambda: getattr(app.screen, "body_ready", False))
        fragments = app.screen.query_one("#remix-fragments", DataTable)
        await wait_for(pilot, lambda: fragments.row_count == 2)
        first = str(fragments.get_row_at(0)[1])
        fragments.focus()
        await pilot.press("right_square_bracket")  # down
        await wait_for(pilot, lambda: str(fragments.get_row_at(1)[1]) == first)
        await pilot.press("x")
        await wait_for(pilot, lambda: fragments.row_count == 1)
        assert len(json.loads(manifest.read_text())["fragments"]) == 1
        await pilot.press("space")
        await wait_for(pilot, lambda: app.player.played[-1].parent.name == "night drive")


def _id(app: PhaseOSApp, name: str) -> str:
    return next(r["id"] for r in app.context.store.all("samples") if r["name"] == name)
