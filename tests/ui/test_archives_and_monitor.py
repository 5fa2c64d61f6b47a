"""The archive browser and the dashboard's system monitor with the Pilot: snapshots
exported by key (full, then minimal), listed with their files and what changed, a file
restored into a new folder; the monitor shows the doctor's checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import DataTable, Input

from phase_tui.app import PhaseOSApp
from tests.ui.conftest import wait_for


async def open_archives(pilot, app: PhaseOSApp) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("z")
    await wait_for(pilot, lambda: getattr(app.screen, "body_ready", False))


async def test_export_list_diff_and_restore_a_file(
    make_app: Callable[..., PhaseOSApp], tmp_path: Path
) -> None:
    app = make_app()
    root = app.context.studio.root
    (root / "bounces" / "night drive.wav").write_bytes(b"RIFF" + bytes(4000))
    async with app.run_test(size=(140, 40)) as pilot:
        await open_archives(pilot, app)
        listing = app.screen.query_one("#archive-list", DataTable)
        await pilot.press("n")
        await wait_for(pilot, lambda: listing.row_count == 1, 20)
        (root / "digests" / "2026-11-22.md").write_text("# Weekly Loop Digest — 2026-11-22\n")
        app.clock.now += 120  # type: ignore[attr-defined]  # two minutes later
        await pilot.press("N")  # minimal: no audio
        await wait_for(pilot, lambda: listing.row_count == 2, 20)
        assert "minimal" in str(listing.get_row_at(0)[0])  # newest first
        listing.move_cursor(row=0)
        await pilot.pause()
        changes = str(app.screen.query_one("#archive-changes").render())
        assert "minimal.zip" in changes.splitlines()[0]
        lines = [" ".join(line.split()) for line in changes.splitlines()]
        assert "added digests 1 file 36 B" in lines and "removed audio 1 file 4.0 KB" in lines
        files = app.screen.query_one("#archive-files", DataTable)
        names = [str(files.get_row_at(i)[0]) for i in range(files.row_count)]
        assert "phase_os.toml" in names and not any(n.endswith(".wav") for n in names)

        listing.move_cursor(row=1)  # the full one
        await pilot.pause()
        files.focus()
        row = next(
            i for i in range(files.row_count) if str(files.get_row_at(i)[0]).endswith(".wav")
        )
        files.move_cursor(row=row)
        await pilot.press("f")
        await wait_for(pilot, lambda: bool(app.screen.query("#answer")))
        target = tmp_path / "restored"
        app.screen.query_one("#answer", Input).value = str(target)
        await pilot.press("enter")
        restored = target / "bounces" / "night drive.wav"
        await wait_for(pilot, lambda: restored.exists())
        assert restored.read_bytes() == (root / "bounces" / "night drive.wav").read_bytes()


async def test_the_dashboard_shows_the_system_checks(
    make_app: Callable[..., PhaseOSApp],
) -> None:
    app = make_app(services=True)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "body_ready", False))
        monitor = app.screen.query_one("#dash-system")
        await wait_for(pilot, lambda: "disk" in str(monitor.render()), 15)
        shown = str(monitor.render())
        assert "store" in shown and "whisper" in shown and "control socket" in shown
