"""Export a studio as one zip snapshot in `archives/`, full or minimal.

- Full: every regular file of the studio except `archives/`, `trash/`, `.phase_os/cache/`,
  the lock, sockets, logs, status snapshot and temp files; symlinks are skipped (restore
  never creates one). Minimal: the scaffold only (config, phase file, forms, digests,
  scratchpad, memo transcripts, the Store files, remix manifests), never audio.
- Each file is streamed into the zip in chunks (bounded memory, ZIP64 on) and hashed on
  the way: audio and images are stored as they are (deflate is slow on PCM for almost no
  gain), the rest is deflated. `MANIFEST.json`, the last member, lists every file with
  its size, mtime and sha256, and the studio, time, session, minimal flag and version.
- The zip is written as `archives/.<name>.partial` (flocked while written), fsynced, then
  renamed: a killed export never leaves a complete-looking archive, and the next export
  removes the partial files no live export holds.
- The Store files are copied first, all under the Store's process lock
  (`.phase_os/lock`), so the journals and libraries are one consistent state.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import stat
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from phase_tui import __version__
from phase_tui.atomic import fsync_folder
from phase_tui.session.studio import CONFIG_NAME, INTERNAL_DIR, PHASE_FILE_NAME

MANIFEST_NAME = "MANIFEST.json"
MANIFEST_FORMAT = 1
PARTIAL_SUFFIX = ".partial"
CHUNK_BYTES = 1 << 20
ZIP64_FORCE_BYTES = 1 << 30  # a file this large may grow past 2 GiB while it is read
AUDIO_EXTENSIONS = frozenset(
    {".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac", ".mp3", ".ogg", ".oga", ".opus"}
    | {".m4a", ".aac", ".caf", ".w64", ".rf64"}
)
STORED_EXTENSIONS = AUDIO_EXTENSIONS | {".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".gz"}
SKIPPED_TOP = frozenset({"archives", "trash"})
SKIPPED_INTERNAL = frozenset({"cache", "lock", "status.txt"})
TEMP_PATTERN = re.compile(r"(\.tmp|\.part|\.partial|~)$")
INTERNAL_SKIPPED_PATTERN = re.compile(r"(\.sock|\.log|\.log\.\d+)$")
STORE_PATTERN = re.compile(r"(journal|library)-[^/]*\.json")
MINIMAL_FOLDERS = ("forms", "digests", "scratchpad")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ArchiveResult:
    """A finished export: the archive, its files (the manifest aside), their bytes before
    compression, and the seconds it took."""

    path: Path
    files: int
    bytes: int
    seconds: float


def archive_name(at: float, session: str, minimal: bool) -> str:
    """`2026-11-24_0130_amber-heron-7f3a[-minimal].zip`: local time, then the session name
    reduced to lowercase letters, digits and single dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", session.lower()).strip("-")[:60].strip("-") or "studio"
    stamp = time.strftime("%Y-%m-%d_%H%M", time.localtime(at))
    return f"{stamp}_{slug}{'-minimal' if minimal else ''}.zip"


def is_store_file(relative: PurePosixPath) -> bool:
    """True for a Store file: `.phase_os/journal-*.json` or `.phase_os/library-*.json`."""
    return (
        len(relative.parts) == 2
        and relative.parts[0] == INTERNAL_DIR
        and STORE_PATTERN.fullmatch(relative.name) is not None
    )


def is_audio(relative: PurePosixPath | str) -> bool:
    return PurePosixPath(relative).suffix.lower() in AUDIO_EXTENSIONS


def plan(studio_root: Path, minimal: bool) -> list[Path]:
    """The files an export holds, relative to the studio, sorted."""
    keep = _in_minimal if minimal else _in_full
    found = [relative for relative in _regular_files(studio_root) if keep(relative)]
    return sorted(Path(relative) for relative in found)


def export_archive(
    studio_root: Path,
    archives_dir: Path,
    *,
    session: str,
    at: float,
    minimal: bool,
    progress: Progress | None = None,
) -> ArchiveResult:
    """Write the snapshot of `studio_root` into `archives_dir` (see the module docstring)."""
    started = time.perf_counter()
    root = Path(studio_root).resolve()
    archives_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(archives_dir)
    files = plan(root, minimal)
    final = _free_path(archives_dir, archive_name(at, session, minimal))
    partial = archives_dir / f".{final.name}{PARTIAL_SUFFIX}"
    writer = _Writer(root, files, progress)
    with open(partial, "xb") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            with zipfile.ZipFile(handle, "w", allowZip64=True) as archive:
                writer.write_all(archive)
                header = _manifest_header(root, session, at, minimal)
                text = json.dumps({**header, "files": writer.entries}, ensure_ascii=False)
                archive.writestr(_zip_info(MANIFEST_NAME, at), text, zipfile.ZIP_DEFLATED)
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(partial, final)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
            raise
    fsync_folder(archives_dir)
    return ArchiveResult(final, len(writer.entries), writer.done, time.perf_counter() - started)


