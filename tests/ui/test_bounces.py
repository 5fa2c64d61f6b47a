"""The bounce catalogue screen and the HUD's bounce slot, with the real logger running.

Bounces are real WAV files in the studio's `bounces/` folder; the app's own services
(watchdog, settle tracker, catalogue, analysis) log them. Playback goes through a player
that records what it was asked (the real one is tested through ALSA in test_audio_playback).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import soundfile as sf

from phase_tui.app import PhaseOSApp
from phase_tui.audio.playback import PlaybackUnavailable
from tests.ui.conftest import wait_for
from widgets.bounce_detail import BounceDetail
from widgets.bounce_table import BounceTable
from widgets.hud import Hud

FAST_WATCH = "[watch]\nsettle_s = 0.2\n"


class RecordingPlayer:
    """Stands in for the sound card: remembers what it was asked to play."""

    def __init__(self, refuse: str = "") -> None:
        self.refuse = refuse
        self.played: list[Path] = []
        self.stops = 0
        self.playing: Path | None = None

    def play(self, path: Path) -> None:
        if self.refuse:
            raise PlaybackUnavailable(self.refuse)
        self.played.append(path)
        self.playing = path

    def stop(self) -> None:
        self.stops += 1
        self.playing = None


def write_bounce(path: Path, seconds: float, amplitude: float = 0.3) -> Path:
    rate = 22050
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, amplitude * np.sin(2 * np.pi * 220 * t), rate, subtype="PCM_16")
    return path


def table_keys(app: PhaseOSApp) -> list[str]:
    table = app.screen.query_one(BounceTable)
    return [str(row.key.value) for row in table.ordered_rows]


def row_names(app: PhaseOSApp) -> list[str]:
    table = app.screen.query_one(BounceTable)
    return [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]


async def open_catalogue(app: PhaseOSApp, pilot, versions: int) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("b")
    await wait_for(pilot, lambda: getattr(app.screen, "body_ready", False))
    await wait_for(
        pilot, lambda: sum(1 for k in table_keys(app) if not k.startswith("track:")) == versions
    )


async def test_the_catalogue_groups_versions_filters_sorts_and_details(make_app) -> None:  # type: ignore[no-untyped-def]
    app: PhaseOSApp = make_app(FAST_WATCH, services=True)
    bounces = app.context.studio.root / "bounces"
    write_bounce(bounces / "memory-spike-v2.wav", 2.0, 0.2)
    write_bounce(bounces / "memory spike v3.wav", 3.0, 0.5)
    write_bounce(bounces / "dusk loop.wav", 1.0, 0.1)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_catalogue(app, pilot, versions=3)
        tracks = [k for k in table_keys(app) if k.startswith("track:")]
        assert sorted(tracks) == ["track:dusk loop", "track:memory spike"]

        await pilot.press("slash", *"dusk", "enter")
        await wait_for(pilot, lambda: len(table_keys(app)) == 2)
        assert row_names(app) == ["dusk loop  1 version", "dusk loop.wav"]
        await pilot.press("slash", *["backspace"] * 4, "enter")
        await wait_for(pilot, lambda: len(table_keys(app)) == 5)

        await pilot.press("s")  # name: A to Z
        await wait_for(pilot, lambda: table_keys(app)[0] == "track:dusk loop")
        await pilot.press("s", "s")  # loudness, loudest first, once the levels are measured
        await wait_for(pilot, lambda: row_names(app)[1] == "memory spike v3.wav")
        assert all(r.get("lufs") is not None for r in app.bounce_records())

        table = app.screen.query_one(BounceTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.pause()
        detail = app.screen.query_one(BounceDetail)
        shown = "\n".join(detail.render_line(y).text for y in range(detail.size.height))
        assert "memory spike v3.wav" in shown
        assert "LUFS" in shown and "0:03" in shown


async def test_a_new_bounce_appears_live_with_a_notification_and_the_hud_slot(make_app) -> None:  # type: ignore[no-untyped-def]
    app: PhaseOSApp = make_app(FAST_WATCH, services=True)
    bounces = app.context.studio.root / "bounces"
    write_bounce(bounces / "sketch.wav", 1.0)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_catalogue(app, pilot, versions=1)
        write_bounce(bounces / "sketch v2.wav", 1.5)
        await open_catalogue(app, pilot, versions=2)
        assert "sketch v2.wav" in row_names(app)
        await wait_for(pilot, lambda: any("sketch v2.wav" in n.message for n in app._notifications))
        hud = app.screen.query_one(Hud)
        await wait_for(pilot, lambda: "♪ sketch v2.wav 0:02" in hud.render().plain)
        assert "2 today" in hud.render().plain or "1 today" in hud.render().plain


async def test_space_plays_and_stops_the_selected_bounce(make_app) -> None:  # type: ignore[no-untyped-def]
    app: PhaseOSApp = make_app(FAST_WATCH, services=True)
    player = RecordingPlayer()
    app.player = player  # type: ignore[assignment]
    path = write_bounce(app.context.studio.root / "bounces" / "kick.wav", 1.0)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_catalogue(app, pilot, versions=1)
        table = app.screen.query_one(BounceTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.playing == str(path))
        assert player.played == [path]
        summary = app.screen.query_one("#bounce-summary")
        await wait_for(pilot, lambda: "▶ kick.wav" in summary.render_line(0).text)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.playing == "")
        assert player.stops >= 1


async def test_no_output_device_is_a_message_and_the_app_goes_on(make_app) -> None:  # type: ignore[no-untyped-def]
    app: PhaseOSApp = make_app(FAST_WATCH, services=True)
    app.player = RecordingPlayer(refuse="No audio output device: nothing to play through")  # type: ignore[assignment]
    write_bounce(app.context.studio.root / "bounces" / "kick.wav", 1.0)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_catalogue(app, pilot, versions=1)
        app.screen.query_one(BounceTable).move_cursor(row=1)
        await pilot.press("space")
        await wait_for(
            pilot, lambda: any("No audio output" in n.message for n in app._notifications)
        )
        assert app.playing == ""
        await pilot.press("d")
        await wait_for(pilot, lambda: app.current_mode == "dashboard")


async def test_c_copies_the_folder_of_the_selected_bounce(make_app) -> None:  # type: ignore[no-untyped-def]
    app: PhaseOSApp = make_app(FAST_WATCH, services=True)
    folder = app.context.studio.root / "bounces" / "club mixes"
    folder.mkdir(parents=True)
    write_bounce(folder / "night v1.wav", 1.0)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_catalogue(app, pilot, versions=1)
        app.screen.query_one(BounceTable).move_cursor(row=1)
        await pilot.press("c")
        await wait_for(pilot, lambda: app.clipboard == str(folder))
        assert any(str(folder) in n.message for n in app._notifications)


async def test_scan_from_the_shell_goes_through_the_running_app(make_app) -> None:  # type: ignore[no-untyped-def]
    from phase_tui import control_client

    app: PhaseOSApp = make_app(FAST_WATCH, services=True)
    async with app.run_test(size=(140, 40)) as pilot:
        internal = app.context.studio.internal
        await wait_for(pilot, lambda: app.services.bounces is not None)
        write_bounce(app.context.studio.root / "bounces" / "late.wav", 1.0)
        await wait_for(pilot, lambda: len(app.bounce_records()) == 1)
        reply = await asyncio.to_thread(control_client.send, internal, "bounces.scan")
        assert reply == {"seen": 1, "new": 0, "changed": 0, "vanished": 0, "unchanged": 1}


async def test_the_builder_exit_rule_fires_on_real_bounces(make_app) -> None:  # type: ignore[no-untyped-def]
    app: PhaseOSApp = make_app(FAST_WATCH, services=True)
    bounces = app.context.studio.root / "bounces"
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("2")
        await wait_for(pilot, lambda: app.switcher.current == "builder")
        await wait_for(pilot, lambda: app.services.bounces is not None)
        hud = app.screen.query_one(Hud)
        write_bounce(bounces / "memory-spike.wav", 1.0)
        await wait_for(pilot, lambda: "♪ memory-spike.wav" in hud.render().plain)
        assert hud.message_text() == ""  # one bounce: not yet
        write_bounce(bounces / "memory-spike-v2.wav", 1.5)  # new content: not a duplicate
        await wait_for(pilot, lambda: "2 bounces in builder" in hud.message_text())
        await pilot.press("n")
        await wait_for(pilot, lambda: app.switcher.current == "remix")


async def test_bounces_logged_together_share_one_notification(make_app) -> None:  # type: ignore[no-untyped-def]
    app: PhaseOSApp = make_app(FAST_WATCH, services=True)
    bounces = app.context.studio.root / "bounces"
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: app.services.bounces is not None)
        for index in range(8):
            write_bounce(bounces / f"stem {index}.wav", 0.5 + index / 10)
        await wait_for(pilot, lambda: len(app.bounce_records()) == 8)
        await pilot.pause(0.5)
        toasts = [n for n in app._notifications if "logged" in (n.title or "")]
        assert 1 <= len(toasts) < 8
        assert sum(int(n.title.split()[0]) if n.title[0].isdigit() else 1 for n in toasts) == 8


async def test_tags_are_edited_shown_and_filtered_on(make_app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Input

    app: PhaseOSApp = make_app(FAST_WATCH, services=True)
    bounces = app.context.studio.root / "bounces"
    write_bounce(bounces / "night drive.wav", 1.0)
    write_bounce(bounces / "dusk loop.wav", 1.0)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_catalogue(app, pilot, versions=2)
        table = app.screen.query_one(BounceTable)
        row = next(i for i, name in enumerate(row_names(app)) if name == "night drive.wav")
        table.move_cursor(row=row)
        await pilot.press("e")
        await wait_for(pilot, lambda: bool(app.screen.query("#tags")))
        app.screen.query_one("#tags", Input).value = "#Dark late-night"
        await pilot.press("enter")
        records = {r["name"]: r for r in app.bounce_records()}
        night = records["night drive.wav"]["id"]
        await wait_for(pilot, lambda: app.bounce_record(night)["tags"] == ["dark", "late-night"])
        detail = app.screen.query_one(BounceDetail)
        await wait_for(
            pilot,
            lambda: (
                "#dark #late-night"
                in "\n".join(detail.render_line(y).text for y in range(detail.size.height))
            ),
        )
        await pilot.press("slash", *"late-night", "enter")
        await wait_for(pilot, lambda: "dusk loop.wav" not in row_names(app))
        assert "night drive.wav" in row_names(app)


async def test_no_output_device_is_said_once_not_at_every_play(make_app) -> None:  # type: ignore[no-untyped-def]
    app: PhaseOSApp = make_app()
    app.player = RecordingPlayer(refuse="No audio output device: nothing to play through")
    path = write_bounce(app.context.studio.root / "bounces" / "x.wav", 0.5)
    async with app.run_test(size=(120, 34)) as pilot:
        for _ in range(3):
            app.play_file(path)
            await pilot.pause(0.1)
        said = [n for n in app._notifications if "No audio output" in n.message]
        assert len(said) == 1 and app.playing == ""
