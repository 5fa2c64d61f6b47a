"""The shape of `phase_os.toml`: one `Section` per TOML table, one `Field` per setting.

This is the file to extend. Every setting is a `Field` (name, kind, default, doc) inside
a `Section`, and `SECTIONS` lists them in file order. The loader validates a file against
`SECTIONS`, and the commented template written by `phase-os init` is generated from it, so
the docs can not drift from the checks. Adding a section is adding a `Section` here and
to `SECTIONS` (plus its dataclass and the `Config` attribute it fills, in `settings.py`);
no new validation code. Value kinds (`TEXT`, `number()`...) live in `kinds.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

from phase_tui.builder.templates import ROLES, TEMPLATES
from phase_tui.config.kinds import (
    BOOL,
    COLOUR,
    COMMANDS,
    NONEMPTY_TEXT,
    OPTIONAL_PHASE,
    PHASE_NAME,
    PHASE_NAMES,
    TEXT,
    TEXT_LIST,
    Kind,
    Mismatch,
    choice,
    number,
    whole,
)
from phase_tui.config.settings import (
    BUILTIN_PHASES,
    DEFAULT_KEYS,
    ApiSettings,
    ArtSettings,
    BuilderSettings,
    DigestSettings,
    MailSettings,
    MemoSettings,
    OracleSettings,
    WatchSettings,
    WaveformSettings,
)
from phase_tui.loop.ignore import DEFAULT_IGNORE

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


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

WATCH = Section(
    "watch",
    "Export folders where finished bounces appear (the DAW's export folders too).",
    fields=(
        Field(
            "folders",
            TEXT_LIST,
            ("bounces",),
            "Folders watched recursively; relative paths are inside the studio.",
        ),
        Field(
            "poll_folders",
            TEXT_LIST,
            (),
            "Of those, folders to poll (network drives are found and polled without it).",
        ),
        Field(
            "settle_s",
            number(0, inclusive=False),
            1.0,
            "Seconds a file must stay unchanged before it is logged when no close-after-write "
            "is seen; after one, a quarter of this (at most 0.2 s) (> 0).",
        ),
        Field(
            "ignore",
            TEXT_LIST,
            DEFAULT_IGNORE,
            "File name patterns never logged: hidden, temporary, sidecar, sync-conflict files.",
        ),
        Field(
            "reconcile_minutes",
            number(0, inclusive=True),
            10.0,
            "Minutes between re-scans that find what change events missed; 0 turns it off.",
        ),
    ),
    attr="watch",
    cls=WatchSettings,
)

WAVEFORM = Section(
    "waveform",
    "How waveforms are drawn in the terminal.",
    fields=(
        Field(
            "style",
            choice("braille", "blocks"),
            "braille",
            'Dots or bars: "braille" (2 x 4 dots a cell, finer) or "blocks".',
        ),
    ),
    attr="waveform",
    cls=WaveformSettings,
)

ART = Section(
    "art",
    "PNG art of a bounce (waveform, section map, title, duration, loudness) in art/.",
    fields=(
        Field("auto", BOOL, False, "Make the art of every new bounce (true), or on request."),
        Field("width", whole(160), 1600, "Width in pixels (>= 160)."),
        Field("height", whole(90), 900, "Height in pixels (>= 90)."),
    ),
    attr="art",
    cls=ArtSettings,
)

MODES = ("major", "minor", "dorian", "phrygian", "lydian", "mixolydian", "locrian")
MUSICAL_KEY_RE = re.compile(r"^\s*([A-Ga-g])([#b]?)\s+([A-Za-z]+)\s*$")
METRE_RE = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*$")
BEAT_UNITS = ("1", "2", "4", "8", "16")
KEY_EXAMPLE = 'a key like "A minor" or "F# major"'


def _musical_keys(value: object) -> tuple[str, ...]:
    """A non-empty list of keys, each normalised to "F# minor" (note, accidental, mode)."""
    if not isinstance(value, list) or not value:
        raise Mismatch()
    keys = []
    for index, item in enumerate(value):
        found = MUSICAL_KEY_RE.match(item) if isinstance(item, str) else None
        if found is None or found.group(3).lower() not in MODES:
            raise Mismatch(expects=KEY_EXAMPLE, found=item, at=(index,))
        keys.append(f"{found.group(1).upper()}{found.group(2)} {found.group(3).lower()}")
    return tuple(keys)


def _time_signature(value: object) -> str:
    """ "N/M": 1..32 beats of a whole, half, quarter, eighth or sixteenth note."""
    found = METRE_RE.match(value) if isinstance(value, str) else None
    if found is None or not 1 <= int(found.group(1)) <= 32 or found.group(2) not in BEAT_UNITS:
        raise Mismatch()
    return f"{int(found.group(1))}/{found.group(2)}"


ROLE_LIST = ", ".join(ROLES)


def _roles(value: object) -> tuple[str, ...]:
    """A non-empty list of section roles, each one of ROLES."""
    if not isinstance(value, list) or not value:
        raise Mismatch()
    for index, item in enumerate(value):
        if item not in ROLES:
            raise Mismatch(expects=f"one of {ROLE_LIST}", found=item, at=(index,))
    return tuple(value)


def _role_numbers(minimum: float, maximum: float | None, whole_only: bool) -> Kind:
    """A table of role = number within [minimum, maximum]."""

    def convert(value: object) -> MappingProxyType[str, float]:
        if not isinstance(value, dict):
            raise Mismatch()
        for role, amount in value.items():
            if role not in ROLES:
                raise Mismatch(expects=f"roles among {ROLE_LIST}", found=role, at=(role,))
            fits = isinstance(amount, int) or (isinstance(amount, float) and not whole_only)
            if (
                isinstance(amount, bool)
                or not fits
                or amount < minimum
                or (maximum is not None and amount > maximum)
            ):
                raise Mismatch(found=amount, at=(role,))
        return MappingProxyType(dict(value))

    span = f"{minimum:g}..{maximum:g}" if maximum is not None else f"> {minimum:g}"
    noun = "whole number" if whole_only else "number"
    return Kind(f"a table of role = {noun} {span}", convert)


TEMPLATE_FIELDS = (
    Field("roles", Kind(f"a non-empty list of roles ({ROLE_LIST})", _roles), (), "The plan."),
    Field("peak", choice(*ROLES), "drop", "The role at the top of the energy arc."),
    Field("energy", _role_numbers(1, 10, True), {}, "Base energy of roles, 1..10."),
    Field("weights", _role_numbers(0.01, None, False), {}, "Relative length of roles."),
    Field("instruments", TEXT_LIST, (), "Instrument hints drawn from."),
)

BUILDER = Section(
    "builder",
    "How the builder generates form maps (seeded: the same seed and settings, the same map).",
    fields=(
        Field("parts", whole(2), 4, "Sections in a form map (>= 2)."),
        Field(
            "template",
            NONEMPTY_TEXT,
            "club",
            "The default template: "
            + ", ".join(f'"{name}"' for name in TEMPLATES)
            + ", or a [builder.NAME] table of your own.",
        ),
        Field("tempo_min_bpm", number(20, inclusive=True), 118.0, "Slowest tempo drawn (bpm)."),
        Field(
            "tempo_max_bpm",
            number(20, inclusive=True),
            128.0,
            "Fastest tempo drawn (bpm, >= tempo_min_bpm; a whole bpm must lie between).",
        ),
        Field(
            "keys",
            Kind(f"a non-empty list of keys ({KEY_EXAMPLE})", _musical_keys),
            DEFAULT_KEYS,
            'Keys drawn from, e.g. "A minor", "F# major", "D dorian".',
        ),
        Field(
            "target_minutes",
            number(0, inclusive=False),
            3.5,
            "Length the sections add up to, near enough (a bar grid step), in minutes (> 0).",
        ),
        Field(
            "time_signature",
            Kind('a time signature "N/M", e.g. "4/4", "7/8"', _time_signature),
            "4/4",
            'Metre of the maps, "beats/unit", e.g. "4/4", "3/4", "6/8".',
        ),
    ),
    tables=TEMPLATE_FIELDS,
    attr="builder",
    cls=BuilderSettings,
    example=(
        '[builder.lofi]  # a template of your own: template = "lofi"',
        'roles = ["intro", "verse", "chorus", "verse", "chorus", "outro"]',
        'peak = "chorus"',
        "energy = { intro = 3, verse = 5, chorus = 8, outro = 2 }",
        "weights = { verse = 2.0, chorus = 2.0 }",
        'instruments = ["drums", "rhodes", "bass", "vinyl crackle"]',
    ),
)

MEMO = Section(
    "memo",
    "Voice memos: the memo key records from the microphone, Whisper transcribes in the\n"
    "background, and spoken words become tags, scratchpad notes and commands.",
    fields=(
        Field("device", TEXT, "", 'Input device: a name (or part of one) or number; "" = default.'),
        Field(
            "sample_rate",
            whole(8000),
            16000,
            "Recording rate in Hz (>= 8000); 16000 suits Whisper.",
        ),
        Field(
            "silence_stop_s",
            number(0, inclusive=True),
            0.0,
            "Stop a memo after this many seconds of silence; 0 turns it off.",
        ),
        Field(
            "silence_db",
            number(-120, inclusive=True),
            -45.0,
            "Level in dBFS below which the microphone counts as silent (-120 .. 0).",
        ),
        Field("cue", BOOL, True, "A short sound on start, stop and transcript done (and a flash)."),
        Field("transcribe", BOOL, True, "Transcribe each memo when it stops (false: on request)."),
        Field(
            "backend",
            choice("faster-whisper", "openai-whisper"),
            "faster-whisper",
            '"faster-whisper" (light, fast on CPU) or "openai-whisper" (needs torch).',
        ),
        Field(
            "model",
            NONEMPTY_TEXT,
            "tiny.en",
            "Whisper model: a name (looked up in .phase_os/models/, then the backend's own\n"
            "cache; never downloaded) or the path of a model folder or .pt file.",
        ),
        Field("language", TEXT, "en", 'Language spoken, e.g. "en"; "" detects it.'),
        Field("beam_size", whole(1), 5, "Beam search width (>= 1); 1 is greedy and fastest."),
        Field(
            "idle_unload_minutes",
            number(0, inclusive=True),
            5.0,
            "Minutes without a transcription after which the model leaves memory; 0: never.",
        ),
        Field("tag_words", TEXT_LIST, ("tag", "hashtag"), 'Words before a tag: "tag dark".'),
        Field("note_words", TEXT_LIST, ("note",), "Words that start a scratchpad note."),
        Field(
            "phase_words",
            TEXT_LIST,
            ("phase", "switch to", "go to"),
            'Words before a phase name: "phase builder".',
        ),
        Field(
            "bookmark_words",
            TEXT_LIST,
            ("bookmark",),
            "Words that link the memo to the latest bounce.",
        ),
    ),
    attr="memo",
    cls=MemoSettings,
)

DIGEST = Section(
    "digest",
    "The weekly digest in digests/: new bounces, slices, form map changes, tags, memos,\n"
    "time per phase, sessions. Written once a week is over, catching up missed weeks.",
    fields=(
        Field(
            "day",
            choice(*WEEKDAYS),
            "sunday",
            'The last day of a digest week ("monday" .. "sunday"); the digest is dated that day.',
        ),
        Field(
            "auto",
            BOOL,
            True,
            "Write each week's digest when the week is over (false: on request).",
        ),
        Field("mail", BOOL, False, "Mail each new digest ([mail] settings)."),
    ),
    attr="digest",
    cls=DigestSettings,
)

MAIL = Section(
    "mail",
    "SMTP for mailing digests. The password is never written here: it is read from the\n"
    "environment variable `password_env`, or from the file `password_file`.",
    fields=(
        Field("host", TEXT, "", 'The SMTP server, e.g. "smtp.example.com".'),
        Field("port", whole(1), 587, "Its port: 587 for STARTTLS, 465 for SSL, 25 for none."),
        Field(
            "security",
            choice("starttls", "ssl", "none"),
            "starttls",
            '"starttls", "ssl" (TLS from the start) or "none" (a local relay only).',
        ),
        Field("username", TEXT, "", 'Login name; "" sends without logging in.'),
        Field(
            "password_env",
            TEXT,
            "PHASE_OS_SMTP_PASSWORD",
            "Environment variable holding the password.",
        ),
        Field("password_file", TEXT, "", "Or a file holding it (first line; mode 600)."),
        Field("sender", TEXT, "", 'The From address, e.g. "studio@example.com".'),
        Field("to", TEXT_LIST, (), "Addresses the digest goes to."),
        Field("ca_file", TEXT, "", "Extra certificates (PEM) to trust, for a self-hosted server."),
        Field("timeout_s", number(0, inclusive=False), 20.0, "Seconds to wait for the server."),
    ),
    attr="mail",
    cls=MailSettings,
)

ORACLE = Section(
    "oracle",
    "Sample curation: crates (crates/ holds folders, playlists and files; more here),\n"
    "the curation queue's preview, the miner that re-scans the sources, the slicer.",
    fields=(
        Field(
            "crates",
            TEXT_LIST,
            (),
            "More sources: folders (recursive), .m3u/.m3u8/.pls playlists or audio files;\n"
            "relative paths are inside the studio.",
        ),
        Field(
            "autoplay_delay_s",
            number(0, inclusive=True),
            0.35,
            "Seconds the cursor rests on a sample before it plays (0: never by itself).",
        ),
        Field(
            "rescan_days",
            number(0, inclusive=True),
            7.0,
            "Days between re-scans of every source for new samples (0: only when asked).",
        ),
        Field(
            "snap",
            choice("zero", "beat", "off"),
            "zero",
            'Slice edges snap to "zero" crossings, the "beat" grid (tempo known) or "off".',
        ),
        Field("fade_ms", number(0, inclusive=True), 5.0, "Fade in and out of a saved slice (ms)."),
    ),
    attr="oracle",
    cls=OracleSettings,
)


def _port(value: object) -> int:
    """A TCP port, 1..65535."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise Mismatch()
    return value


API = Section(
    "api",
    "The read-only JSON API of `phase-os serve`: samples, bounces, memos, form maps, tags\n"
    "and their audio (range requests), for a browser or a script.",
    fields=(
        Field(
            "host",
            NONEMPTY_TEXT,
            "127.0.0.1",
            'Address to listen on; "127.0.0.1" is this machine only (another needs `token`).',
        ),
        Field("port", Kind("a port number 1..65535", _port), 7717, "TCP port to listen on."),
        Field(
            "token",
            TEXT,
            "",
            "When set, every request needs `Authorization: Bearer <token>`; required when\n"
            "`host` is not a loopback address.",
        ),
        Field("in_app", BOOL, False, "Serve the API from inside the app too, while it runs."),
        Field("page_size", whole(1), 50, "Items on a page when a request names no per_page."),
        Field("max_page_size", whole(1), 500, "The most items a request may ask for a page."),
    ),
    attr="api",
    cls=ApiSettings,
)

SECTIONS: tuple[Section, ...] = (
    APP,
    PHASES,
    KEYS,
    WATCH,
    WAVEFORM,
    ART,
    BUILDER,
    MEMO,
    DIGEST,
    MAIL,
    ORACLE,
    API,
)
