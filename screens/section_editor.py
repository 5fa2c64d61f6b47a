"""A dialog to edit one section of a form map by hand, and the map's tempo, key and metre.

Every field is typed; enter or "Apply" checks them all (a role from the list, whole bars
above zero, energy 1 to 10, a tempo in bpm) and returns the edited map, or says what is
wrong and stays open; escape cancels.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from phase_tui.builder.form_map import ROLES, FormMap

FIELDS = (
    "role",
    "bars",
    "energy",
    "density",
    "instruments",
    "tempo_bpm",
    "key",
    "time_signature",
)
BEAT_UNITS = (1, 2, 4, 8, 16)


class SectionEditor(ModalScreen[FormMap | None]):
    """Edit section `index` of `form` (and its tempo, key and metre); dismissed with the
    new map."""

    DEFAULT_CSS = """
    SectionEditor { align: center middle; }
    SectionEditor > Vertical {
        width: 64; height: auto; padding: 1 2; border: thick $accent; background: $surface;
    }
    SectionEditor Grid { grid-size: 2; grid-columns: 14 1fr; grid-rows: 3; height: auto; }
    SectionEditor Label { padding: 1 0; }
    SectionEditor #editor-error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, form: FormMap, index: int) -> None:
        super().__init__()
        self.form, self.index = form, index

    def compose(self) -> ComposeResult:
        section = self.form.sections[self.index]
        values = {
            "role": section.role,
            "bars": str(section.bars),
            "energy": str(section.energy),
            "density": section.density,
            "instruments": ", ".join(section.instruments),
            "tempo_bpm": f"{self.form.tempo_bpm:g}",
            "key": self.form.key,
            "time_signature": self.form.time_signature(),
        }
        with Vertical():
            yield Static(f"Section {self.index + 1} of {self.form.track}  ({', '.join(ROLES)})")
            with Grid():
                for name in FIELDS:
                    yield Label(name.replace("_", " "))
                    yield Input(values[name], id=f"edit-{name}")
            yield Static(id="editor-error")
            yield Button("Apply", variant="primary", id="editor-apply")

    @on(Input.Submitted)
    @on(Button.Pressed, "#editor-apply")
    def _apply(self) -> None:
        from phase_tui.builder.generator import edit_section

        typed = {name: self.query_one(f"#edit-{name}", Input).value.strip() for name in FIELDS}
        try:
            edited = edit_section(
                self.form,
                self.index,
                role=typed["role"],
                bars=_whole(typed["bars"], "bars"),
                energy=_whole(typed["energy"], "energy"),
                density=typed["density"],
                instruments=tuple(p.strip() for p in typed["instruments"].split(",") if p.strip()),
            )
            tempo_bpm = _number(typed["tempo_bpm"], "tempo")
            if not 20.0 <= tempo_bpm <= 400.0:
                raise ValueError(f"tempo must be 20..400 bpm, not {typed['tempo_bpm']}")
            beats, unit = _metre(typed["time_signature"])
        except ValueError as error:
            self.query_one("#editor-error", Static).update(str(error))
            return
        key = typed["key"] or self.form.key
        self.dismiss(
            replace(edited, tempo_bpm=tempo_bpm, key=key, beats_per_bar=beats, beat_unit=unit)
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


def _metre(text: str) -> tuple[int, int]:
    """ "7/8" -> (7, 8): 1..32 beats of a whole, half, quarter, eighth or sixteenth note."""
    beats, _, unit = text.partition("/")
    if not (beats.strip().isdigit() and unit.strip().isdigit()):
        raise ValueError(f'time signature must be "beats/unit", e.g. "4/4", not {text!r}')
    metre = int(beats), int(unit)
    if not 1 <= metre[0] <= 32 or metre[1] not in BEAT_UNITS:
        raise ValueError(f"time signature must be 1..32 beats of a 1, 2, 4, 8 or 16, not {text}")
    return metre


def _number(text: str, name: str) -> float:
    """`text` as a number, else ValueError naming the field."""
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {text!r}") from None


def _whole(text: str, name: str) -> int:
    """`text` as a whole number, else ValueError naming the field."""
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {text!r}") from None
