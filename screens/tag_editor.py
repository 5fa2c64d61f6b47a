"""A one-line dialog to edit the tags of an item: words or `#words`, separated by spaces or
commas; enter applies (dismissed with the normalised tags), escape cancels (None)."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from phase_tui.tags import merge_tags


def parse_tags(text: str) -> list[str]:
    """The tags typed in the dialog, normalised, in order, without duplicates."""
    return merge_tags((), re.split(r"[\s,]+", text))


class TagEditor(ModalScreen[list[str] | None]):
    """Edit the tags of the item named `title`."""

    DEFAULT_CSS = """
    TagEditor { align: center middle; }
    TagEditor > Vertical {
        width: 64; height: auto; padding: 1 2; border: thick $accent; background: $surface;
    }
    TagEditor Label { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, title: str, tags: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.tags = tags

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Tags of {self.title_text} (spaces between; enter applies)")
            yield Input(" ".join(self.tags), placeholder="dark late-night vocal", id="tags")

    @on(Input.Submitted, "#tags")
    def _apply(self, event: Input.Submitted) -> None:
        self.dismiss(parse_tags(event.value))

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
