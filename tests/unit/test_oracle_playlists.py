"""`read_playlist`: M3U, M3U8 and PLS from other machines, paths resolved, broken lines kept."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest

from phase_tui.oracle.playlists import (
    NOT_FOUND,
    NOT_LOCAL,
    UNDECODABLE,
    BrokenEntry,
    PlaylistEntry,
    read_playlist,
)

CAFE = "Café déjà vu.wav"
JAPANESE = "夜のドラム ループ.wav"


@pytest.fixture
def crate(tmp_path: Path) -> Path:
    """A crate folder with samples in it and in a subfolder."""
    (tmp_path / "Drums").mkdir()
    for name in ("kick.wav", "Drums/snare.wav", CAFE, JAPANESE):
        (tmp_path / name).write_bytes(b"RIFF")
    return tmp_path


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_relative_and_absolute_entries_with_extinf_titles(crate: Path) -> None:
    playlist = write(
        crate / "set.m3u",
        f"#EXTM3U\n#EXTINF:2,Big Kick\nkick.wav\n\n# a comment\nDrums/snare.wav\n{crate / CAFE}\n",
    )
    result = read_playlist(playlist)
    assert result.entries == (
        PlaylistEntry(crate / "kick.wav", "Big Kick", 3),
        PlaylistEntry(crate / "Drums" / "snare.wav", None, 6),
        PlaylistEntry(crate / CAFE, None, 7),
    )
    assert result.broken == ()
    assert result.path == playlist


def test_a_playlist_in_another_folder_resolves_against_its_own(crate: Path) -> None:
    (crate / "lists").mkdir()
    playlist = write(crate / "lists" / "up.m3u8", "../kick.wav\n../Drums/./snare.wav\n")
    paths = [entry.path for entry in read_playlist(playlist).entries]
    assert paths == [crate / "kick.wav", crate / "Drums" / "snare.wav"]


def test_unicode_names_in_m3u8(crate: Path) -> None:
    playlist = write(crate / "u.m3u8", f"#EXTINF:-1,Café\n{CAFE}\n{JAPANESE}\n")
    entries = read_playlist(playlist).entries
    assert [(e.path.name, e.title) for e in entries] == [(CAFE, "Café"), (JAPANESE, None)]


def test_an_m3u_in_latin_1(crate: Path) -> None:
    playlist = write(crate / "old.m3u", f"#EXTINF:1,{CAFE}\r\n{CAFE}\r\n", encoding="latin-1")
    assert [(e.path.name, e.title) for e in read_playlist(playlist).entries] == [(CAFE, CAFE)]


def test_an_nfd_name_finds_the_nfc_file(crate: Path) -> None:
    playlist = write(crate / "mac.m3u8", unicodedata.normalize("NFD", CAFE) + "\n")
    assert [e.path.name for e in read_playlist(playlist).entries] == [CAFE]


def test_broken_lines_are_kept_with_a_reason(crate: Path) -> None:
    playlist = crate / "mixed.m3u8"
    playlist.write_bytes(
        b"#EXTM3U\nmissing.wav\nhttps://example.com/stream.mp3\n\xff\xfebad.wav\nkick.wav\nDrums\n"
    )
    result = read_playlist(playlist)
    assert [entry.line for entry in result.entries] == [5]
    assert result.broken == (
        BrokenEntry(2, "missing.wav", NOT_FOUND),
        BrokenEntry(3, "https://example.com/stream.mp3", NOT_LOCAL),
        BrokenEntry(4, "\ufffd\ufffdbad.wav", UNDECODABLE),
        BrokenEntry(6, "Drums", NOT_FOUND),  # a folder is not a sample
    )


def test_file_urls_are_percent_decoded(crate: Path) -> None:
    url = "file://" + quote(str(crate / JAPANESE))
    localhost = "file://localhost" + quote(str(crate / CAFE))
    playlist = write(crate / "urls.m3u", f"{url}\n{localhost}\nfile://server/share/x.wav\n")
    result = read_playlist(playlist)
    assert [e.path.name for e in result.entries] == [JAPANESE, CAFE]
    assert result.broken == (BrokenEntry(3, "file://server/share/x.wav", NOT_LOCAL),)


@pytest.mark.skipif(os.sep != "/", reason="backslashes are separators on Windows already")
def test_windows_backslash_relative_paths(crate: Path) -> None:
    playlist = write(crate / "win.m3u", "Drums\\snare.wav\r\nC:\\Samples\\kick.wav\r\n")
    result = read_playlist(playlist)
    assert [e.path for e in result.entries] == [crate / "Drums" / "snare.wav"]
    assert result.broken == (BrokenEntry(2, "C:\\Samples\\kick.wav", NOT_FOUND),)


def test_a_backslash_that_is_part_of_a_name_stays(crate: Path) -> None:
    (crate / "odd\\name.wav").write_bytes(b"RIFF")
    playlist = write(crate / "odd.m3u", "odd\\name.wav\n")
    assert [e.path.name for e in read_playlist(playlist).entries] == ["odd\\name.wav"]


def test_crlf_and_bom(crate: Path) -> None:
    playlist = crate / "bom.m3u8"
    playlist.write_bytes(b"\xef\xbb\xbf#EXTM3U\r\n#EXTINF:1,Kick\r\nkick.wav\r\n")
    assert read_playlist(playlist).entries == (PlaylistEntry(crate / "kick.wav", "Kick", 3),)


def test_pls_in_any_order_with_titles(crate: Path) -> None:
    text = (
        "\ufeff[playlist]\r\nTitle2=Snare\r\nFile2=Drums/snare.wav\r\nNumberOfEntries=3\r\n"
        "File1=kick.wav\r\nFile3=gone.wav\r\nTitle1=Kick\r\nnonsense\r\nLength1=-1\r\n"
        "Version=2\r\n"
    )
    result = read_playlist(write(crate / "set.pls", text))
    assert result.entries == (
        PlaylistEntry(crate / "kick.wav", "Kick", 5),
        PlaylistEntry(crate / "Drums" / "snare.wav", "Snare", 3),
    )
    assert [(b.line, b.reason) for b in result.broken] == [(6, NOT_FOUND), (8, "not a PLS line")]


def test_an_empty_playlist_is_empty(crate: Path) -> None:
    result = read_playlist(write(crate / "empty.m3u", ""))
    assert (result.entries, result.broken) == ((), ())


def test_an_unreadable_playlist_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_playlist(tmp_path / "nope.m3u")
    with pytest.raises(IsADirectoryError):
        read_playlist(tmp_path)
