"""Read M3U, M3U8 and PLS playlists into local file paths, and say which entries are broken.

Playlists come from other machines and other apps: a byte-order mark, CRLF lines, Windows
backslashes, `file://` URLs, names in latin-1 or in NFD unicode all occur. Each entry is
resolved against the playlist's folder; an entry that is not a local file that exists
becomes a `BrokenEntry` with a short reason, never an error. Only failing to read the
playlist file itself raises (`OSError`). Stdlib only.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

PLAYLIST_SUFFIXES = (".m3u", ".m3u8", ".pls")

NOT_FOUND = "not found"
NOT_LOCAL = "not a local file"
UNDECODABLE = "cannot be decoded as UTF-8"
NOT_PLS = "not a PLS line"

_BOM = b"\xef\xbb\xbf"
_Line = tuple[str, bool]  # (text, whether it decoded: if not, shown with replacement marks)
_Item = tuple[int, str, str | None]  # (line, entry text, title)
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+://")
_PLS_KEY = re.compile(r"^(file|title)(\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class PlaylistEntry:
    """A local file the playlist names; `line` is where it is named (1-based)."""

    path: Path
    title: str | None
    line: int


@dataclass(frozen=True)
class BrokenEntry:
    """A playlist line that names no readable local file, and why."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Playlist:
    """The entries of one playlist, in playlist order, and its broken lines."""

    path: Path
    entries: tuple[PlaylistEntry, ...]
    broken: tuple[BrokenEntry, ...]


def read_playlist(path: Path) -> Playlist:
    """Read an M3U/M3U8/PLS playlist; raises `OSError` when the file cannot be read."""
    data = path.read_bytes().removeprefix(_BOM)
    lines = _decode_lines(data, utf8_only=path.suffix.lower() == ".m3u8")
    folder = path.absolute().parent
    entries: list[PlaylistEntry] = []
    broken: list[BrokenEntry] = []
    items = _pls_items(lines, broken) if _is_pls(path, lines) else _m3u_items(lines, broken)
    for line, text, title in items:
        resolved = resolve_entry(text, folder)
        if isinstance(resolved, Path):
            entries.append(PlaylistEntry(resolved, title, line))
        else:
            broken.append(BrokenEntry(line, text, resolved))
    broken.sort(key=lambda entry: entry.line)
    return Playlist(path, tuple(entries), tuple(broken))


def resolve_entry(text: str, folder: Path) -> Path | str:
    """The existing local file an entry names, or the reason it names none."""
    if text.lower().startswith("file:"):
        parts = urlsplit(text)
        if parts.netloc not in ("", "localhost"):
            return NOT_LOCAL
        text = unquote(parts.path)
    elif _URL_SCHEME.match(text):
        return NOT_LOCAL
    for candidate in _spellings(text):
        target = folder / candidate  # an absolute candidate replaces the folder
        if target.is_file():
            return Path(os.path.normpath(target))
    return NOT_FOUND


def _spellings(text: str) -> list[str]:
    """The ways a name may be written on this machine: as is, with `/` for `\\`, NFC, NFD."""
    forms = [text]
    if "\\" in text and os.sep == "/":
        forms.append(text.replace("\\", "/"))
    for form in list(forms):
        forms += [unicodedata.normalize("NFC", form), unicodedata.normalize("NFD", form)]
    return list(dict.fromkeys(forms))


def _m3u_items(lines: list[_Line], broken: list[BrokenEntry]) -> list[_Item]:
    items: list[_Item] = []
    title: str | None = None
    for number, (line, decoded) in enumerate(lines, start=1):
        text = line.strip()
        if not decoded:
            broken.append(BrokenEntry(number, text, UNDECODABLE))
            title = None
        elif text.upper().startswith("#EXTINF:"):
            _, comma, rest = text.partition(",")
            title = (rest.strip() or None) if comma else None
        elif text and not text.startswith("#"):
            items.append((number, text, title))
            title = None
    return items


def _pls_items(lines: list[_Line], broken: list[BrokenEntry]) -> list[_Item]:
    files: dict[int, tuple[int, str]] = {}
    titles: dict[int, str] = {}
    for number, (line, decoded) in enumerate(lines, start=1):
        text = line.strip()
        if not decoded:
            broken.append(BrokenEntry(number, text, UNDECODABLE))
        elif not text or text.startswith((";", "#", "[")):
            continue
        elif "=" not in text:
            broken.append(BrokenEntry(number, text, NOT_PLS))
        else:
            key, _, value = text.partition("=")
            match = _PLS_KEY.match(key.strip())
            if match is None:
                continue  # NumberOfEntries, Version, LengthN: nothing to resolve
            index, value = int(match.group(2)), value.strip()
            if match.group(1).lower() == "title":
                titles[index] = value
            elif value:
                files[index] = (number, value)
    return [
        (line, text, titles.get(index) or None) for index, (line, text) in sorted(files.items())
    ]


def _is_pls(path: Path, lines: list[_Line]) -> bool:
    if path.suffix.lower() == ".pls":
        return True
    first = next((text.strip() for text, _ in lines if text.strip()), "")
    return first.lower() == "[playlist]"


def _decode_lines(data: bytes, utf8_only: bool) -> list[_Line]:
    """Split on CR, LF or CRLF, then decode: UTF-8 line by line when `utf8_only` (.m3u8),
    else UTF-8 when the whole file is valid UTF-8, otherwise latin-1 (it decodes any byte)."""
    raw_lines = data.splitlines()
    if not utf8_only:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return [(raw.decode("latin-1"), True) for raw in raw_lines]
    return [_decode_utf8(raw) for raw in raw_lines]


def _decode_utf8(raw: bytes) -> _Line:
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace"), False
