"""The tag browser and the digest viewer with the Pilot: tags with counts, combinations
(with / without), rename onto another tag, enter opens an item; a digest written with W,
rendered, its links followed by keyboard; the recovery phase's screen is the viewer."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, Input, Markdown, OptionList

from phase_tui.app import PhaseOSApp
from phase_tui.voice.memos import MEMOS
from tests.ui.conftest import FROZEN_NOW, wait_for

SESSION = "amber-heron-7f3a"


def seed_items(app: PhaseOSApp) -> dict[str, dict]:
    """Tagged items of three kinds, dated this week."""
    store = app.context.store
    memos = app.context.studio.folder("memos")
    (memos / "idea.wav").write_bytes(b"RIFF")
    made = {
        "spike": store.insert(
            "bounces",
            {"name": "memory-spike-v2.wav", "path": "bounces/memory-spike-v2.wav",
             "mtime": FROZEN_NOW - 3600, "tags": ["dark", "warm"]},
        ),
        "drive": store.insert(
            "bounces",
            {"name": "night-drive.ogg", "path": "bounces/night-drive.ogg",
             "mtime": FROZEN_NOW - 7200, "tags": ["dark"]},
        ),
        "memo": store.insert(
            MEMOS,
            {"name": "idea", "path": str(memos / "idea.wav"), "started_at": FROZEN_NOW - 60,
             "duration_s": 7.0, "status": "done", "text": "tag dark", "tags": ["dark", "draft"],
             "session": SESSION, "phase": "oracle"},
        ),
    }  # fmt: skip
    return made


async def open_screen(pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(key)
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "body_ready", False))
    await pilot.pause()


def rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_tags_combine_rename_and_open(make_app: Callable[..., PhaseOSApp]) -> None:
    app = make_app()
    items = seed_items(app)
    async with app.run_test(size=(120, 34)) as pilot:
        await open_screen(pilot, "number_sign")
        tags = app.screen.query_one("#tag-table", DataTable)
        listed = rows(tags)
        assert [row[0].strip() for row in listed] == ["#dark", "#draft", "#warm"]
        assert [row[1] for row in listed] == ["3", "1", "1"]
        found = app.screen.query_one("#tag-items", DataTable)
        assert found.row_count == 3  # the tag under the cursor: #dark
        await pilot.press("space")  # with #dark
        await pilot.press("down", "x")  # without #draft
        await wait_for(pilot, lambda: found.row_count == 2)
        assert {row[1] for row in rows(found)} == {"memory-spike-v2.wav", "night-drive.ogg"}
        assert "+#dark" in str(app.screen.query_one("#tag-query").render())
        assert "#warm" in str(app.screen.query_one("#tag-cooccur").render())
        await pilot.press("c")
        await wait_for(pilot, lambda: found.row_count == 1)  # #draft alone, under the cursor

        await pilot.press("down")  # #warm
        await pilot.press("r")
        await wait_for(pilot, lambda: bool(app.screen.query("#answer")))
        app.screen.query_one("#answer", Input).value = "Dark"
        await pilot.press("enter")
        spike = items["spike"]["id"]
        await wait_for(pilot, lambda: app.context.store.get("bounces", spike)["tags"] == ["dark"])
        await wait_for(pilot, lambda: tags.row_count == 2)

        await pilot.press("up", "up")  # #dark: its items; the newest first is the memo
        await wait_for(pilot, lambda: found.row_count == 3)
        found.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.id == "memos")
        memo_table = app.screen.query_one("#memo-table", DataTable)
        await wait_for(pilot, lambda: memo_table.row_count == 1)


async def test_tag_filter_narrows_the_list(make_app: Callable[..., PhaseOSApp]) -> None:
    app = make_app()
    seed_items(app)
    async with app.run_test(size=(120, 34)) as pilot:
        await open_screen(pilot, "number_sign")
        await pilot.press("slash", "d", "r")
        tags = app.screen.query_one("#tag-table", DataTable)
        await wait_for(pilot, lambda: tags.row_count == 1)
        assert "#draft" in rows(tags)[0][0]


async def test_digest_written_shown_and_its_links_followed(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    app = make_app()
    seed_items(app)
    async with app.run_test(size=(120, 34)) as pilot:
        await open_screen(pilot, "w")
        view = app.screen.query_one("#digest-markdown", Markdown)
        assert "No digest yet" in view.source
        await pilot.press("W")
        digests = app.context.studio.folder("digests")
        await wait_for(pilot, lambda: any(digests.glob("*.md")))
        await wait_for(pilot, lambda: view.source.startswith("# Weekly Loop Digest — "))
        assert "- `../bounces/memory-spike-v2.wav`" not in view.source  # no bounce events
        assert "#dark" in view.source and "idea.wav" in view.source
        table = app.screen.query_one("#digest-table", DataTable)
        assert "draft" in str(table.get_row_at(0)[1])
        assert "#dark ×3" in str(app.screen.query_one("#digest-tags").render())

        await pilot.press("l")
        await wait_for(pilot, lambda: bool(app.screen.query(OptionList)))
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        options.highlighted = next(i for i, text in enumerate(prompts) if "idea.wav" in text)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.id == "memos")


async def test_the_recovery_phase_screen_is_the_digest_viewer(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("4")
        await wait_for(pilot, lambda: app.switcher.current == "recovery")
        await open_screen(pilot, "p")
        assert app.screen.id == "phase-recovery"
        about = str(app.screen.query_one("#digest-phase").render())
        assert "RECOVERY" in about and "(current)" in about and "Read the weekly digest" in about


async def test_the_app_catches_up_on_the_weeks_it_missed(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    app = make_app()
    app.context.store.insert(
        "events", {"type": "notify", "at": FROZEN_NOW - 21 * 86400, "text": "three weeks ago"}
    )
    async with app.run_test(size=(120, 34)) as pilot:
        app.run_worker(lambda: app.jobs.write_due_digests(True), thread=True)
        digests = app.context.studio.folder("digests")
        await wait_for(pilot, lambda: len(list(digests.glob("*.md"))) == 3)
        written = "Weekly digest written"
        await wait_for(pilot, lambda: any(written in n.message for n in app._notifications))
        app.run_worker(lambda: app.jobs.write_due_digests(True), thread=True)  # nothing more due
        await pilot.pause(0.3)
        assert len(list(digests.glob("*.md"))) == 3


async def test_the_hourly_check_runs_the_jobs_off_the_ui_thread(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    app = make_app()
    app.context.store.insert(
        "events", {"type": "notify", "at": FROZEN_NOW - 5 * 86400, "text": "last week"}
    )
    async with app.run_test(size=(120, 34)) as pilot:
        app.jobs.check()  # what the hourly timer calls, on the UI thread
        digests = app.context.studio.folder("digests")
        await wait_for(pilot, lambda: len(list(digests.glob("*.md"))) == 1)
