"""Crate sources: `crates/` (folders, playlists, loose files), `[oracle] crates`, `crate add`;
their files listed once each, playlists expanded with their broken lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from phase_tui.config.settings import OracleSettings
from phase_tui.oracle.crates import CRATES, Source, add_crate, crate_sources, list_files
from phase_tui.store import Store


def touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_crates_folder_config_and_added_sources_in_order(tmp_path: Path) -> None:
    studio, outside = tmp_path / "studio", tmp_path / "outside"
    touch(studio / "crates" / "drums" / "kick.wav")
    touch(studio / "crates" / "night.m3u", b"drums/kick.wav\n")
    touch(studio / "crates" / "stab.wav")
    touch(studio / "crates" / ".hidden" / "x.wav")
    touch(studio / "crates" / "notes.txt")
    touch(studio / "extra" / "pad.flac")
    touch(outside / "vinyl" / "loop.wav")
    store = Store(None, "m1")
    added = add_crate(store, studio, outside / "vinyl", name="Vinyl Rips")
    assert added["path"] == str(outside / "vinyl") and store.count(CRATES) == 1

    settings = OracleSettings(crates=("extra", str(tmp_path / "gone.m3u")))
    sources = crate_sources(studio, settings, store)
    assert sources == [
        Source("folder", studio / "crates" / "drums", "drums"),
        Source("playlist", studio / "crates" / "night.m3u", "night"),
        Source("file", studio / "crates" / "stab.wav", "loose"),
        Source("folder", studio / "extra", "extra"),
        Source("playlist", tmp_path / "gone.m3u", "gone"),
        Source("folder", outside / "vinyl", "Vinyl Rips"),
    ]
    assert [source.present for source in sources] == [True, True, True, True, False, True]


def test_adding_again_renames_and_bad_paths_are_refused(tmp_path: Path) -> None:
    studio = tmp_path / "studio"
    folder = touch(tmp_path / "loops" / "a.wav").parent
    store = Store(None, "m1")
    first = add_crate(store, studio, folder)
    assert first["name"] == "loops"
    again = add_crate(store, studio, folder, name="breaks")
    assert again["id"] == first["id"] and store.count(CRATES) == 1
    assert add_crate(store, studio, touch(tmp_path / "set.m3u8"))["name"] == "set"
    with pytest.raises(FileNotFoundError):
        add_crate(store, studio, tmp_path / "nowhere")
    touch(studio / "crates" / "x" / "a.wav")
    with pytest.raises(ValueError, match="found without adding"):
        add_crate(store, studio, studio / "crates" / "x")


def test_a_missing_added_source_is_listed_absent_not_fatal(tmp_path: Path) -> None:
    studio = tmp_path / "studio"
    folder = touch(tmp_path / "usb" / "a.wav").parent
    store = Store(None, "m1")
    add_crate(store, studio, folder)
    touch(folder / "a.wav").unlink()
    folder.rmdir()
    (source,) = crate_sources(studio, OracleSettings(), store)
    assert source == Source("folder", folder, "usb") and not source.present
    listing = list_files([source])
    assert listing.files == [] and listing.absent == [source]


def test_files_once_each_first_crate_wins_broken_lines_kept(tmp_path: Path) -> None:
    kick = touch(tmp_path / "drums" / "kick.wav")
    touch(tmp_path / "drums" / "kick.asd")
    touch(tmp_path / "drums" / "._kick.wav")
    (tmp_path / "drums" / "link.wav").symlink_to(kick)
    playlist = touch(
        tmp_path / "set.m3u",
        b"#EXTM3U\n#EXTINF:1,Kick\ndrums/kick.wav\nnope.wav\nhttp://x/y.wav\nsnare.wav\n",
    )
    snare = touch(tmp_path / "snare.wav")
    listing = list_files(
        [
            Source("folder", tmp_path / "drums", "drums"),
            Source("playlist", playlist, "set"),
            Source("file", snare, "loose"),
        ]
    )
    assert [(Path(f.path).name, f.crate) for f in listing.files] == [
        ("kick.wav", "drums"),
        ("snare.wav", "set"),
    ]
    assert listing.broken == [
        (str(playlist), 4, "not found"),
        (str(playlist), 5, "not a local file"),
    ]
