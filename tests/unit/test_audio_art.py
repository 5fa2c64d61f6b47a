"""PNG art of a bounce: layout at any size, waveform strokes, section bands, text, files."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFont

from phase_tui.audio import art_fonts
from phase_tui.audio.art import (
    ArtRequest,
    art_file_name,
    render_art,
    save_art,
    waveform_columns,
)
from phase_tui.audio.art_fonts import ELLIPSIS, load_font
from phase_tui.audio.art_layout import art_layout
from phase_tui.audio.art_palette import luma, palette_for
from phase_tui.audio.art_waveform import fit_columns
from phase_tui.audio.sections import Section

COLOUR = "#b48ead"
PALETTE = palette_for(COLOUR)


def request(
    width_px: int = 320,
    height_px: int = 180,
    peak: np.ndarray | float = 0.8,
    rms: np.ndarray | float | None = None,
    duration_s: float = 20.0,
    sections: tuple[Section, ...] = (),
    title: str = "memory spike v2",
    columns: int | None = None,
) -> ArtRequest:
    """A request whose columns all have `peak` (or one value each) and RMS (half the peak)."""
    count = waveform_columns(width_px) if columns is None else columns
    peaks = np.broadcast_to(np.asarray(peak, dtype=float), (count,)).copy()
    rmss = peaks / 2 if rms is None else np.broadcast_to(np.asarray(rms, dtype=float), (count,))
    return ArtRequest(
        title=title,
        details="0:20 · -9.8 LUFS · 44.1 kHz",
        duration_s=duration_s,
        minimum=-peaks,
        maximum=peaks,
        rms=rmss,
        sections=sections,
        colour=COLOUR,
        width_px=width_px,
        height_px=height_px,
    )


def waveform_pixels(image: Image.Image) -> np.ndarray:
    """The waveform area of `image` as an (rows, columns, 3) array."""
    box = art_layout(*image.size).waveform
    return np.asarray(image)[box.top : box.bottom, box.left : box.right]


def is_colour(pixels: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    return np.all(pixels == np.array(colour, dtype=np.uint8), axis=-1)


def stroke_heights(image: Image.Image) -> np.ndarray:
    """Per column of the waveform area, how many pixels differ from the background."""
    return (~is_colour(waveform_pixels(image), PALETTE.background)).sum(axis=0)


@pytest.fixture
def no_system_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fonts as on a machine with no TrueType fonts installed."""
    monkeypatch.setattr(art_fonts, "REGULAR_NAMES", ("no-such-font.ttf",))
    monkeypatch.setattr(art_fonts, "BOLD_NAMES", ("no-such-font-bold.ttf",))
    load_font.cache_clear()
    yield
    load_font.cache_clear()


@pytest.mark.parametrize("size", [(160, 90), (320, 180), (1600, 900), (3000, 3000)])
def test_renders_at_any_size_with_the_waveform_inside_its_area(size: tuple[int, int]) -> None:
    image = render_art(request(*size))
    assert image.size == size and image.mode == "RGB"
    assert is_colour(waveform_pixels(image), PALETTE.waveform).any()
    assert is_colour(waveform_pixels(image), PALETTE.rms).any()
    layout = art_layout(*size)
    assert layout.title_xy[1] < layout.details_xy[1] < layout.bands.top
    assert layout.bands.top < layout.waveform.top < layout.waveform.bottom <= layout.bands.bottom
    assert layout.ruler_y + layout.small_px < size[1]


def test_waveform_columns_is_the_waveform_width_at_any_height() -> None:
    for height_px in (90, 180, 900, 3000):
        assert art_layout(1600, height_px).waveform.width_px == waveform_columns(1600) == 1440
    assert waveform_columns(320) == 288
    with pytest.raises(ValueError):
        waveform_columns(100)
    with pytest.raises(ValueError):
        render_art(request(width_px=320, height_px=60, columns=10))


def test_a_square_picture_keeps_the_bands_at_half_its_width_and_centres_them() -> None:
    layout = art_layout(3000, 3000)
    assert layout.bands.height_px == 1500
    margin_px = art_layout(3000, 1687).title_xy[1]  # the same scale, no room to spare
    assert layout.title_xy[1] > 3 * margin_px and 3000 - layout.ruler_y > 3 * margin_px


def test_saved_png_opens_with_its_size_mode_and_waveform(tmp_path: Path) -> None:
    path = save_art(render_art(request(640, 360)), tmp_path / "new" / "folder" / "art.png")
    assert path == tmp_path / "new" / "folder" / "art.png"
    with Image.open(path) as saved:
        assert saved.format == "PNG" and saved.size == (640, 360) and saved.mode == "RGB"
        assert is_colour(waveform_pixels(saved.convert("RGB")), PALETTE.waveform).sum() > 1000


