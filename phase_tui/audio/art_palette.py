"""The colours of a bounce's PNG art, derived from one phase colour, for a dark background.

The background is near-black tinted by the phase colour; the waveform is drawn in the
colour itself (lifted or dimmed only when it would vanish on the background or leave no room
for a lighter RMS band); sections alternate between two faint tints of it; text is near-white
or muted grey, with the same tint.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import ImageColor

RGB = tuple[int, int, int]

BLACK: RGB = (10, 10, 12)
WHITE: RGB = (255, 255, 255)
BACKGROUND_TINT = 0.08  # how much of the phase colour colours the background
BAND_TINTS = (0.13, 0.06)  # the alternating section bands: even, odd
# The waveform's brightness (0..1) is kept in this range: visible on the dark background,
# and dark enough that the RMS band (mixed towards white) stands out from it.
WAVEFORM_LUMA = (0.35, 0.72)
RMS_LIGHTEN = 0.45


@dataclass(frozen=True)
class ArtPalette:
    """Every colour the art uses, as RGB triples."""

    background: RGB
    bands: tuple[RGB, RGB]  # even and odd sections
    boundary: RGB  # the thin line where a section starts
    waveform: RGB
    rms: RGB
    title: RGB
    details: RGB
    label: RGB  # section labels
    ruler: RGB  # the time ruler's line, ticks and marks

    def band(self, index: int) -> RGB:
        """The band colour of the section at `index` (0-based, in time order)."""
        return self.bands[index % 2]


def mix(a: RGB, b: RGB, amount: float) -> RGB:
    """`a` moved `amount` (0..1) of the way towards `b`."""
    return (
        round(a[0] + (b[0] - a[0]) * amount),
        round(a[1] + (b[1] - a[1]) * amount),
        round(a[2] + (b[2] - a[2]) * amount),
    )


def luma(colour: RGB) -> float:
    """Perceived brightness from 0 (black) to 1 (white), Rec. 709 weights on the raw values."""
    return (0.2126 * colour[0] + 0.7152 * colour[1] + 0.0722 * colour[2]) / 255.0


def parse_colour(colour: str) -> RGB:
    """`"#rrggbb"` or `"#rgb"` as an RGB triple; ValueError for anything else."""
    if not colour.startswith("#"):
        raise ValueError(f'not a colour "#rrggbb": {colour!r}')
    red, green, blue = ImageColor.getrgb(colour)[:3]
    return (red, green, blue)


def waveform_colour(colour: RGB) -> RGB:
    """The phase colour, brought into `WAVEFORM_LUMA` by mixing with white or black."""
    low, high = WAVEFORM_LUMA
    brightness = luma(colour)
    if brightness < low:
        # Mixing is linear in luma, so this amount lands exactly on `low`.
        return mix(colour, WHITE, (low - brightness) / (1.0 - brightness))
    if brightness > high:
        return mix(colour, (0, 0, 0), (brightness - high) / brightness)
    return colour


def palette_for(colour: str) -> ArtPalette:
    """The palette of a phase whose colour is `colour` ("#rrggbb" or "#rgb")."""
    phase = parse_colour(colour)
    background = mix(BLACK, phase, BACKGROUND_TINT)
    waveform = waveform_colour(phase)
    near_white = mix(WHITE, phase, 0.12)
    return ArtPalette(
        background=background,
        bands=(mix(background, waveform, BAND_TINTS[0]), mix(background, waveform, BAND_TINTS[1])),
        boundary=mix(background, waveform, 0.35),
        waveform=waveform,
        rms=mix(waveform, WHITE, RMS_LIGHTEN),
        title=near_white,
        details=mix(background, near_white, 0.62),
        label=mix(background, near_white, 0.72),
        ruler=mix(background, near_white, 0.45),
    )
