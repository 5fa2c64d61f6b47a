"""Value kinds of `phase_os.toml`: what each setting expects, in words, and its converter.

A `Kind` pairs the expectation shown in messages with a function that turns a raw TOML
value into ours or raises `Mismatch`. The fixed kinds (`TEXT`, `BOOL`, `COLOUR`,
`COMMANDS`, `PHASE_NAME`...) are constants; `number()`, `whole()` and `choice()` make
kinds with bounds or options.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

PHASE_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
COLOUR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
ARGV_EXAMPLE = '["notify-send", "Phase OS"]'


class Mismatch(ValueError):
    """A value does not fit its kind.

    `expects` and `found` override the kind's expectation and the value shown when the
    culprit is an element (`at` holds its indices, e.g. (0, 1) for `[0][1]`); `hint` adds advice.
    """

    def __init__(
        self,
        *,
        expects: str | None = None,
        found: object = None,
        at: tuple[int, ...] = (),
        hint: str = "",
    ) -> None:
        super().__init__(expects or hint)
        self.expects = expects
        self.found = found
        self.at = at
        self.hint = hint


@dataclass(frozen=True)
class Kind:
    """A type of setting: what it expects (in words) and how a raw TOML value becomes ours."""

    expects: str
    convert: Callable[[object], object]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise Mismatch()
    return value


def _nonempty(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Mismatch()
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise Mismatch()
    return value


def number(minimum: float, *, inclusive: bool) -> Kind:
    """A finite int or float (never a bool) above `minimum` (or equal, when `inclusive`)."""

    def convert(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Mismatch()
        if not math.isfinite(value) or value < minimum or (value == minimum and not inclusive):
            raise Mismatch()
        return float(value)

    return Kind(f"a number {'>=' if inclusive else '>'} {minimum:g}", convert)


def whole(minimum: int) -> Kind:
    """An integer (never a bool or a float) >= `minimum`."""

    def convert(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise Mismatch()
        return value

    return Kind(f"a whole number >= {minimum}", convert)


def choice(*options: str) -> Kind:
    """One of `options`, matched without regard to case, returned in lowercase."""

    def convert(value: object) -> str:
        if not isinstance(value, str) or value.lower() not in options:
            raise Mismatch()
        return value.lower()

    return Kind("one of " + ", ".join(f'"{option}"' for option in options), convert)


def _colour(value: object) -> str:
    if not isinstance(value, str) or not COLOUR_RE.match(value):
        raise Mismatch()
    digits = value[1:].lower()
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return "#" + digits


def _text_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise Mismatch()
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise Mismatch(expects="a string", found=item, at=(index,))
    return tuple(value)


def _commands(value: object) -> tuple[tuple[str, ...], ...]:
    if isinstance(value, str):
        raise Mismatch(
            hint=f"write each command as an argument list, e.g. {ARGV_EXAMPLE}, not a shell string"
        )
    if not isinstance(value, list):
        raise Mismatch()
    commands = []
    for index, argv in enumerate(value):
        if not isinstance(argv, list) or not argv:
            raise Mismatch(
                expects=f"an argument list, e.g. {ARGV_EXAMPLE}", found=argv, at=(index,)
            )
        for position, arg in enumerate(argv):
            if not isinstance(arg, str) or (position == 0 and not arg.strip()):
                raise Mismatch(
                    expects="a non-empty string" if position == 0 else "a string",
                    found=arg,
                    at=(index, position),
                )
        commands.append(tuple(argv))
    return tuple(commands)


def _phase_name(value: object) -> str:
    if not isinstance(value, str) or not PHASE_NAME_RE.match(value):
        raise Mismatch()
    return value


def _optional_phase(value: object) -> str | None:
    if value == "":
        return None
    return _phase_name(value)


def _phase_names(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise Mismatch()
    for index, item in enumerate(value):
        if not isinstance(item, str) or not PHASE_NAME_RE.match(item):
            raise Mismatch(expects=PHASE_NAME.expects, found=item, at=(index,))
        if item in value[:index]:
            raise Mismatch(expects="each phase once", found=item, at=(index,))
    return tuple(value)


TEXT = Kind("a string", _text)
NONEMPTY_TEXT = Kind("a non-empty string", _nonempty)
BOOL = Kind("true or false", _bool)
COLOUR = Kind('a colour "#rrggbb" or "#rgb"', _colour)
TEXT_LIST = Kind("a list of strings", _text_list)
COMMANDS = Kind(f"a list of commands, each an argument list, e.g. [{ARGV_EXAMPLE}]", _commands)
PHASE_NAME = Kind(
    'a phase name (lowercase letters, digits, "-" or "_", starting with a letter)', _phase_name
)
OPTIONAL_PHASE = Kind('a phase name, or "" for none', _optional_phase)
PHASE_NAMES = Kind("a non-empty list of phase names", _phase_names)
