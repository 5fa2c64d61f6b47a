"""The bounce detail screen as a producer uses it: enter on a bounce, see its waveform with
sections and its loudness, zoom and select, make the PNG art, go back; a second visit reads
only the peaks cache."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image
from textual.pilot import Pilot

from phase_tui.app import PhaseOSApp
from phase_tui.loop.catalogue import BounceCatalogue
from screens.bounce_detail import BounceDetailScreen
from tests.ui.conftest import FROZEN_NOW, wait_for
from widgets.bounce_table import BounceTable
from widgets.waveform import Waveform

RATE_HZ = 22050


def quiet_loud_quiet(path: Path) -> Path:
    """36 s: a quiet intro, a loud drop, a quiet outro (a sine with a little noise)."""
    t = np.arange(36 * RATE_HZ) / RATE_HZ
    level = np.where(t < 12, 0.03, np.where(t < 24, 0.8, 0.03))
    noise = np.random.default_rng(4).standard_normal(len(t)) * 0.01
    sf.write(path, level * np.sin(2 * np.pi * 110 * t) + noise, RATE_HZ, subtype="PCM_16")
    return path


def registered(app: PhaseOSApp) -> Path:
    """One analysed bounce in the studio; its file."""
    root = app.context.studio.root
    path = quiet_loud_quiet(root / "bounces" / "night drive v2.wav")
    os.utime(path, (FROZEN_NOW - 3600, FROZEN_NOW - 3600))  # a fixed "exported" time
    catalogue = BounceCatalogue(app.context.store, root, lambda: {"session": "s"})
    new, _ = catalogue.register([path])
    catalogue.classify(
        {r["id"]: catalogue.hash_file(r) for r in new}, {r["id"]: catalogue.analyse(r) for r in new}
    )
    return path


async def enter_detail(pilot: Pilot[int]) -> BounceDetailScreen:
    """From anywhere: the catalogue, the bounce's row, enter."""
    await pilot.press("b")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "body_ready", False))
    table = pilot.app.screen.query_one(BounceTable)
    table.move_cursor(row=1)  # row 0 is the track, row 1 its version
    table.focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, BounceDetailScreen))
    screen = pilot.app.screen
    assert isinstance(screen, BounceDetailScreen)
    return screen


async def open_detail(pilot: Pilot[int]) -> BounceDetailScreen:
    """The detail screen of the one bounce, once its waveform is drawn."""
    screen = await enter_detail(pilot)
    await wait_for(pilot, lambda: screen.overview is not None, timeout_s=10)
    await pilot.pause()
    return screen


def lines_of(wave: Waveform) -> list[str]:
    return [wave.render_line(y).text for y in range(wave.size.height)]


async def test_enter_shows_waveform_sections_and_loudness(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    app = make_app()
    registered(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_detail(pilot)
        assert screen.overview is not None
        labels = [section.label for section in screen.overview.sections]
        assert "intro" in labels and any(label.startswith("drop") for label in labels)
        wave = screen.query_one(Waveform)
        drawn = lines_of(wave)
        assert "intro" in drawn[0] and "╵0:10" in drawn[-1]
        assert any(set(line) - {"⠀", " "} for line in drawn[1:-1])
        await pilot.press("plus")
        assert wave.viewport.span_s == pytest.approx(18.0)
        await pilot.press("shift+right", "shift+right")
        assert wave.viewport.selection is not None
        await pilot.press("escape")
        await pilot.press("escape")  # the first clears the selection, the second goes back
        await wait_for(pilot, lambda: not isinstance(app.screen, BounceDetailScreen))


async def test_art_key_saves_a_png_in_art(make_app: Callable[..., PhaseOSApp]) -> None:
    app = make_app("[art]\nwidth = 480\nheight = 270\n")
    registered(app)
    art_dir = app.context.studio.art_dir
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: any(art_dir.glob("*.png")), timeout_s=10)
    (png,) = art_dir.glob("*.png")
    assert png.name.startswith("night-drive-v2-")
    with Image.open(png) as image:
        assert image.size == (480, 270)


async def test_a_second_visit_reads_only_the_cache(
    make_app: Callable[..., PhaseOSApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    registered(app)
    async with app.run_test(size=(120, 40)) as pilot:
        first = await open_detail(pilot)
        assert first.overview is not None
        assert list(app.context.studio.peaks_dir.iterdir())  # cached by content hash

        def no_decoding(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("the audio was read again")

        monkeypatch.setattr("phase_tui.audio.overview.compute_peaks", no_decoding)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, BounceDetailScreen))
        second = await open_detail(pilot)
        assert second.overview is not None
        assert second.overview.content_hash == first.overview.content_hash


async def test_an_unreadable_bounce_says_why(make_app: Callable[..., PhaseOSApp]) -> None:
    app = make_app()
    path = registered(app)
    async with app.run_test(size=(120, 40)) as pilot:
        path.write_bytes(b"not audio at all")  # damaged after it was logged
        wave = (await enter_detail(pilot)).query_one(Waveform)
        await wait_for(pilot, lambda: "cannot draw" in "".join(lines_of(wave)), timeout_s=10)


async def test_a_truncated_bounce_is_drawn_as_far_as_it_goes(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    app = make_app()
    path = registered(app)
    with path.open("r+b") as file:  # cut after it was logged: a third of it is gone
        file.truncate(path.stat().st_size * 2 // 3)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_detail(pilot)
        assert screen.overview is not None
        assert screen.overview.peaks.duration_s == pytest.approx(24.0, abs=0.1)
        title = str(screen.query_one("#detail-title").render())
        assert "truncated" in title and "36.0 s" in title


async def test_a_bounce_made_with_a_form_map_shows_its_sections(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    from phase_tui.builder.form_map import FormMap, FormSection

    app = make_app()
    versions = app.form_versions()
    form = FormMap(  # 120 bpm in 4/4: 2 s a bar, 36 s in all
        "night drive",
        120.0,
        "A minor",
        4,
        (FormSection("intro", 6, 2), FormSection("drop", 6, 9), FormSection("outro", 6, 2)),
    )
    version, _ = versions.save(form, session="s", phase="builder", now=FROZEN_NOW)
    versions.activate(version.id)
    assert app._bounce_context()["form"] == version.id
    path = registered(app)
    record = app.bounce_records()[0]
    app.context.store.update("bounces", record["id"], {"form": version.id})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_detail(pilot)
        assert [(s.label, s.start_s, s.end_s) for s in screen.sections] == [
            ("intro", 0.0, 12.0),
            ("drop", 12.0, 24.0),
            ("outro", 24.0, 36.0),
        ]
        assert path.exists()
