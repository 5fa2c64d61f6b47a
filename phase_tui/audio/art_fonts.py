"""Type for the PNG art: a TrueType font found by name, else Pillow's own, and text fitting.

No font path is assumed: Pillow looks the names up in the system's font folders, and when
none is there the art uses Pillow's embedded font (`load_default(size=...)`, Pillow >= 10.1
with FreeType), or, on an older or FreeType-less Pillow, its small fixed bitmap font. The
embedded fonts cover ASCII only, so text drawn with them has its accents folded ("ü" -> "u").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

# Tried in order, by file name (DejaVu on Linux, Arial on macOS and Windows).
REGULAR_NAMES = ("DejaVuSans.ttf", "Arial.ttf", "arial.ttf")
BOLD_NAMES = ("DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf")
ELLIPSIS = "…"
# Stand-ins the embedded font has for common characters it lacks.
ASCII_STAND_INS = str.maketrans({"—": "-", "–": "-", "×": "x", "ß": "ss", "æ": "ae", "ø": "o"})


@dataclass(frozen=True)
class ArtFont:
    """A loaded font, its line height in pixels, and whether it only draws ASCII."""

    font: Font
    line_px: int
    ascii_only: bool

    def width_px(self, text: str) -> float:
        """How wide `text` is drawn in this font."""
        return self.font.getlength(text)

    def fit(self, text: str, max_width_px: float) -> str:
        """`text` as drawable in this font, cut with an ellipsis to fit `max_width_px`; ""
        when not even the ellipsis fits."""
        text = " ".join(fold_to_ascii(text).split() if self.ascii_only else text.split())
        if self.width_px(text) <= max_width_px:
            return text
        if self.width_px(ELLIPSIS) > max_width_px:
            return ""
        # The longest prefix (searched by bisection) that still fits with the ellipsis.
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self.width_px(text[:middle].rstrip() + ELLIPSIS) <= max_width_px:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + ELLIPSIS


def fold_to_ascii(text: str) -> str:
    """Accents dropped and a few symbols replaced, for a font that draws ASCII only;
    characters with no ASCII form are kept (they draw as boxes)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(ASCII_STAND_INS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=64)
def load_font(size_px: int, bold: bool = False) -> ArtFont:
    """A font `size_px` high: the first system TrueType font found, else Pillow's."""
    for name in BOLD_NAMES if bold else REGULAR_NAMES:
        try:
            return _art_font(ImageFont.truetype(name, size_px), ascii_only=False)
        except OSError:
            continue  # not installed here: try the next name
    try:
        return _art_font(ImageFont.load_default(size=size_px), ascii_only=True)
    except (TypeError, ImportError, OSError):
        # Pillow < 10.1 has no `size`; without FreeType there is only the bitmap font.
        return _art_font(ImageFont.load_default(), ascii_only=True)


def _art_font(font: Font, ascii_only: bool) -> ArtFont:
    # Drawn from the top of the ascenders, a line reaches down to the lowest descender.
    bottom_px = font.getbbox("ÁMgjy")[3]
    return ArtFont(font, line_px=max(int(bottom_px), 1), ascii_only=ascii_only)
