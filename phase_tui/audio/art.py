"""PNG art of a bounce, for postmortem review or cover art: waveform, sections, title, details.

`render_art` draws an `ArtRequest` (peaks computed by the caller, `waveform_columns(width)`
of them) in the colours of a phase on a dark background: see `art_layout` for where things
go, `art_palette` for the colours, `art_waveform` for the strokes, `art_fonts` for the type.
`save_art` writes the PNG atomically; `art_file_name` makes a safe name for it. Pure domain
(Pillow and numpy, no Textual); slow enough for a big picture to belong off the UI thread.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from phase_tui.atomic import atomic_write_bytes
from phase_tui.audio.art_fonts import fold_to_ascii, load_font
from phase_tui.audio.art_layout import (
    MIN_HEIGHT_PX,
    ArtLayout,
    art_layout,
    check_size,
    margin_x_px,
)
from phase_tui.audio.art_palette import ArtPalette, palette_for
from phase_tui.audio.art_waveform import fit_columns, peak_amplitude, stroke_mask
from phase_tui.audio.ruler import INTERVALS_S, time_label
from phase_tui.audio.sections import Section

NAME_PART_CHARS = 80  # of the track and version in a file name, before the hash
HASH_CHARS = 8


@dataclass(frozen=True)
class ArtRequest:
    """What to draw. `minimum`, `maximum` and `rms` hold one value per waveform column
    (samples at full scale 1.0; best `waveform_columns(width_px)` of them, other counts are
    resampled by index). `details` is drawn as given, e.g. "3:17 · -9.8 LUFS · 44.1 kHz"."""

    title: str
    details: str
    duration_s: float
    minimum: np.ndarray
    maximum: np.ndarray
    rms: np.ndarray
    sections: Sequence[Section]
    colour: str  # the phase colour, "#rrggbb" or "#rgb"
    width_px: int
    height_px: int


def waveform_columns(width_px: int) -> int:
    """How many columns of peaks to compute for a picture `width_px` wide (the width of its
    waveform area, whatever the height); ValueError for a width the art cannot be drawn at."""
    check_size(width_px, MIN_HEIGHT_PX)
    return width_px - 2 * margin_x_px(width_px)


def render_art(request: ArtRequest) -> Image.Image:
    """The picture, RGB, `width_px` x `height_px`. ValueError for a size outside 160 x 90 ..
    8000 x 8000 or a colour that is not "#rrggbb"/"#rgb"."""
    layout = art_layout(request.width_px, request.height_px)
    palette = palette_for(request.colour)
    image = Image.new("RGB", (layout.width_px, layout.height_px), palette.background)
    draw = ImageDraw.Draw(image)
    # An unknown length (zero, negative, NaN) draws no sections and a ruler with just 0:00.
    duration_s = request.duration_s if 0 < request.duration_s < math.inf else 0.0
    if duration_s:
        _draw_sections(draw, layout, palette, request.sections, duration_s)
    _draw_waveform(image, layout, palette, request)
    _draw_ruler(draw, layout, palette, duration_s)
    room_px = layout.bands.width_px
    title_font = load_font(layout.title_px, bold=True)
    draw.text(
        layout.title_xy, title_font.fit(request.title, room_px), palette.title, font=title_font.font
    )
    details_font = load_font(layout.details_px)
    draw.text(
        layout.details_xy,
        details_font.fit(request.details, room_px),
        palette.details,
        font=details_font.font,
    )
    return image


def _draw_sections(
    draw: ImageDraw.ImageDraw,
    layout: ArtLayout,
    palette: ArtPalette,
    sections: Sequence[Section],
    duration_s: float,
) -> None:
    """Each section as a band of alternating tint, a boundary line where it starts, and its
    label in its top-left corner (cut to the band, left out when not even "…" fits)."""
    bands, inset_px = layout.bands, layout.label_inset_px
    font = load_font(layout.small_px)
    px_per_s = bands.width_px / duration_s
    ordered = sorted(sections, key=lambda section: (section.start_s, section.end_s))
    for index, section in enumerate(ordered):
        left = max(bands.left, bands.left + round(section.start_s * px_per_s))
        right = min(bands.right, bands.left + round(section.end_s * px_per_s))
        if right <= left:
            continue
        draw.rectangle((left, bands.top, right - 1, bands.bottom - 1), fill=palette.band(index))
        if left > bands.left:
            draw.rectangle(
                (left, bands.top, left + layout.line_px - 1, bands.bottom - 1),
                fill=palette.boundary,
            )
        label = font.fit(section.label, right - left - 2 * inset_px - layout.line_px)
        if label:
            xy = (left + layout.line_px + inset_px, bands.top + inset_px)
            draw.text(xy, label, palette.label, font=font.font)


def _draw_waveform(
    image: Image.Image, layout: ArtLayout, palette: ArtPalette, request: ArtRequest
) -> None:
    """The peak strokes in the waveform colour, the RMS core over them in the lighter one."""
    box = layout.waveform
    amplitude = peak_amplitude(request.minimum, request.maximum, box.width_px)
    rms = np.minimum(fit_columns(request.rms, box.width_px, loudest=False), amplitude)
    for level, colour, min_stroke_px in (
        (amplitude, palette.waveform, layout.centre_line_px),
        (rms, palette.rms, 0.0),
    ):
        mask = Image.fromarray(stroke_mask(level, box.height_px, min_stroke_px))
        image.paste(colour, (box.left, box.top, box.right, box.bottom), mask)


def _draw_ruler(
    draw: ImageDraw.ImageDraw, layout: ArtLayout, palette: ArtPalette, duration_s: float
) -> None:
    """A line under the bands with a tick and an m:ss mark at each round interval (the
    smallest of `ruler.INTERVALS_S` that leaves room for the marks); just 0:00 when the
    duration is zero."""
    bands, font = layout.bands, load_font(layout.small_px)
    top, line_px = layout.ruler_y, layout.line_px
    draw.rectangle((bands.left, top, bands.right - 1, top + line_px - 1), fill=palette.ruler)
    interval_s = _tick_interval_s(duration_s, bands.width_px, font.width_px, layout.small_px)
    tick_count = math.floor(duration_s / interval_s + 1e-9) + 1 if duration_s > 0 else 1
    gap_px = max(1, layout.tick_px // 3)
    for tick in range(tick_count):
        x = bands.left + (round(tick * interval_s / duration_s * bands.width_px) if tick else 0)
        draw.rectangle(
            (x, top, x + line_px - 1, top + line_px + layout.tick_px - 1), fill=palette.ruler
        )
        mark = time_label(tick * interval_s, interval_s)
        if x + line_px + gap_px + font.width_px(mark) <= layout.width_px - gap_px:
            xy = (x + line_px + gap_px, top + line_px + gap_px)
            draw.text(xy, mark, palette.ruler, font=font.font)


def _tick_interval_s(
    duration_s: float, width_px: int, measure: Callable[[str], float], small_px: int
) -> float:
    """The smallest round interval whose ticks lie far enough apart for their marks."""
    if duration_s <= 0:
        return 1.0
    px_per_s = width_px / duration_s

    def room_px(interval_s: float) -> float:
        return measure(time_label(duration_s, interval_s)) + 1.5 * small_px

    for interval_s in INTERVALS_S:
        if interval_s * px_per_s >= room_px(interval_s):
            return interval_s
    longest_s = INTERVALS_S[-1]  # beyond it: whole multiples of it
    return longest_s * math.ceil(room_px(longest_s) / px_per_s / longest_s)


def save_art(image: Image.Image, path: Path) -> Path:
    """Write `image` as a PNG at `path` atomically (a temporary sibling, fsync, rename),
    creating its folder; `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    encoded = io.BytesIO()
    image.save(encoded, format="PNG")
    atomic_write_bytes(path, encoded.getvalue())
    return path


def art_file_name(track: str, version: str | None, content_hash: str) -> str:
    """A safe file name for the art, "memory-spike-v2-1a2b3c4d.png", from untrusted names:
    lower-case ASCII letters, digits and single dashes (accents folded, anything else a
    dash), never starting with a dash or dot; "bounce" when nothing of the names is left."""
    words = _slug(f"{track} {version or ''}")[:NAME_PART_CHARS].strip("-") or "bounce"
    digest = _slug(content_hash).replace("-", "")[:HASH_CHARS]
    return f"{words}-{digest}.png" if digest else f"{words}.png"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold_to_ascii(text).lower()).strip("-")
