"""Session identity: a memorable generated name with its colour, e.g. `amber-heron-7f3a`.

The first word is a colour name and gives the session its colour.
"""

from __future__ import annotations

import random

COLOURS = {
    "amber": "#ffbf00",
    "azure": "#3a9ad9",
    "coral": "#ff7f50",
    "cobalt": "#3d59ab",
    "crimson": "#dc143c",
    "ember": "#e25822",
    "indigo": "#6f5bd6",
    "ivory": "#e8e4c9",
    "jade": "#00a86b",
    "lilac": "#c8a2c8",
    "olive": "#9a9a3a",
    "rose": "#e8768b",
    "rust": "#b7410e",
    "saffron": "#f4c430",
    "teal": "#2a9d8f",
    "violet": "#8f5fd7",
}
ANIMALS = (
    "heron",
    "otter",
    "lynx",
    "wren",
    "moth",
    "fox",
    "orca",
    "raven",
    "hare",
    "ibis",
    "koi",
    "newt",
    "owl",
    "puma",
    "seal",
    "swift",
    "viper",
    "yak",
    "crane",
    "gecko",
)


def generate_identity(rng: random.Random | None = None) -> tuple[str, str]:
    """A new (name, colour) pair: `<colour>-<animal>-<4 hex>` and the colour's hex value."""
    rng = rng or random.Random()
    colour = rng.choice(sorted(COLOURS))
    name = f"{colour}-{rng.choice(ANIMALS)}-{rng.getrandbits(16):04x}"
    return name, COLOURS[colour]
