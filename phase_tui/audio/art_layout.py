"""Where things go on a bounce's PNG art, for any size from thumbnail to poster.

Top to bottom: the title (large), the details (smaller), the section bands with their labels
along the top and the waveform below them, then a thin time ruler. Margins, type and strokes
scale with the picture; the horizontal margin depends on the width alone, so the caller can
know how many waveform columns to compute before choosing a height. On a tall picture (a
square cover) the bands stop growing at half the width and the whole stack is centred.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_WIDTH_PX, MIN_HEIGHT_PX = 160, 90
MAX_SIDE_PX = 8000
REFERENCE_PX = (1600, 900)  # the size the proportions below were tuned at
MAX_BANDS_PER_WIDTH = 0.5


@dataclass(frozen=True)
class Box:
    """A rectangle of pixels: `left` and `top` inside it, `right` and `bottom` just outside."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width_px(self) -> int:
        return self.right - self.left

    @property
    def height_px(self) -> int:
        return self.bottom - self.top


@dataclass(frozen=True)
class ArtLayout:
    """Positions (top-left corners of text lines), type sizes and strokes of one picture."""

    width_px: int
    height_px: int
    title_xy: tuple[int, int]
    details_xy: tuple[int, int]
    title_px: int
    details_px: int
    small_px: int  # section labels and ruler marks
    bands: Box  # the section bands: labels along their top, the waveform below
    waveform: Box  # one waveform column per pixel; an odd height, so the centre is a row
    label_inset_px: int  # a label's distance from its band's top-left corner
    ruler_y: int  # top of the ruler's line
    line_px: int  # the ruler's line and section boundaries
    tick_px: int
    centre_line_px: int  # how thick silence is drawn (odd)


def margin_x_px(width_px: int) -> int:
    """The left and right margin of a picture `width_px` wide."""
    return max(8, round(width_px * 0.05))


def check_size(width_px: int, height_px: int) -> None:
    """ValueError unless the picture is between 160 x 90 and 8000 x 8000 pixels."""
    if not (MIN_WIDTH_PX <= width_px <= MAX_SIDE_PX and MIN_HEIGHT_PX <= height_px <= MAX_SIDE_PX):
        raise ValueError(
            f"art of {width_px}x{height_px} px: each side must be {MIN_WIDTH_PX}x{MIN_HEIGHT_PX}"
            f" .. {MAX_SIDE_PX} px"
        )


def art_layout(width_px: int, height_px: int) -> ArtLayout:
    """The layout of a picture of this size (ValueError outside the sizes `check_size` takes)."""
    check_size(width_px, height_px)
    scale = min(width_px / REFERENCE_PX[0], height_px / REFERENCE_PX[1])
    margin_x, margin_y = margin_x_px(width_px), max(6, round(60 * scale))
    title_px, details_px = max(11, round(64 * scale)), max(9, round(30 * scale))
    small_px = max(8, round(20 * scale))
    line_px, tick_px = max(1, round(2 * scale)), max(3, round(10 * scale))
    label_inset_px = max(2, round(small_px * 0.4))

    details_dy = round(title_px * 1.3)
    bands_dy = details_dy + round(details_px * 1.25) + max(4, round(28 * scale))
    ruler_px = line_px + tick_px + max(1, round(3 * scale)) + round(small_px * 1.25)
    bands_px = height_px - 2 * margin_y - bands_dy - ruler_px
    # A tall picture keeps the waveform's proportions and centres the stack instead.
    capped_px = min(bands_px, round(width_px * MAX_BANDS_PER_WIDTH))
    top = margin_y + (bands_px - capped_px) // 2

    bands = Box(margin_x, top + bands_dy, width_px - margin_x, top + bands_dy + capped_px)
    wave_top = bands.top + label_inset_px + round(small_px * 1.4)
    wave_bottom = bands.bottom - max(2, round(8 * scale))
    if (wave_bottom - wave_top) % 2 == 0:
        wave_bottom -= 1
    return ArtLayout(
        width_px=width_px,
        height_px=height_px,
        title_xy=(margin_x, top),
        details_xy=(margin_x, top + details_dy),
        title_px=title_px,
        details_px=details_px,
        small_px=small_px,
        bands=bands,
        waveform=Box(bands.left, wave_top, bands.right, max(wave_bottom, wave_top + 1)),
        label_inset_px=label_inset_px,
        ruler_y=bands.bottom,
        line_px=line_px,
        tick_px=tick_px,
        centre_line_px=2 * int(scale * 0.75) + 1,
    )
