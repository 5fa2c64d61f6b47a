"""The shape of `phase_os.toml`: value kinds, a declarative schema, and the settings dataclasses.

Every setting is one `Field` (name, kind, default, doc) inside a `Section` (one TOML table).
The loader (`phase_tui.config`) validates a file against `SECTIONS`, and the commented
template written by `phase-os init` is generated from the same schema, so the docs can not
drift from the checks. Adding a section is adding a `Section` here (plus its dataclass and
the `Config` attribute it fills); no new validation code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

PHASE_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
COLOUR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ARGV_EXAMPLE = '["notify-send", "Phase OS"]'

# Colours for phases that have no built-in colour, picked by 1-based position in the order.
PHASE_PALETTE = (
    "#b48ead",
    "#ebcb8b",
    "#88c0d0",
    "#a3be8c",
    "#bf616a",
    "#d08770",
    "#5e81ac",
    "#8fbcbb",
)


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


@dataclass(frozen=True)
class Field:
    """One setting: its TOML key, kind, default and the one-line doc shown in the template."""

    name: str
    kind: Kind
    default: object
    doc: str


@dataclass(frozen=True)
class Section:
    """One TOML table.

    `fields` are its fixed keys. `free`, when set, allows any key with values of that kind
    (e.g. `[keys]`). `tables`, when set, is the schema of its named sub-tables (e.g.
    `[phases.NAME]`). `attr` is the `Config` attribute it fills (None: its fields are
    `Config` attributes themselves); `cls` wraps the values in a dataclass. `example` lines
    are shown commented out in the template.
    """

    name: str
    doc: str
    fields: tuple[Field, ...] = ()
    free: Kind | None = None
    tables: tuple[Field, ...] = ()
    attr: str | None = None
    cls: type | None = None
    example: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhaseSettings:
    """One creative phase as configured in `[phases.NAME]`."""

    name: str
    colour: str
    key: str
    description: str = ""
    tasks: tuple[str, ...] = ()
    on_enter: tuple[tuple[str, ...], ...] = ()
    on_exit: tuple[tuple[str, ...], ...] = ()
    payload_timeout_s: float = 10.0
    next: str | None = None
    leave_after_bounces: int = 0
    leave_after_minutes: float = 0.0


@dataclass(frozen=True)
class Config:
    """All settings of a studio, validated. `path` is the file (None for the built-in defaults)."""

    path: Path | None
    theme: str
    idle_gap_hours: float
    week_starts_on: str
    clock_24h: bool
    phases: tuple[PhaseSettings, ...]
    default_phase: str
    keys: Mapping[str, str] = field(hash=False)

    def phase(self, name: str) -> PhaseSettings:
        """The settings of phase `name`; KeyError when no such phase is configured."""
        for settings in self.phases:
            if settings.name == name:
                return settings
        raise KeyError(name)

    @property
    def phase_names(self) -> tuple[str, ...]:
        """The configured phase names, in order."""
        return tuple(settings.name for settings in self.phases)


BUILTIN_PHASES = (
    PhaseSettings(
        "oracle",
        "#b48ead",
        "1",
        "Curate samples: approve, reject, slice.",
        ("Import a crate", "Curate the queue", "Save slices worth keeping"),
        next="builder",
    ),
    PhaseSettings(
        "builder",
        "#ebcb8b",
        "2",
        "Arrange: generate and version form maps, bounce drafts.",
        ("Generate a form map", "Arrange the sections", "Bounce a draft"),
        next="remix",
        leave_after_bounces=2,
    ),
    PhaseSettings(
        "remix",
        "#88c0d0",
        "3",
        "Rework fragments from approved samples and slices.",
        ("Open a remix session", "Rework a fragment", "Bounce the rework"),
        next="recovery",
    ),
    PhaseSettings(
        "recovery",
        "#a3be8c",
        "4",
        "Reflect: read the digest, review tags and memos.",
        ("Read the weekly digest", "Review tags", "Listen back to memos"),
        next="oracle",
    ),
)

APP = Section(
    "app",
    "How the app looks and how it counts time.",
    fields=(
        Field(
            "theme",
            NONEMPTY_TEXT,
            "textual-dark",
            'Textual theme name, e.g. "textual-dark", "textual-light", "nord", "gruvbox".',
        ),
        Field(
            "idle_gap_hours",
            number(0, inclusive=False),
            4.0,
            "Hours without activity after which the next action starts a new session (> 0).",
        ),
        Field(
            "week_starts_on",
            choice(*WEEKDAYS),
            "monday",
            'First day of the week for the digest and weekly totals: "monday" .. "sunday".',
        ),
        Field("clock_24h", BOOL, True, "Show times as 24-hour (true) or 12-hour am/pm (false)."),
    ),
)

PHASE_FIELDS = (
    Field(
        "colour",
        COLOUR,
        None,
        'Colour of the phase, "#rrggbb" (or "#rgb"); default: one from a fixed palette.',
    ),
    Field(
        "key",
        NONEMPTY_TEXT,
        None,
        'Key that switches to this phase; default: its position in the order, e.g. "1".',
    ),
    Field("description", TEXT, "", "What this phase is for, shown on its screen."),
    Field("tasks", TEXT_LIST, (), "Short to-do lines shown on the phase's screen."),
    Field(
        "on_enter",
        COMMANDS,
        (),
        "Commands run on entering the phase, each an argument list (no shell),\n"
        'e.g. [["notify-send", "Phase OS", "entered"]].',
    ),
    Field("on_exit", COMMANDS, (), "Commands run on leaving the phase, like on_enter."),
    Field(
        "payload_timeout_s",
        number(0, inclusive=False),
        10.0,
        "Seconds a payload command may run before it is stopped (> 0).",
    ),
    Field(
        "next",
        OPTIONAL_PHASE,
        None,
        'The phase suggested after this one (another configured phase); "" means none.',
    ),
    Field(
        "leave_after_bounces",
        whole(0),
        0,
        "Suggest the next phase after this many bounces in this phase; 0 turns it off.",
    ),
    Field(
        "leave_after_minutes",
        number(0, inclusive=True),
        0.0,
        "Suggest the next phase after this many minutes in this phase; 0 turns it off.",
    ),
)

PHASES = Section(
    "phases",
    "The creative phases. Each phase may have a [phases.NAME] table below; a phase without\n"
    "one gets a palette colour, its position as key and no description.",
    fields=(
        Field(
            "order",
            PHASE_NAMES,
            tuple(phase.name for phase in BUILTIN_PHASES),
            "The phases, in the order the app cycles through them (lowercase names).",
        ),
        Field(
            "default",
            PHASE_NAME,
            None,
            "The phase a new studio starts in; one of `order` (default: the first).",
        ),
    ),
    tables=PHASE_FIELDS,
    attr="phases",
)

KEYS = Section(
    "keys",
    'Key bindings: binding id = "key" (a Textual key name; several keys comma-separated,\n'
    'e.g. "n,ctrl+n"). Empty means the built-in keys; the ids are listed by `phase-os keys`.',
    free=NONEMPTY_TEXT,
    attr="keys",
    example=('next_phase = "n"',),
)

SECTIONS: tuple[Section, ...] = (APP, PHASES, KEYS)
