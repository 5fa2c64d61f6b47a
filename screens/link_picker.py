"""A list of a document's links to choose one from by keyboard; enter opens it (the dialog
is dismissed with its address), escape closes it (None)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class LinkPicker(ModalScreen[str | None]):
    """Choose one of `links`, (text, address) pairs."""

    DEFAULT_CSS = """
    LinkPicker { align: center middle; }
    LinkPicker > Vertical {
        width: 80; height: auto; max-height: 80%; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    LinkPicker Label { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, links: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.links = list(dict.fromkeys(links))  # in order, each once

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Open which? (enter opens, escape closes)")
            options = [
                Option(Text.assemble(text, (f"  {href}", "dim")), id=str(index))
                for index, (text, href) in enumerate(self.links)
            ]
            yield OptionList(*options, id="links")

    @on(OptionList.OptionSelected, "#links")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[int(str(event.option.id))][1])

    def action_cancel(self) -> None:
        """Close without opening anything."""
        self.dismiss(None)
