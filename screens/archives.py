"""The archive browser: the studio's zip snapshots in `archives/`, the files of the one
selected (from its manifest), and what changed since the snapshot before it.

`n` exports a full snapshot and `N` a minimal one (no audio), with the progress in the
HUD; `r` restores the whole snapshot and `f` the file under the cursor, always into a new
folder, never over the live studio.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from phase_tui.archive.snapshots import (
    ArchiveInfo,
    diff_archives,
    format_bytes,
    list_archives,
    read_manifest,
)
from screens.base import StudioScreen
from screens.text_prompt import TextPrompt


class ArchivesScreen(StudioScreen):
    """Snapshots, their files and their differences; export and restore."""

    DEFAULT_CSS = """
    ArchivesScreen #archive-list { width: 52; height: 1fr; }
    ArchivesScreen #archive-right { width: 1fr; padding: 0 1; }
    ArchivesScreen #archive-diff { height: auto; max-height: 40%; }
    ArchivesScreen #archive-files { height: 1fr; }
    """
    BINDINGS = [
        Binding("n", "export(False)", "Export", id="archives.export"),
        Binding("N", "export(True)", "Export minimal", id="archives.export_minimal"),
        Binding("r", "restore_all", "Restore", id="archives.restore"),
        Binding("f", "restore_file", "Restore file", id="archives.restore_file"),
    ]

    def __init__(self) -> None:
        super().__init__(id="archives")
        self.archives: list[ArchiveInfo] = []
        self._shown: tuple[object, ...] = ()

    @property
    def folder(self) -> Path:
        return self.studio_app.context.studio.folder("archives")

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="archive-list", cursor_type="row")
            with Vertical(id="archive-right"):
                with VerticalScroll(id="archive-diff"):
                    yield Static(id="archive-changes")
                yield DataTable(id="archive-files", cursor_type="row")

    def refresh_view(self) -> None:
        archives = list_archives(self.folder) if self.folder.is_dir() else []
        shown = tuple((a.name, a.bytes, a.problem) for a in archives)
        if shown == self._shown:
            return
        self._shown = shown
        self.archives = archives
        table = self.query_one("#archive-list", DataTable)
        selected = self.selected()
        table.clear(columns=not table.columns)
        if not table.columns:
            for label, width in (("snapshot", 30), ("files", 6), ("size", 9)):
                table.add_column(label, key=label, width=width)
        for info in archives:
            if info.problem:
                table.add_row(Text(info.name, style="red"), "", info.problem, key=info.name)
            else:
                table.add_row(info.name, str(info.files), format_bytes(info.bytes), key=info.name)
        if selected is not None and selected.name in table.rows:
            table.move_cursor(row=table.get_row_index(selected.name), animate=False)
        if self.focused is None:
            table.focus()
        self._show_selected()

    def selected(self) -> ArchiveInfo | None:
        table = self.query_one("#archive-list", DataTable)
        if not table.row_count or not self.archives:
            return None
        return self.archives[min(table.cursor_row, len(self.archives) - 1)]

    @on(DataTable.RowHighlighted, "#archive-list")
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        info = self.selected()
        changes = self.query_one("#archive-changes", Static)
        files = self.query_one("#archive-files", DataTable)
        files.clear(columns=not files.columns)
        if not files.columns:
            files.add_column("file", key="file")
            files.add_column("size", key="size", width=9)
        if info is None:
            changes.update("No snapshot yet: n exports one to archives/.")
            return
        if info.problem:
            changes.update(Text(f"{info.name}: {info.problem}", style="red"))
            return
        for entry in read_manifest(info.path).get("files", []):
            files.add_row(str(entry["path"]), format_bytes(int(entry["size"])), key=entry["path"])
        older = self._older(info)
        if older is None:
            changes.update(f"{info.name}: the first snapshot ({info.files} files)")
        else:
            changes.update("\n".join(diff_archives(older.path, info.path).lines()))

    def _older(self, info: ArchiveInfo) -> ArchiveInfo | None:
        """The readable snapshot made before `info` (the list is newest first)."""
        later = self.archives[self.archives.index(info) + 1 :]
        return next((a for a in later if not a.problem), None)

    # ------------------------------------------------------------------ actions
    def action_export(self, minimal: bool) -> None:
        """Export a snapshot of the studio into archives/."""
        self._export(minimal)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, minimal: bool) -> None:
        from phase_tui.archive.export import export_archive

        app = self.studio_app

        def progress(done: int, total: int) -> None:
            percent = 100 * done // total if total else 100
            app.call_from_thread(app.set_hud_slot, "archive", f"⤓ export {percent}%")

        result = export_archive(
            app.context.studio.root,
            self.folder,
            session=str(app.session["name"]),
            at=app.clock(),
            minimal=minimal,
            progress=progress,
        )
        app.call_from_thread(app.set_hud_slot, "archive", "")
        text = f"{result.path.name}: {result.files} files, {format_bytes(result.bytes)}"
        app.call_from_thread(app.notify, text, title="Snapshot exported", timeout=8)
        app.call_from_thread(self._reload)

    def _reload(self) -> None:
        self._shown = ()
        self.refresh_view()

    def _ask_target(self, info: ArchiveInfo, members: list[str] | None) -> None:
        default = Path.home() / "phase-os-restored" / info.path.stem

        def chosen(answer: str | None) -> None:
            if answer and answer.strip():
                self._restore(info, Path(answer.strip()).expanduser(), members)

        what = members[0] if members else "the whole snapshot"
        self.app.push_screen(
            TextPrompt(f"Restore {what} into (a new folder):", str(default)), chosen
        )

    def action_restore_all(self) -> None:
        """Restore the whole snapshot into a new folder."""
        info = self.selected()
        if info is not None and not info.problem:
            self._ask_target(info, None)

    def action_restore_file(self) -> None:
        """Restore the file under the cursor into a new folder."""
        info = self.selected()
        table = self.query_one("#archive-files", DataTable)
        if info is None or info.problem or not table.row_count:
            return
        member = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        self._ask_target(info, [member])

    @work(thread=True, exit_on_error=False, group="restore")
    def _restore(self, info: ArchiveInfo, target: Path, members: list[str] | None) -> None:
        from phase_tui.archive.restore import restore

        app = self.studio_app
        if target.resolve() == app.context.studio.root:
            app.call_from_thread(
                app.notify, "Never over the live studio: choose a new folder", severity="error"
            )
            return
        try:
            written = restore(info.path, target, members)
        except (ValueError, OSError) as error:
            app.call_from_thread(app.notify, str(error), title="Not restored", severity="error")
            return
        text = f"{len(written)} file(s) into {target}"
        app.call_from_thread(app.notify, text, title="Restored", timeout=8)

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        return self.body_ready
