"""Where samples come from: the crates of a studio, as sources the library imports.

Three places name sources, in this order (the first crate naming a file wins it):
- the studio's `crates/` folder: each folder in it is a crate (read recursively), each
  playlist file a crate named by its stem, and audio files lying loose in it the crate
  `loose`;
- `[oracle] crates` in the config: folders, playlists or files, relative to the studio;
- sources added with `phase-os crate add`: records of the journal kind `crates` holding
  an absolute `path` and a `name`.
A source whose path does not exist (an unmounted drive, a moved folder) is still listed:
`Source.present` says so, and the importer reports it instead of failing.

`list_files` lists the files of sources for the importer: playlists expanded, their broken
lines kept with line numbers, each real file once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from phase_tui.config.settings import OracleSettings
from phase_tui.loop.ignore import IgnoreRules
from phase_tui.oracle.playlists import PLAYLIST_SUFFIXES, read_playlist
from phase_tui.store import Record, Store

CRATES = "crates"
"""Store kind (journal) of the sources added with `phase-os crate add`."""

CRATES_FOLDER = "crates"
LOOSE = "loose"
"""The crate of audio files lying loose in `crates/`."""

RULES = IgnoreRules()


@dataclass(frozen=True)
class Source:
    """One place samples come from: a folder (recursive), a playlist, or one file."""

    kind: str  # "folder" | "playlist" | "file"
    path: Path
    crate: str

    @property
    def present(self) -> bool:
        """True when the source's path exists now."""
        return self.path.exists()


def source_kind(path: Path) -> str:
    """What a path is as a source: a folder, a playlist (by suffix) or a file. A path that
    does not exist is taken as a playlist or file by its suffix, else as a folder."""
    if path.is_dir():
        return "folder"
    if path.suffix.lower() in PLAYLIST_SUFFIXES:
        return "playlist"
    if path.is_file() or RULES.name_is_candidate(path.name):
        return "file"
    return "folder"


def default_name(path: Path) -> str:
    """The crate name of a source given without one: a playlist's or file's stem, a folder's
    name."""
    return path.name if source_kind(path) == "folder" else path.stem


def crate_sources(studio_root: Path, settings: OracleSettings, store: Store) -> list[Source]:
    """Every source of the studio: `crates/`, then `[oracle] crates`, then added ones."""
    sources = folder_sources(studio_root / CRATES_FOLDER)
    for entry in settings.crates:
        path = Path(os.path.abspath(studio_root / Path(entry).expanduser()))
        sources.append(Source(source_kind(path), path, default_name(path)))
    for record in store.all(CRATES):
        path = Path(record["path"])
        sources.append(Source(source_kind(path), path, str(record.get("name") or path.name)))
    return sources


def folder_sources(folder: Path) -> list[Source]:
    """The crates of the `crates/` folder: its folders, playlists and loose audio files."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name.casefold())
    except OSError:
        return []
    sources = []
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            sources.append(Source("folder", path, entry.name))
        elif path.suffix.lower() in PLAYLIST_SUFFIXES:
            sources.append(Source("playlist", path, path.stem))
        elif RULES.name_is_candidate(entry.name):
            sources.append(Source("file", path, LOOSE))
    return sources


def add_crate(store: Store, studio_root: Path, path: Path, name: str | None = None) -> Record:
    """Add a source under `name` (default: its name); its absolute path is stored (a
    relative one is taken from the studio). Adding a path again renames its crate.
    FileNotFoundError when the path does not exist; ValueError for a path in `crates/`,
    whose crates are found without being added."""
    absolute = Path(os.path.abspath(studio_root / Path(path).expanduser()))
    if not absolute.exists():
        raise FileNotFoundError(f"{absolute} does not exist")
    crates = Path(os.path.abspath(studio_root / CRATES_FOLDER))
    if absolute == crates or crates in absolute.parents:
        raise ValueError(f"{absolute} is in {crates}: its crates are found without adding")
    crate = (name or "").strip() or default_name(absolute)
    for record in store.all(CRATES):
        if record["path"] == str(absolute):
            return store.update(CRATES, record["id"], {"name": crate})
    return store.insert(CRATES, {"path": str(absolute), "name": crate})


@dataclass(frozen=True)
class SourceFile:
    """One file a source names: its absolute path, its crate, its `stat`."""

    path: str
    crate: str
    stat: os.stat_result


@dataclass
class Listing:
    """The files of some sources (each real file once, in the first crate naming it), the
    playlist lines naming no file (playlist path, line, reason), and the absent sources."""

    files: list[SourceFile] = field(default_factory=list)
    broken: list[tuple[str, int, str]] = field(default_factory=list)
    absent: list[Source] = field(default_factory=list)


def list_files(sources: Sequence[Source]) -> Listing:
    """Every file of `sources`: folders walked in name order (hidden folders, sidecars and
    links to folders left out), playlists expanded. One `stat` per file; a file named twice
    (another crate, a link, a second playlist) is listed once, under the first naming it."""
    listing = Listing()
    seen: set[tuple[int, int]] = set()
    for source in sources:
        if not source.present:
            listing.absent.append(source)
            continue
        for path in _paths(source, listing.broken):
            try:
                st = os.stat(path)
            except OSError:
                continue  # vanished since it was listed: missing, like any gone file
            inode = (st.st_dev, st.st_ino)
            if stat.S_ISREG(st.st_mode) and inode not in seen:
                seen.add(inode)
                listing.files.append(SourceFile(path, source.crate, st))
    return listing


def _paths(source: Source, broken: list[tuple[str, int, str]]) -> Iterator[str]:
    """The absolute paths one source names; a playlist's broken lines go to `broken`."""
    if source.kind == "folder":
        yield from sorted(RULES.candidates_under(source.path, source.path))
    elif source.kind == "playlist":
        try:
            playlist = read_playlist(source.path)
        except OSError as error:
            broken.append((str(source.path), 0, f"cannot be read ({error.strerror or error})"))
            return
        broken.extend((str(source.path), entry.line, entry.reason) for entry in playlist.broken)
        for entry in playlist.entries:
            yield os.path.abspath(entry.path)
    else:
        yield os.fspath(source.path)
