"""What a demo step is: given a `DemoContext`, it names the `DemoFile`s it makes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from phase_tui.session.studio import Studio


@dataclass(frozen=True)
class DemoContext:
    """What every step may use: the studio being filled and the seed."""

    studio: Studio
    seed: int


@dataclass(frozen=True)
class DemoFile:
    """One file of the demo: where it goes (relative to the studio) and how to write it.

    `write(path)` writes the complete file and returns a short description of it.
    """

    relative_path: str
    write: Callable[[Path], str]


# A step: what it makes, in the order `create_demo_studio` writes and reports them.
DemoStep = Callable[[DemoContext], Sequence[DemoFile]]
