"""The tag browser: every tag with its count, the items that carry it across kinds, and the
tags that come with it.

Type to filter the tags; `s` sorts by count, name or most recent use. The items shown are
those of the tag under the cursor, or, once tags are chosen, of the combination: space adds
the tag to those every item must have, `x` to those it must not, `c` clears. Enter on an
item opens it on its own screen; `r` renames a tag everywhere (onto an existing tag: a
merge).
"""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from phase_tui.tags import TaggedItem, TagIndex, normalise_tag
from screens.base import StudioScreen
from screens.text_prompt import TextPrompt

SORTS = ("count", "name", "recent")
KIND_NAMES = {
    "bounces": "bounce",
    "memos": "memo",
    "forms": "form map",
    "sessions": "session",
    "samples": "sample",
    "slices": "slice",
}
ITEMS_SHOWN = 500
COOCCURRING_SHOWN = 12


class TagsScreen(StudioScreen):
    """Browse everything by its tags."""

    DEFAULT_CSS = """
    TagsScreen #tag-filter { margin: 0 1; }
    TagsScreen #tag-table { width: 40; height: 1fr; }
    TagsScreen #tag-right { width: 1fr; }
    TagsScreen #tag-query, TagsScreen #tag-cooccur { padding: 0 1; height: auto; }
    TagsScreen #tag-items { height: 1fr; }
    TagsScreen #tag-summary { padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("space", "include", "With", id="tags.include"),
        Binding("x", "exclude", "Without", id="tags.exclude"),
        Binding("c", "clear", "Clear", id="tags.clear"),
        Binding("s", "cycle_sort", "Sort", id="tags.sort"),
        Binding("r", "rename", "Rename", id="tags.rename"),
        Binding("slash", "filter", "Filter", id="tags.filter"),
        Binding("escape", "leave_filter", "Back to the tags", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="tags")
        self.sort = "count"
        self.with_tags: list[str] = []
        self.without_tags: list[str] = []
        self._index: TagIndex | None = None
        self._items: dict[str, TaggedItem] = {}
        self._shown: tuple[object, ...] = ()

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="/ filter tags", id="tag-filter")
        with Horizontal():
            yield DataTable(id="tag-table", cursor_type="row")
            with Vertical(id="tag-right"):
                yield Static(id="tag-query")
                yield DataTable(id="tag-items", cursor_type="row")
                yield Static(id="tag-cooccur")
        yield Static(id="tag-summary")

    @property
    def index(self) -> TagIndex:
        if self._index is None:
            self._index = TagIndex(self.studio_app.context.store)
        return self._index

    # ------------------------------------------------------------------ data
    def refresh_view(self) -> None:
        self._show_tags()
        self._show_items()

    def _show_tags(self) -> None:
        counts = self.index.counts()
        typed = self.query_one("#tag-filter", Input).value.strip().lstrip("#").lower()
        names = [tag for tag in counts if typed in tag]
        if self.sort == "count":
            names.sort(key=lambda tag: (-counts[tag], tag))
        elif self.sort == "recent":
            names.sort(key=lambda tag: -(self.index.last_used(tag) or 0.0))
        else:
            names.sort()
        shown = (self.sort, typed, *((tag, counts[tag]) for tag in names))
        if shown == self._shown:
            return
        self._shown = shown
        table = self.query_one("#tag-table", DataTable)
        selected = self.highlighted_tag()
        table.clear(columns=not table.columns)
        if not table.columns:
            table.add_column("tag", key="tag", width=20)
            table.add_column("items", key="count", width=5)
            table.add_column("last", key="last", width=9)
        for tag in names:
            table.add_row(
                self._tag_cell(tag), str(counts[tag]), _day(self.index.last_used(tag)), key=tag
            )
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        if self.focused is None:
            table.focus()
        self.query_one("#tag-summary", Static).update(
            f"{len(counts)} tags · {len(names)} shown · by {self.sort}"
        )

    def _tag_cell(self, tag: str) -> Text:
        if tag in self.with_tags:
            return Text(f"+ #{tag}", style="bold green")
        if tag in self.without_tags:
            return Text(f"− #{tag}", style="bold red")
        return Text(f"  #{tag}")

    def highlighted_tag(self) -> str | None:
        table = self.query_one("#tag-table", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def query_tags(self) -> tuple[list[str], list[str]]:
        """The combination shown: the chosen tags, else the tag under the cursor."""
        if self.with_tags or self.without_tags:
            return self.with_tags, self.without_tags
        tag = self.highlighted_tag()
        return ([tag] if tag else []), []

    def _show_items(self) -> None:
        with_tags, without_tags = self.query_tags()
        items = self.index.items(with_tags, without_tags) if with_tags or without_tags else []
        self._items = {f"{item.kind}:{item.id}": item for item in items[:ITEMS_SHOWN]}
        table = self.query_one("#tag-items", DataTable)
        table.clear(columns=not table.columns)
        if not table.columns:
            for label, width in (("kind", 9), ("name", 30), ("date", 12)):
                table.add_column(label, key=label, width=width)
            table.add_column("tags", key="tags")
        for key, item in self._items.items():
            tags = " ".join(f"#{tag}" for tag in item.tags)
            kind = KIND_NAMES.get(item.kind, item.kind)
            table.add_row(kind, item.name, _day(item.at), tags, key=key)
        query = Text()
        for tag in with_tags:
            query.append(f"+#{tag} ", style="green")
        for tag in without_tags:
            query.append(f"−#{tag} ", style="red")
        query.append(f" {len(items)} item{'s' if len(items) != 1 else ''}", style="dim")
        self.query_one("#tag-query", Static).update(query)
        together = self.index.cooccurring(with_tags, without_tags) if items else []
        shown = "  ".join(f"#{tag} ×{n}" for tag, n in together[:COOCCURRING_SHOWN])
        self.query_one("#tag-cooccur", Static).update(
            Text(f"with them: {shown}" if shown else "", style="dim")
        )

    # ------------------------------------------------------------------ events
    @on(DataTable.RowHighlighted, "#tag-table")
    def _tag_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        if not (self.with_tags or self.without_tags):
            self._show_items()

    @on(DataTable.RowSelected, "#tag-table")
    def _tag_selected(self, _event: DataTable.RowSelected) -> None:
        self.query_one("#tag-items", DataTable).focus()

    @on(DataTable.RowSelected, "#tag-items")
    def _item_selected(self, event: DataTable.RowSelected) -> None:
        item = self._items.get(str(event.row_key.value))
        if item is not None:
            self.studio_app.open_item(item.kind, item.id)

    @on(Input.Changed, "#tag-filter")
    def _filter_changed(self, _event: Input.Changed) -> None:
        self._show_tags()

    @on(Input.Submitted, "#tag-filter")
    def _filter_submitted(self, _event: Input.Submitted) -> None:
        self.query_one("#tag-table", DataTable).focus()

    # ------------------------------------------------------------------ actions
    def _toggle(self, chosen: list[str], other: list[str]) -> None:
        tag = self.highlighted_tag()
        if tag is None:
            return
        if tag in chosen:
            chosen.remove(tag)
        else:
            chosen.append(tag)
            if tag in other:
                other.remove(tag)
        self._shown = ()
        self.refresh_view()

    def action_include(self) -> None:
        """Items must carry the tag under the cursor (again: no longer)."""
        self._toggle(self.with_tags, self.without_tags)

    def action_exclude(self) -> None:
        """Items must not carry the tag under the cursor (again: no longer)."""
        self._toggle(self.without_tags, self.with_tags)

    def action_clear(self) -> None:
        """Back to the tag under the cursor alone."""
        self.with_tags.clear()
        self.without_tags.clear()
        self._shown = ()
        self.refresh_view()

    def action_cycle_sort(self) -> None:
        """Sort the tags by count, name, or most recent use."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._show_tags()

    def action_rename(self) -> None:
        """Rename the tag under the cursor on every item (onto an existing tag: merge)."""
        tag = self.highlighted_tag()
        if tag is None:
            return

        def rename(answer: str | None) -> None:
            new = normalise_tag(answer or "")
            if not new or new == tag:
                return
            merging = new in self.index.counts()
            try:
                changed = self.index.rename(tag, new)
            except ValueError as error:
                self.app.notify(str(error), severity="error", timeout=6)
                return
            verb = "merged into" if merging else "renamed"
            self.app.notify(f"#{tag} {verb} #{new} on {changed} item(s)", timeout=5)
            self.with_tags = [new if t == tag else t for t in self.with_tags]
            self.without_tags = [new if t == tag else t for t in self.without_tags]
            self._shown = ()
            self.refresh_view()

        self.app.push_screen(TextPrompt(f"Rename #{tag} on every item to:", tag), rename)

    def action_filter(self) -> None:
        """Type to filter the tags."""
        self.query_one("#tag-filter", Input).focus()

    def action_leave_filter(self) -> None:
        """Back to the tags (the filter stays as typed)."""
        self.query_one("#tag-table", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        return self.body_ready


def _day(at: float | None) -> str:
    """`23 Nov` this year, `23 Nov 24` before; "" when unknown."""
    if not at:
        return ""
    moment = time.localtime(at)
    same_year = moment.tm_year == time.localtime().tm_year
    return time.strftime("%d %b" if same_year else "%d %b %y", moment)
