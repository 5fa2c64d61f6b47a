"""The studio folder: its layout, `phase-os init`, and how the app finds its studio.

Order of discovery: `--studio`, then `PHASE_OS_STUDIO`, then the current directory and its
parents (a folder holding `phase_os.toml`), then a default studio in the user data
directory, created on first use, so the app always opens.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from phase_tui.atomic import atomic_write_text

CONFIG_NAME = "phase_os.toml"
PHASE_FILE_NAME = "current_phase.txt"
INTERNAL_DIR = ".phase_os"
STUDIO_FOLDERS = (
    "bounces",
    "crates",
    "slices",
    "remix",
    "memos",
    "scratchpad",
    "forms",
    "digests",
    "art",
    "archives",
    INTERNAL_DIR,
)
# Per-machine files that a sync engine must never carry between machines.
STIGNORE_TEXT = """\
// Phase OS: per-machine files, never synced (Syncthing ignore patterns).
.phase_os/lock
.phase_os/status.txt
.phase_os/cache
.phase_os/*.sock
.phase_os/*.log
.phase_os/*.log.*
.phase_os/*.tmp
"""


@dataclass(frozen=True)
class Studio:
    """Paths of one studio folder; every path here is absolute and resolved."""

    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def phase_file(self) -> Path:
        return self.root / PHASE_FILE_NAME

    @property
    def internal(self) -> Path:
        return self.root / INTERNAL_DIR

    @property
    def log_path(self) -> Path:
        return self.internal / "phase_os.log"

    @property
    def cache_dir(self) -> Path:
        return self.internal / "cache"

    @property
    def peaks_dir(self) -> Path:
        """Waveform peaks by content hash (a cache: rebuilt when missing or damaged)."""
        return self.cache_dir / "peaks"

    @property
    def art_dir(self) -> Path:
        """PNG art of bounces."""
        return self.root / "art"

    def folder(self, name: str) -> Path:
        """The absolute path of one of the studio's folders (`bounces`, `memos`, ...)."""
        return self.root / name

    def relative(self, path: Path) -> str:
        """A path as shown to the user: relative to the studio when inside it."""
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)


def is_studio(path: Path) -> bool:
    """True when `path` holds a Phase OS config file."""
    return (path / CONFIG_NAME).is_file()


def init_studio(path: Path, config_text: str | None = None) -> Studio:
    """Create the studio layout at `path`; existing files are never overwritten.

    `config_text` is the commented default `phase_os.toml` (from `phase_tui.config`).
    """
    if config_text is None:
        from phase_tui.config import default_config_text

        config_text = default_config_text()
    root = Path(path).expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    for name in STUDIO_FOLDERS:
        (root / name).mkdir(exist_ok=True)
    (root / INTERNAL_DIR / "cache").mkdir(exist_ok=True)
    studio = Studio(root)
    if not studio.config_path.exists():
        atomic_write_text(studio.config_path, config_text)
    stignore = root / ".stignore"
    if not stignore.exists():
        atomic_write_text(stignore, STIGNORE_TEXT)
    return studio


def default_studio_path() -> Path:
    """The studio used when none is given or found: in the user data directory."""
    import platformdirs

    return Path(platformdirs.user_data_dir("phase-os", appauthor=False)) / "studio"


def find_studio(explicit: Path | None = None, cwd: Path | None = None) -> Studio:
    """Locate the studio (see the module docstring); create the default one if needed."""
    if explicit is not None:
        return _open_or_init(Path(explicit))
    from_env = os.environ.get("PHASE_OS_STUDIO")
    if from_env:
        return _open_or_init(Path(from_env))
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_studio(folder):
            return Studio(folder)
    return _open_or_init(default_studio_path())


def _open_or_init(path: Path) -> Studio:
    root = path.expanduser().resolve()
    if is_studio(root):
        _ensure_internal(root)
        return Studio(root)
    return init_studio(root)


def _ensure_internal(root: Path) -> None:
    (root / INTERNAL_DIR / "cache").mkdir(parents=True, exist_ok=True)
