"""`phase-os tag` and `phase-os find` end to end on a studio's files (no app running):
tagging items named KIND:REF, listing, renaming and merging tags, finding items."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from phase_tui.cli import cli
from phase_tui.context import StudioContext
from tests.helpers import make_studio


def run(studio: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--studio", str(studio), *args])
    return result.exit_code, result.output


def tagged_studio(root: Path) -> StudioContext:
    context = make_studio(root)
    store = context.store
    store.insert_many(
        "bounces",
        [
            {"id": "01B0UNCE00000000000000000A", "name": "night.wav", "mtime": 1_700_000_000.0},
            {"id": "01B0UNCE00000000000000000B", "name": "day.wav", "mtime": 1_700_100_000.0,
             "tags": ["bright"]},
        ],
    )  # fmt: skip
    store.insert("memos", {"id": "01MEM0000000000000000000AA", "name": "2026-11-23_2342-05",
                           "started_at": 1_700_050_000.0, "tags": ["dark", "idea"]})  # fmt: skip
    store.insert("forms", {"id": "01F0RM00000000000000000001", "track": "night drive",
                           "saved_at": 1_700_020_000.0, "tags": []})  # fmt: skip
    return context


def test_add_and_rm_print_the_tags_after(tmp_path: Path) -> None:
    context = tagged_studio(tmp_path / "studio")
    studio = context.studio.root
    code, out = run(studio, "tag", "add", "bounce:night", "#Dark", "Late Night")
    assert (code, out) == (0, "bounce night.wav: #dark #late-night\n")
    code, out = run(studio, "tag", "add", "form:night drive@1", "dark")
    assert (code, out) == (0, "form night drive@1: #dark\n")
    assert context.store.get("forms", "01F0RM00000000000000000001")["tags"] == ["dark"]
    code, out = run(studio, "tag", "rm", "bounce:01b0unce00000000000000000a", "LATE_NIGHT")
    assert (code, out) == (0, "bounce night.wav: #dark\n")
    code, out = run(studio, "tag", "rm", "form:last", "dark")
    assert (code, out) == (0, "form night drive@1: (no tags)\n")


def test_a_bad_item_or_tag_is_a_clear_error(tmp_path: Path) -> None:
    studio = tagged_studio(tmp_path / "studio").studio.root
    code, out = run(studio, "tag", "add", "night.wav", "dark")
    assert code == 1 and "Error: no item 'night.wav': name an item as KIND:REF" in out
    assert "KIND one of bounce, memo, form, session, sample, slice" in out
    code, out = run(studio, "tag", "add", "bounce:gone.wav", "dark")
    assert code == 1 and "Error: no bounce 'gone.wav':" in out and "`last`" in out
    code, out = run(studio, "tag", "rm", "bounce:01B0", "dark")
    assert code == 1 and "'bounce:01B0' is ambiguous: it matches 2 bounces: day.wav" in out
    code, out = run(studio, "tag", "add", "sample:last", "dark")
    assert code == 1 and "no sample 'last'" in out
    code, out = run(studio, "tag", "add", "bounce:night", "#")
    assert code == 1 and "'#' is not a tag" in out
    code, out = run(studio, "tag", "add", "bounce:night")
    assert code == 2 and "Missing argument 'TAGS...'" in out


def test_ls_sorts_and_gives_json(tmp_path: Path) -> None:
    studio = tagged_studio(tmp_path / "studio").studio.root
    assert run(studio, "tag", "add", "bounce:night.wav", "dark")[0] == 0
    code, out = run(studio, "tag", "ls")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["tag", "count", "last", "used"]
    assert [line.split()[:2] for line in lines[1:]] == [
        ["#dark", "2"],
        ["#bright", "1"],
        ["#idea", "1"],
    ]
    assert lines[1].index("2") == lines[0].index("count") + 4  # counts right-aligned
    code, out = run(studio, "tag", "ls", "--sort", "name")
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["#bright", "#dark", "#idea"]
    code, out = run(studio, "tag", "ls", "--sort", "recent")
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["#bright", "#dark", "#idea"]
    code, out = run(studio, "tag", "ls", "--json")
    rows = json.loads(out)
    assert rows[0] == {
        "tag": "dark",
        "count": 2,
        "first_used": 1_700_000_000.0,
        "last_used": 1_700_050_000.0,
    }
    code, out = run(studio, "tag", "ls", "--sort", "size")
    assert code == 2 and "'size' is not one of 'count', 'name', 'recent'" in out


def test_ls_with_no_tags(tmp_path: Path) -> None:
    studio = make_studio(tmp_path / "studio").studio.root
    assert run(studio, "tag", "ls") == (
        0,
        "no tags yet (`phase-os tag add KIND:REF TAG` adds one)\n",
    )
    assert run(studio, "tag", "ls", "--json") == (0, "[]\n")


def test_rename_and_merge_print_how_many_items_changed(tmp_path: Path) -> None:
    context = tagged_studio(tmp_path / "studio")
    studio = context.studio.root
    run(studio, "tag", "add", "bounce:night", "dark", "moody")
    assert run(studio, "tag", "rename", "Moody", "#Idea") == (0, "#moody -> #idea on 1 item\n")
    assert context.store.get("bounces", "01B0UNCE00000000000000000A")["tags"] == ["dark", "idea"]
    code, out = run(studio, "tag", "merge", "dark", "bright", "--into", "mood")
    assert (code, out) == (0, "#dark #bright -> #mood on 3 items\n")
    assert context.store.get("memos", "01MEM0000000000000000000AA")["tags"] == ["mood", "idea"]
    code, out = run(studio, "tag", "rename", "mood", "MOOD")
    assert code == 1 and "the same tag" in out
    code, out = run(studio, "tag", "merge", "mood")
    assert code == 2 and "Missing option '--into'" in out


def test_find_with_and_not_and_json(tmp_path: Path) -> None:
    studio = tagged_studio(tmp_path / "studio").studio.root
    run(studio, "tag", "add", "bounce:night", "dark")
    code, out = run(studio, "find", "#Dark")
    lines = out.splitlines()
    assert code == 0 and [line.split()[0] for line in lines] == ["memo", "bounce"]
    assert lines[0].endswith("#dark #idea") and lines[1].endswith("#dark")
    assert lines[0].index("#") == lines[1].index("#")  # aligned columns
    assert "night.wav" in lines[1] and "2023-11-" in lines[1]
    code, out = run(studio, "find", "dark", "--not", "idea", "--json")
    assert json.loads(out) == [
        {
            "kind": "bounce",
            "id": "01B0UNCE00000000000000000A",
            "name": "night.wav",
            "at": 1_700_000_000.0,
            "tags": ["dark"],
        }
    ]
    code, out = run(studio, "find")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == [
        "bounce",
        "memo",
        "bounce",
    ]
    assert run(studio, "find", "dark", "--not", "dark") == (0, "no items tagged #dark\n")
    code, out = run(studio, "find", "!!")
    assert code == 1 and "'!!' is not a tag" in out