def test_silence_draws_only_the_centre_line() -> None:
    image = render_art(request(640, 360, peak=0.0))
    pixels = waveform_pixels(image)
    drawn_rows = np.flatnonzero((~is_colour(pixels, PALETTE.background)).any(axis=1))
    centre_row = pixels.shape[0] // 2
    assert drawn_rows.tolist() == [centre_row]
    assert is_colour(pixels[centre_row], PALETTE.waveform).all()


def test_loud_columns_draw_taller_strokes_than_quiet_ones() -> None:
    count = waveform_columns(640)
    peak = np.where(np.arange(count) < count // 2, 0.9, 0.2)
    heights = stroke_heights(render_art(request(640, 360, peak=peak)))
    loud, quiet = heights[: count // 2 - 2].mean(), heights[count // 2 + 2 :].mean()
    area_px = art_layout(640, 360).waveform.height_px
    assert loud == pytest.approx(0.9 * area_px, abs=2)
    assert quiet == pytest.approx(0.2 * area_px, abs=2)


def test_peaks_beyond_full_scale_are_clipped_to_the_area() -> None:
    image = render_art(request(640, 360, peak=3.0, rms=0.0))
    assert is_colour(waveform_pixels(image), PALETTE.waveform).all()
    layout = art_layout(640, 360)
    above = np.asarray(image)[layout.waveform.top - 1, layout.waveform.left]
    assert tuple(above) == PALETTE.background


def test_the_rms_core_is_lighter_and_inside_the_peak_stroke() -> None:
    pixels = waveform_pixels(render_art(request(640, 360, peak=0.8, rms=0.3)))
    column = pixels[:, 10]
    half = pixels.shape[0] / 2
    assert tuple(column[int(half)]) == PALETTE.rms
    assert tuple(column[int(half - 0.6 * half)]) == PALETTE.waveform
    assert tuple(column[int(half - 0.9 * half)]) == PALETTE.background
    assert luma(PALETTE.rms) > luma(PALETTE.waveform)


def test_section_bands_tint_their_time_range_and_carry_their_labels() -> None:
    sections = (Section("a", "intro", 0.0, 5.0, 0.2), Section("b", "", 5.0, 10.0, 0.9))
    image = render_art(request(640, 360, peak=0.0, duration_s=20.0, sections=sections))
    layout = art_layout(640, 360)
    bands, row = layout.bands, layout.waveform.top + 2  # above the centre line
    pixels = np.asarray(image)
    quarter_px = bands.width_px // 4
    first, second, rest = (pixels[row, bands.left + quarter_px * i + 20] for i in (0, 1, 3))
    assert tuple(first) == PALETTE.band(0)
    assert tuple(second) == PALETTE.band(1)
    assert tuple(rest) == PALETTE.background
    assert len({PALETTE.band(0), PALETTE.band(1), PALETTE.background}) == 3
    strip = pixels[bands.top : layout.waveform.top]
    first_strip = strip[:, bands.left : bands.left + quarter_px - 5]
    second_strip = strip[:, bands.left + quarter_px + 5 : bands.left + 2 * quarter_px - 5]
    assert (~is_colour(first_strip, PALETTE.band(0))).sum() > 20  # "intro"
    assert is_colour(second_strip, PALETTE.band(1)).all()  # no label


def test_one_section_fills_the_bands_and_zero_duration_draws_none() -> None:
    whole = (Section("a", "loop", 0.0, 20.0, 0.5),)
    layout = art_layout(320, 180)
    row, columns = layout.waveform.top + 1, slice(layout.bands.left, layout.bands.right)
    filled = np.asarray(render_art(request(peak=0.0, sections=whole)))[row, columns]
    assert is_colour(filled, PALETTE.band(0)).all()
    for unknown_s in (0.0, -1.0, math.nan, math.inf):
        empty = np.asarray(render_art(request(peak=0.0, duration_s=unknown_s, sections=whole)))
        assert is_colour(empty[row, columns], PALETTE.background).all()
        assert is_colour(empty[layout.ruler_y, columns], PALETTE.ruler).all()


def test_a_long_title_is_cut_with_an_ellipsis_inside_the_margins() -> None:
    title = "an extremely long title " * 20
    image = render_art(request(640, 360, title=title))
    layout = art_layout(640, 360)
    font = load_font(layout.title_px, bold=True)
    fitted = font.fit(title, layout.bands.width_px)
    assert fitted.endswith(ELLIPSIS) and len(fitted) < len(title)
    assert font.width_px(fitted) <= layout.bands.width_px
    title_rows = np.asarray(image)[layout.title_xy[1] : layout.details_xy[1], layout.bands.right :]
    assert is_colour(title_rows, PALETTE.background).all()
    assert font.fit("drop", font.width_px(ELLIPSIS) - 1) == ""


def test_unicode_titles_are_drawn() -> None:
    image = render_art(request(640, 360, title="ünïcödé 日本"))
    layout = art_layout(640, 360)
    title_rows = np.asarray(image)[layout.title_xy[1] : layout.details_xy[1]]
    assert (~is_colour(title_rows, PALETTE.background)).sum() > 100


def test_without_system_fonts_pillows_own_font_draws_folded_text(no_system_fonts: None) -> None:
    font = load_font(30)
    assert font.ascii_only and isinstance(font.font, ImageFont.FreeTypeFont)
    assert font.fit("ünïcödé — ok", 1000) == "unicode - ok"
    assert render_art(request(title="ünïcödé")).size == (320, 180)


def test_an_old_pillow_falls_back_to_the_bitmap_font(
    no_system_fonts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    bitmap = ImageFont.load_default_imagefont()

    def old_load_default() -> ImageFont.ImageFont:  # Pillow < 10.1 takes no size
        return bitmap

    monkeypatch.setattr(ImageFont, "load_default", old_load_default)
    assert load_font(40).font is bitmap
    image = render_art(request(640, 360))
    assert is_colour(waveform_pixels(image), PALETTE.waveform).any()


def test_columns_of_another_count_are_resampled_by_index() -> None:
    spike = np.zeros(1000)
    spike[637] = 0.9
    assert fit_columns(spike, 10, loudest=True).tolist() == [0.0] * 6 + [0.9] + [0.0] * 3
    assert fit_columns(np.full(1000, 0.5), 10, loudest=False) == pytest.approx(np.full(10, 0.5))
    assert fit_columns(np.array([0.1, -0.2]), 4, loudest=True).tolist() == [0.1, 0.1, 0.2, 0.2]
    assert fit_columns(np.array([]), 3, loudest=True).tolist() == [0.0, 0.0, 0.0]
    assert fit_columns(np.array([np.nan, -np.inf]), 2, loudest=True).tolist() == [0.0, 1.0]
    short = request(640, 360, peak=np.array([0.9, 0.9, 0.1, 0.1]), columns=4)
    heights = stroke_heights(render_art(short))
    assert heights[:100].min() > 3 * heights[-100:].max()


def test_colours_must_be_hex() -> None:
    assert palette_for("#abc").waveform == palette_for("#aabbcc").waveform
    for bad in ("purple", "#12345", ""):
        with pytest.raises(ValueError):
            palette_for(bad)


def test_the_palette_keeps_the_phase_colour_and_rescues_extreme_ones() -> None:
    assert PALETTE.waveform == (0xB4, 0x8E, 0xAD)
    assert max(PALETTE.background) < 32 and PALETTE.background[0] > PALETTE.background[1]
    assert PALETTE.band(0) == PALETTE.band(2) != PALETTE.band(1)
    dark, light = palette_for("#000010"), palette_for("#ffffff")
    assert luma(dark.waveform) == pytest.approx(0.35, abs=0.01)
    assert luma(light.rms) - luma(light.waveform) > 0.1


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "art.png"
    path.write_bytes(b"old")
    save_art(render_art(request()), path)
    assert os.listdir(tmp_path) == ["art.png"]
    with Image.open(path) as saved:
        saved.verify()
    blocked = tmp_path / "folder.png"
    blocked.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(OSError):
        save_art(render_art(request()), blocked)
    assert sorted(os.listdir(tmp_path)) == ["art.png", "folder.png"]


def test_art_file_names_are_made_of_the_track_version_and_hash() -> None:
    assert art_file_name("memory spike", "v2", "1a2b3c4d5e6f") == "memory-spike-v2-1a2b3c4d.png"
    assert art_file_name("ünïcödé", None, "FF00") == "unicode-ff00.png"
    assert art_file_name("", None, "") == "bounce.png"


@pytest.mark.parametrize(
    "track",
    ["../../etc/passwd", "-rf", ".hidden", "ünïcödé", "a/b\\c", "", "日本語", "..", "x" * 500],
)
@pytest.mark.parametrize("version", [None, "", "../v2", "-"])
def test_art_file_names_are_safe_for_untrusted_names(track: str, version: str | None) -> None:
    name = art_file_name(track, version, "../1a2b/3c4d5e")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.png", name)
    assert len(name) <= 100 and name.endswith("-1a2b3c4d.png")