def remove_stale_partials(archives_dir: Path) -> list[Path]:
    """Remove the `.*.partial` files of exports that died (no live export holds their flock)."""
    removed = []
    for path in sorted(archives_dir.glob(f".*{PARTIAL_SUFFIX}")):
        try:
            with open(path, "rb") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                path.unlink()
        except (BlockingIOError, FileNotFoundError):
            continue
        removed.append(path)
    return removed


class _Writer:
    """Streams the planned files into a zip, hashing each and counting bytes for progress."""

    def __init__(self, root: Path, files: list[Path], progress: Progress | None) -> None:
        self.root = root
        self.files = files
        self.progress = progress
        self.entries: list[dict[str, Any]] = []
        self.done = 0
        self.total = sum(_size(root / relative) for relative in files)

    def write_all(self, archive: zipfile.ZipFile) -> None:
        store = [relative for relative in self.files if is_store_file(PurePosixPath(relative))]
        if store:
            with _store_lock(self.root / INTERNAL_DIR):
                for relative in store:
                    self._write(archive, relative)
        done = set(store)
        for relative in self.files:
            if relative not in done:
                self._write(archive, relative)
        self.entries.sort(key=lambda entry: entry["path"])

    def _write(self, archive: zipfile.ZipFile, relative: Path) -> None:
        try:
            with open(self.root / relative, "rb") as source:
                self._copy(archive, relative, source)
        except (FileNotFoundError, IsADirectoryError):
            return  # gone since the plan

    def _copy(self, archive: zipfile.ZipFile, relative: Path, source: IO[bytes]) -> None:
        """Stream one open file into the archive, hashing it; note it for the manifest."""
        st = os.fstat(source.fileno())
        if not stat.S_ISREG(st.st_mode):
            return
        name = relative.as_posix()
        info = _zip_info(name, st.st_mtime, st.st_mode)
        stored = relative.suffix.lower() in STORED_EXTENSIONS
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        digest = hashlib.sha256()
        size = 0
        with archive.open(info, "w", force_zip64=st.st_size >= ZIP64_FORCE_BYTES) as target:
            for chunk in _chunks(source):
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
                self._advance(len(chunk))
        self.entries.append(
            {"path": name, "size": size, "mtime": st.st_mtime, "sha256": digest.hexdigest()}
        )

    def _advance(self, count: int) -> None:
        self.done += count
        self.total = max(self.total, self.done)
        if self.progress is not None:
            self.progress(self.done, self.total)


def _chunks(source: IO[bytes]) -> Iterator[bytes]:
    while chunk := source.read(CHUNK_BYTES):
        yield chunk


@contextlib.contextmanager
def _store_lock(internal: Path) -> Iterator[None]:
    """The Store's process lock (`.phase_os/lock`), held exclusively."""
    fd = os.open(internal / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def _manifest_header(root: Path, session: str, at: float, minimal: bool) -> dict[str, Any]:
    return {
        "format": MANIFEST_FORMAT,
        "app": "Phase OS",
        "version": __version__,
        "studio": root.name,
        "at": at,
        "session": session,
        "minimal": minimal,
    }


def _zip_info(name: str, mtime: float, mode: int = stat.S_IFREG | 0o644) -> zipfile.ZipInfo:
    """A member header; times outside what zip can hold (1980-2107) are clamped."""
    year_first = time.mktime((1980, 1, 1, 0, 0, 0, 0, 0, -1))
    moment = time.localtime(max(mtime, year_first))
    date_time = moment[:6] if moment.tm_year <= 2107 else (2107, 12, 31, 23, 59, 58)
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.external_attr = (stat.S_IFREG | stat.S_IMODE(mode)) << 16
    return info


def _free_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name-2.zip`, `-3`, ... when an archive of that minute exists."""
    path = folder / name
    count = 2
    while path.exists():
        path = folder / f"{name.removesuffix('.zip')}-{count}.zip"
        count += 1
    return path


def _regular_files(root: Path) -> Iterator[PurePosixPath]:
    """Every regular file under `root` as a relative path; symlinks are not followed."""
    for folder, dirs, names in os.walk(root):
        base = Path(folder)
        dirs[:] = [name for name in dirs if not (base / name).is_symlink()]
        for name in names:
            path = base / name
            with contextlib.suppress(OSError):
                if stat.S_ISREG(path.lstat().st_mode):
                    yield PurePosixPath(path.relative_to(root).as_posix())


def _in_full(relative: PurePosixPath) -> bool:
    parts = relative.parts
    if parts[0] in SKIPPED_TOP or TEMP_PATTERN.search(relative.name):
        return False
    if parts[0] != INTERNAL_DIR or len(parts) == 1:
        return True
    return parts[1] not in SKIPPED_INTERNAL and not INTERNAL_SKIPPED_PATTERN.search(parts[-1])


def _in_minimal(relative: PurePosixPath) -> bool:
    if not _in_full(relative) or is_audio(relative):
        return False
    parts = relative.parts
    if len(parts) == 1:
        return parts[0] in (CONFIG_NAME, PHASE_FILE_NAME)
    if parts[0] in MINIMAL_FOLDERS or is_store_file(relative):
        return True
    if parts[0] == "memos":
        return relative.suffix == ".md"
    return parts[0] == "remix" and len(parts) == 3 and parts[2] == "manifest.json"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
