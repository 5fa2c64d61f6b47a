"""Art of bounces: made for every new bounce with `[art] auto = true`, and never without."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PIL import Image

from phase_tui.config import default_config
from phase_tui.config.settings import ArtSettings, WatchSettings
from phase_tui.loop.bounce_art import bounce_details
from phase_tui.loop.logger import BounceLogger
from phase_tui.store import Store
from tests.daw_writers import write_distinct_wav
from tests.helpers import wait_until

CONTEXT = {"session": "s1", "phase": "builder", "form": None}


def started_logger(root: Path, auto: bool) -> BounceLogger:
    config = replace(
        default_config(),
        watch=WatchSettings(settle_s=0.2),
        art=ArtSettings(auto=auto, width=320, height=180),
    )
    (root / "bounces").mkdir(parents=True)
    store = Store(root / ".phase_os", "test-machine")
    logger = BounceLogger(root, config, store, lambda: CONTEXT, lambda _event: None)
    logger.start()
    return logger


def test_every_new_bounce_gets_its_art(tmp_path: Path) -> None:
    logger = started_logger(tmp_path, auto=True)
    try:
        write_distinct_wav(tmp_path / "bounces" / "night drive v4.wav")
        assert wait_until(lambda: any((tmp_path / "art").glob("*.png")), timeout_s=10)
    finally:
        logger.stop()
    (art,) = (tmp_path / "art").glob("*.png")
    assert art.name.startswith("night-drive-v4-")
    with Image.open(art) as image:
        assert image.size == (320, 180)
    assert list((tmp_path / ".phase_os" / "cache" / "peaks").iterdir())  # the detail view's too


def test_no_art_unless_asked(tmp_path: Path) -> None:
    logger = started_logger(tmp_path, auto=False)
    try:
        write_distinct_wav(tmp_path / "bounces" / "night drive v4.wav")
        assert wait_until(
            lambda: any(r.get("analysed") for r in logger.catalogue.records()), timeout_s=10
        )
    finally:
        logger.stop()
    assert logger.art is None and not (tmp_path / "art").exists()


def test_details_say_length_loudness_and_rate() -> None:
    record = {"duration_s": 197.2, "lufs": -9.84, "sample_rate_hz": 44100}
    assert bounce_details(record) == "3:17 · -9.8 LUFS · 44.1 kHz"
    assert bounce_details({"duration_s": None}) == "-:--"
