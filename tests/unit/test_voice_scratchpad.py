"""Tests for the session scratchpad that spoken notes are appended to."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from phase_tui.voice.scratchpad import append_note, scratchpad_path

AT = time.mktime((2025, 3, 4, 21, 7, 30, 0, 0, -1))


def test_path_is_the_session_markdown_file(tmp_path: Path) -> None:
    assert scratchpad_path(tmp_path, "Late Night") == tmp_path / "scratchpad" / "Late Night.md"


@pytest.mark.parametrize(
    "session",
    [
        "../../etc/passwd",
        "a/b\\c",
        "..",
        ".",
        "",
        "   ",
        "x\x00y\nz\tq",
        "/",
        "C:\\evil",
        "é" * 300,
    ],
)
def test_path_never_leaves_the_scratchpad_folder(tmp_path: Path, session: str) -> None:
    path = scratchpad_path(tmp_path, session)
    assert path.parent == tmp_path / "scratchpad"
    assert path.suffix == ".md"
    assert not path.name.startswith(".")
    assert len(path.name.encode()) <= 255
    assert all(char.isprintable() and char not in "/\\" for char in path.name)


def test_path_names_differ_for_different_sessions(tmp_path: Path) -> None:
    assert scratchpad_path(tmp_path, "a") != scratchpad_path(tmp_path, "b")


def test_first_note_creates_the_file_under_a_heading(tmp_path: Path) -> None:
    path = append_note(tmp_path, "Late Night", "the kick is too muddy", AT, source="memo 3")
    assert path == scratchpad_path(tmp_path, "Late Night")
    assert path.read_text(encoding="utf-8") == (
        "# Scratchpad — Late Night\n\n- 21:07 the kick is too muddy (memo 3)\n"
    )


def test_later_notes_are_appended_after_existing_text(tmp_path: Path) -> None:
    append_note(tmp_path, "s", "first", AT)
    path = scratchpad_path(tmp_path, "s")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("my own words\n")
    append_note(tmp_path, "s", "second", AT + 60)
    assert path.read_text(encoding="utf-8").splitlines() == [
        "# Scratchpad — s",
        "",
        "- 21:07 first (memo)",
        "my own words",
        "- 21:08 second (memo)",
    ]


def test_an_existing_file_gets_no_heading(tmp_path: Path) -> None:
    path = scratchpad_path(tmp_path, "s")
    path.parent.mkdir()
    path.write_text("my notes\n", encoding="utf-8")
    append_note(tmp_path, "s", "more", AT)
    assert path.read_text(encoding="utf-8") == "my notes\n- 21:07 more (memo)\n"


def test_newlines_become_one_line(tmp_path: Path) -> None:
    path = append_note(tmp_path, "two\nlines", "the kick\nis   muddy\r\n", AT, source="memo\n1")
    assert path.read_text(encoding="utf-8").splitlines() == [
        "# Scratchpad — two lines",
        "",
        "- 21:07 the kick is muddy (memo 1)",
    ]


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    append_note(tmp_path, "s", "one", AT)
    append_note(tmp_path, "s", "two", AT)
    assert [p.name for p in (tmp_path / "scratchpad").iterdir()] == ["s.md"]


def _assert_every_note_once(path: Path, expected: set[str]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["# Scratchpad — busy", ""]
    notes = lines[2:]
    assert len(notes) == len(expected)
    assert {line.split(" ", 2)[2] for line in notes} == expected


def test_concurrent_threads_keep_every_line(tmp_path: Path) -> None:
    barrier = threading.Barrier(8)

    def writer(number: int) -> None:
        barrier.wait()
        for index in range(40):
            append_note(tmp_path, "busy", f"thread {number} note {index}", AT)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = {f"thread {n} note {i} (memo)" for n in range(8) for i in range(40)}
    _assert_every_note_once(scratchpad_path(tmp_path, "busy"), expected)


def test_concurrent_processes_keep_every_line(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from phase_tui.voice.scratchpad import append_note

        root, number = Path(sys.argv[1]), sys.argv[2]
        for index in range(50):
            append_note(root, "busy", f"process {number} note {index}", 0.0, source="p")
        """
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), str(number)])
        for number in range(4)
    ]
    assert [process.wait(timeout=60) for process in processes] == [0] * 4
    expected = {f"process {n} note {i} (p)" for n in range(4) for i in range(50)}
    _assert_every_note_once(scratchpad_path(tmp_path, "busy"), expected)
