"""What a loaded `phase_os.toml` gives: the `Config` and `PhaseSettings` dataclasses.

Also the built-in phases (what a file without `[phases]` gets) and the palette that
colours phases with no built-in colour. A new section's dataclass goes here, with the
`Config` attribute it fills; its `Section` goes in `schema.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from phase_tui.builder.templates import Template
from phase_tui.loop.ignore import DEFAULT_IGNORE

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
class WatchSettings:
    """`[watch]`: the export folders where bounces appear, and how they are watched."""

    folders: tuple[str, ...] = ("bounces",)
    poll_folders: tuple[str, ...] = ()
    settle_s: float = 1.0
    ignore: tuple[str, ...] = DEFAULT_IGNORE
    reconcile_minutes: float = 10.0

    def resolved(self, studio_root: Path, names: tuple[str, ...] | None = None) -> tuple[Path, ...]:
        """The folders (default: `folders`) as absolute paths; relative ones are in the studio."""
        return tuple(
            (studio_root / Path(name).expanduser()).resolve()
            for name in (self.folders if names is None else names)
        )


@dataclass(frozen=True)
class WaveformSettings:
    """`[waveform]`: how waveforms are drawn in the terminal."""

    style: str = "braille"  # "braille" (2 x 4 dots a cell) or "blocks"


@dataclass(frozen=True)
class ArtSettings:
    """`[art]`: PNG art of bounces (waveform, sections, title), saved under `art/`."""

    auto: bool = False  # a PNG for every new bounce
    width: int = 1600
    height: int = 900


@dataclass(frozen=True)
class MemoSettings:
    """`[memo]`: voice memo capture, transcription and the words that become actions."""

    device: str = ""  # input device name or number; "" is the default input
    sample_rate: int = 16000
    silence_stop_s: float = 0.0  # stop after this much silence; 0: never
    silence_db: float = -45.0
    cue: bool = True
    transcribe: bool = True
    backend: str = "faster-whisper"
    model: str = "tiny.en"
    language: str = "en"
    beam_size: int = 5
    idle_unload_minutes: float = 5.0
    tag_words: tuple[str, ...] = ("tag", "hashtag")
    note_words: tuple[str, ...] = ("note",)
    phase_words: tuple[str, ...] = ("phase", "switch to", "go to")
    bookmark_words: tuple[str, ...] = ("bookmark",)


@dataclass(frozen=True)
class DigestSettings:
    """`[digest]`: the weekly digest: which day ends a week, written and mailed how."""

    day: str = "sunday"  # the last day of a digest week; its digest is dated that day
    auto: bool = True  # the app writes each week's digest once the week is over
    mail: bool = False  # and mails it ([mail])


@dataclass(frozen=True)
class MailSettings:
    """`[mail]`: where digests are mailed, over SMTP. The password is never in the file:
    it comes from the environment variable `password_env` or the file `password_file`."""

    host: str = ""
    port: int = 587
    security: str = "starttls"  # "starttls", "ssl" or "none"
    username: str = ""
    password_env: str = "PHASE_OS_SMTP_PASSWORD"
    password_file: str = ""
    sender: str = ""
    to: tuple[str, ...] = ()
    ca_file: str = ""  # extra certificates to trust (a self-hosted server's)
    timeout_s: float = 20.0


@dataclass(frozen=True)
class OracleSettings:
    """`[oracle]`: sample crates, curation preview, the miner's schedule, slicing."""

    crates: tuple[str, ...] = ()  # sources beyond crates/: folders, playlists, files
    autoplay_delay_s: float = 0.35  # a sample plays this long after the cursor stops on it
    rescan_days: float = 7.0  # the miner re-scans the sources this often (0: only asked)
    snap: str = "zero"  # slice edges snap to "zero" crossings, the "beat" grid, or "off"
    fade_ms: float = 5.0  # fade in and out of a saved slice


@dataclass(frozen=True)
class ApiSettings:
    """`[api]`: the read-only JSON API of `phase-os serve` (samples, bounces, memos, forms,
    tags, audio). A `token` is required when `host` is not a loopback address."""

    host: str = "127.0.0.1"
    port: int = 7717
    token: str = ""  # when set, every request needs `Authorization: Bearer <token>`
    in_app: bool = False  # the app serves the API too while it runs
    page_size: int = 50  # items on a page when a request names no `per_page`
    max_page_size: int = 500


DEFAULT_KEYS = ("A minor", "C major", "D minor", "E minor", "F major", "G major", "F# minor")


@dataclass(frozen=True)
class BuilderSettings:
    """`[builder]`: how form maps are generated (parts, template, tempo, keys, length, metre)."""

    parts: int = 4
    template: str = "club"
    tempo_min_bpm: float = 118.0
    tempo_max_bpm: float = 128.0
    keys: tuple[str, ...] = DEFAULT_KEYS
    target_minutes: float = 3.5
    time_signature: str = "4/4"
    templates: Mapping[str, Template] = field(default_factory=dict, hash=False)
    """Templates of the user's own ([builder.NAME] tables), beside the built-in ones."""


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
    watch: WatchSettings = WatchSettings()
    waveform: WaveformSettings = WaveformSettings()
    art: ArtSettings = ArtSettings()
    builder: BuilderSettings = BuilderSettings()
    memo: MemoSettings = MemoSettings()
    digest: DigestSettings = DigestSettings()
    mail: MailSettings = MailSettings()
    oracle: OracleSettings = OracleSettings()
    api: ApiSettings = ApiSettings()

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
