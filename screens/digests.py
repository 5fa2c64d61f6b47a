"""The digest viewer, and the recovery phase's screen: the weekly digests, the one selected
rendered as Markdown, and beside it this week's time per phase and tags.

A link in a digest opens what it points to: a bounce up close, a memo on the memo screen,
another file with the system's application. Click it, or press `l` for a list of the
digest's links. `W` writes this week's digest now (a draft until the week is over).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Markdown, Static

from phase_tui.loop.digest import DIGESTS
from phase_tui.store import Record
from screens.base import StudioScreen
from screens.link_picker import LinkPicker
from widgets.phase_times import PhaseTimes

LINK_RE = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
TAGS_SHOWN = 12


class DigestScreen(StudioScreen):
    """Weekly digests; with `phase`, the screen of that phase (recovery) too."""

    DEFAULT_CSS = """
    DigestScreen #digest-list { width: 24; }
    DigestScreen #digest-view { width: 1fr; padding: 0 1; }
    DigestScreen #digest-side { width: 42; }
    DigestScreen .digest-title { padding: 0 1; text-style: bold; color: $accent; }
    DigestScreen #digest-phase, DigestScreen #digest-tags { padding: 0 1; height: auto; }
    """
    BINDINGS = [
        Binding("W", "write", "Write this week", id="digests.write"),
        Binding("l", "links", "Links", id="digests.links"),
        Binding("o", "open_file", "Open file", id="digests.open"),
    ]

    def __init__(self, phase: str | None = None) -> None:
        super().__init__(id=f"phase-{phase}" if phase else "digests")
        self.phase = phase
        self._shown: tuple[object, ...] = ()
        self._source: tuple[str, float] | None = None  # the file shown and its mtime

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="digest-list"):
                yield Static("Digests", classes="digest-title")
                yield DataTable(id="digest-table", cursor_type="row")
            with VerticalScroll(id="digest-view"):
                yield Markdown(id="digest-markdown", open_links=False)
            with Vertical(id="digest-side"):
                if self.phase:
                    yield Static(id="digest-phase")
                yield Static("This week", classes="digest-title")
                yield PhaseTimes(id="digest-times")
                yield Static("Tags this week", classes="digest-title")
                yield Static(id="digest-tags")

    # ------------------------------------------------------------------ data
    def refresh_view(self) -> None:
        app = self.studio_app
        events = app.events()
        today, week = app.phase_times(events)
        config = app.context.config
        self.query_one(PhaseTimes).show(
            [(p.name, p.colour) for p in config.phases], today, week, app.switcher.current
        )
        self.query_one("#digest-tags", Static).update(self._week_tags())
        if self.phase:
            self.query_one("#digest-phase", Static).update(self._phase_text())
        self._show_list()
        self._show_selected()

    def _records(self) -> dict[str, Record]:
        """The digests' records by the absolute path of their file."""
        root = self.studio_app.context.studio.root
        return {str(root / r["path"]): r for r in self.studio_app.context.store.all(DIGESTS)}

    def _files(self) -> list[Path]:
        folder = self.studio_app.context.studio.folder("digests")
        return sorted(folder.glob("*.md"), reverse=True) if folder.is_dir() else []

    def _show_list(self) -> None:
        files = self._files()
        records = self._records()
        shown = tuple((p.name, records.get(str(p), {}).get("updated_at")) for p in files)
        if shown == self._shown:
            return
        self._shown = shown
        table = self.query_one("#digest-table", DataTable)
        selected = self.selected()
        table.clear(columns=not table.columns)
        if not table.columns:
            table.add_column("week", key="week", width=11)
            table.add_column("", key="state", width=8)
        for path in files:
            table.add_row(path.stem, _state(records.get(str(path))), key=str(path))
        if selected is not None and str(selected) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected)), animate=False)
        if self.focused is None:
            table.focus()

    def selected(self) -> Path | None:
        """The digest file under the cursor."""
        table = self.query_one("#digest-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return Path(str(key))

    def _show_selected(self) -> None:
        path = self.selected()
        markdown = self.query_one("#digest-markdown", Markdown)
        if path is None:
            self._source = None
            markdown.update(
                "No digest yet. One is written when a week is over; `W` writes this week's so far."
            )
            return
        try:
            source = (str(path), path.stat().st_mtime)
            if source != self._source:
                markdown.update(path.read_text(encoding="utf-8"))
                self._source = source
        except OSError as error:
            markdown.update(f"Cannot read {path.name}: {error.strerror}")
            self._source = None

    @on(DataTable.RowHighlighted, "#digest-table")
    def _row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def _week_tags(self) -> Text:
        """The tags on items of this week (the one the next digest covers), most used first."""
        from phase_tui.loop.digest_week import week_end_for, week_ending
        from phase_tui.tags import tagged_items

        app = self.studio_app
        start, end = week_ending(week_end_for(app.clock(), app.context.config.digest.day))
        counts = Counter(
            tag
            for item in tagged_items(app.context.store)
            if start <= item.at < end
            for tag in item.tags
        )
        if not counts:
            return Text("No tags yet this week", style="dim")
        return Text("  ".join(f"#{tag} ×{n}" for tag, n in counts.most_common(TAGS_SHOWN)))

    def _phase_text(self) -> Text:
        settings = self.studio_app.context.config.phase(str(self.phase))
        text = Text(str(self.phase).upper(), style=f"bold {settings.colour}")
        if self.studio_app.switcher.current == self.phase:
            text.append("  (current)", style="dim")
        if settings.description:
            text.append(f"\n{settings.description}")
        for task in settings.tasks:
            text.append(f"\n· {task}", style="dim")
        return text

    # ------------------------------------------------------------------ links
    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        self._follow(event.href)

    def _follow(self, href: str) -> None:
        path = self.selected()
        if path is not None:
            self.studio_app.open_link(href, relative_to=path.parent)

    def action_links(self) -> None:
        """Choose one of the digest's links to open."""
        links = LINK_RE.findall(self.query_one("#digest-markdown", Markdown).source)
        if not links:
            self.app.notify("This digest has no links", timeout=3)
            return

        def chosen(href: str | None) -> None:
            if href is not None:
                self._follow(href)

        self.app.push_screen(LinkPicker(links), chosen)

    # ------------------------------------------------------------------ actions
    def action_write(self) -> None:
        """Write this week's digest now (a draft until the week is over)."""
        self._write_now()

    @work(thread=True, exit_on_error=False, group="digest")
    def _write_now(self) -> None:
        from phase_tui.loop.digest_scheduler import DigestScheduler
        from phase_tui.loop.digest_week import week_end_for

        app = self.studio_app
        now = app.clock()
        week = week_end_for(now, app.context.config.digest.day)
        record = DigestScheduler(app.context, clock=app.clock).write(week, force=True)
        path = app.context.studio.root / record["path"]
        state = "written" if record["complete"] else "written as a draft until the week is over"
        app.call_from_thread(app.notify, f"{record['path']} {state}", title="Digest", timeout=6)
        app.call_from_thread(self._select_path, path)

    def _select_path(self, path: Path) -> None:
        self._shown = ()
        self.refresh_view()
        table = self.query_one("#digest-table", DataTable)
        if str(path) in table.rows:
            table.move_cursor(row=table.get_row_index(str(path)), animate=False)

    def action_open_file(self) -> None:
        """Open the digest's Markdown file with the system's application."""
        from phase_tui.opener import CannotOpen, open_with_system

        path = self.selected()
        if path is None:
            return
        try:
            open_with_system(path)
        except CannotOpen as error:
            self.app.notify(str(error), severity="warning", timeout=5)

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        return self.body_ready


def _state(record: Record | None) -> Text:
    """complete, draft, or mailed/mail failed."""
    if record is None:
        return Text("")
    if not record.get("complete"):
        return Text("draft", style="yellow")
    mail = record.get("mail") or {}
    if mail.get("error"):
        return Text("unsent", style="red")
    if mail.get("sent_at"):
        return Text("mailed", style="green")
    return Text("✓", style="green")
