"""The builder screen: the form map being worked on, its sections, its versions, diffs.

It opens on the active map (else an empty page saying how to start). `g` generates a new
map for the track, `r` re-rolls the unlocked sections, `l` locks the selected one; its
role, bars and energy, and the tempo, are edited by hand with keys. `s` saves the map as a
version and makes it the active map (bounces logged now link to it); the history lists the
track's versions (enter loads one), and `v` shows what changed from the version under the
history's cursor to the map on screen.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from phase_tui.builder.form_map import MAX_ENERGY, MIN_ENERGY, ROLES, FormMap
from phase_tui.formatting import format_clock
from screens.base import StudioScreen
from widgets.form_timeline import FormTimeline

if TYPE_CHECKING:
    from phase_tui.builder.versions import FormVersion
    from phase_tui.config.settings import BuilderSettings

SEED_RANGE = 2**32
BAR_STEP = 4  # bars change by a phrase of four


class BuilderScreen(StudioScreen):
    """Generate, edit, version and compare the form maps of the studio's tracks."""

    DEFAULT_CSS = """
    BuilderScreen #form-title { padding: 0 1; text-style: bold; }
    BuilderScreen FormTimeline { margin: 0 1; }
    BuilderScreen #form-sections { width: 3fr; height: 1fr; }
    BuilderScreen #form-side { width: 2fr; min-width: 30; }
    BuilderScreen #form-history { height: 1fr; }
    BuilderScreen #form-diff { height: auto; display: none; }
    BuilderScreen #form-diff.-shown { display: block; }
    BuilderScreen #form-diff Static { padding: 0 1; color: $text-muted; }
    BuilderScreen #form-diff FormTimeline { height: 2; margin: 0 1; }
    """

    BINDINGS = [
        Binding("g", "generate", "Generate", id="builder.generate"),
        Binding("r", "reroll", "Re-roll", id="builder.reroll"),
        Binding("l", "lock", "Lock", id="builder.lock"),
        Binding("o", "role", "Role", id="builder.role"),
        Binding("e", "edit", "Edit", id="builder.edit"),
        Binding("right_square_bracket", "bars(1)", "Bars +", id="builder.bars_up"),
        Binding("left_square_bracket", "bars(-1)", "Bars -", show=False, id="builder.bars_down"),
        Binding("full_stop", "energy(1)", "Energy +", id="builder.energy_up"),
        Binding("comma", "energy(-1)", "Energy -", show=False, id="builder.energy_down"),
        Binding("t", "tempo(1)", "Tempo +", show=False, id="builder.tempo_up"),
        Binding("T", "tempo(-1)", "Tempo -", show=False, id="builder.tempo_down"),
        Binding("s", "save", "Save version", id="builder.save"),
        Binding("v", "diff", "Diff", id="builder.diff"),
        Binding("V", "diff_session", "Since session", show=False, id="builder.diff_session"),
        Binding("tab", "focus_next", "History/sections", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="builder")
        self.form: FormMap | None = None
        self.saved: FormVersion | None = None  # the version the map on screen is, if saved

    def compose_body(self) -> ComposeResult:
        yield Static(id="form-title")
        yield FormTimeline()
        with Horizontal():
            yield DataTable(id="form-sections", cursor_type="row", zebra_stripes=True)
            with Vertical(id="form-side"):
                yield Static("History", classes="phase-title")
                yield DataTable(id="form-history", cursor_type="row")
                with Vertical(id="form-diff"):
                    yield Static(id="diff-head")
                    yield FormTimeline(id="diff-old")
                    yield FormTimeline(id="diff-new")
                    yield Static(id="diff-changes")

    def on_mount(self) -> None:  # StudioScreen.on_mount runs too (Textual calls each class's)
        self.call_after_refresh(self._open_active)

    def _open_active(self) -> None:
        if self.form is None and (active := self.studio_app.form_versions().active()):
            self.form, self.saved = active.form, active
        self.refresh_view()

    # ------------------------------------------------------------------ drawing
    def refresh_view(self) -> None:
        if not self.body_ready:
            return
        form = self.form
        self.query_one("#form-title", Static).update(self._title())
        self.query_one(FormTimeline).show(form, self._selected())
        table = self.query_one("#form-sections", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_columns("#", "role", "bars", "at", "energy", "hints", "lock")
        start_bar = 0
        for index, section in enumerate(form.sections if form else ()):
            hints = ", ".join(filter(None, [section.density, "+".join(section.instruments)]))
            table.add_row(
                str(index + 1),
                section.role,
                str(section.bars),
                format_clock(start_bar * form.bar_s) if form else "",
                "█" * section.energy + f" {section.energy}",
                hints,
                "locked" if section.locked else "",
            )
            start_bar += section.bars
        if form and form.sections:
            table.move_cursor(row=min(row, len(form.sections) - 1))
        self._show_history()

    def _title(self) -> str:
        form = self.form
        if form is None:
            return "No form map yet: g generates one (settings in [builder] of phase_os.toml)"
        state = "unsaved"
        if self.saved is not None and self.saved.content_hash == form.content_hash():
            active = self.studio_app.form_versions().active()
            state = f"version {self.saved.content_hash[:8]}"
            state += " · active" if active and active.id == self.saved.id else ""
        return (
            f"{form.track} · {form.tempo_bpm:g} bpm · {form.key} · {form.time_signature()} · "
            f"{form.total_bars} bars · {format_clock(form.duration_s)} · "
            f"{form.template or 'by hand'} seed {form.seed} · {state}"
        )

    def _show_history(self) -> None:
        table = self.query_one("#form-history", DataTable)
        table.clear(columns=True)
        table.add_columns("version", "saved", "length")
        if self.form is None:
            return
        for number, version in enumerate(self._history(), start=1):
            saved = time.strftime("%d %b %H:%M", time.localtime(version.saved_at))
            table.add_row(
                f"@{number} {version.content_hash[:8]}",
                saved,
                format_clock(version.form.duration_s),
                key=version.id,
            )

    def _history(self) -> list[FormVersion]:
        return self.studio_app.form_versions().history(self.form.track) if self.form else []

    def _selected(self) -> int | None:
        if self.form is None or not self.form.sections:
            return None
        row = self.query_one("#form-sections", DataTable).cursor_row
        return min(row, len(self.form.sections) - 1)

    @on(DataTable.RowHighlighted, "#form-sections")
    def _section_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.query_one(FormTimeline).show(self.form, self._selected())

    @on(DataTable.RowSelected, "#form-history")
    def _version_chosen(self, event: DataTable.RowSelected) -> None:
        self.focus_on(str(event.row_key.value))

    def focus_on(self, version_id: str) -> None:
        """Load a version of a form map."""
        version = self.studio_app.form_versions().get(version_id)
        if version is not None:
            self.form, self.saved = version.form, version
            if self.body_ready:
                self.refresh_view()

    # ------------------------------------------------------------------ actions
    def action_generate(self) -> None:
        """A new map for this track (a fresh seed)."""
        from phase_tui.builder.generator import generate

        track = self.form.track if self.form else "untitled"
        self._set(generate(self._settings(), track, seed=random.randrange(SEED_RANGE)))

    def action_reroll(self) -> None:
        """New values for every unlocked section."""
        from phase_tui.builder.generator import reroll

        if self._need_form():
            self._set(reroll(self.form, self._settings(), seed=random.randrange(SEED_RANGE)))

    def action_lock(self) -> None:
        """Lock or unlock the selected section (a re-roll keeps it)."""
        if self._need_form() and (index := self._selected()) is not None:
            self._edit(index, locked=not self.form.sections[index].locked)

    def action_role(self) -> None:
        """The selected section's next role."""
        if self._need_form() and (index := self._selected()) is not None:
            role = self.form.sections[index].role
            following = ROLES[(ROLES.index(role) + 1) % len(ROLES)] if role in ROLES else ROLES[0]
            self._edit(index, role=following)

    def action_edit(self) -> None:
        """Edit every field of the selected section, and the tempo and key, in a dialog."""
        from screens.section_editor import SectionEditor

        if self._need_form() and (index := self._selected()) is not None:
            self.app.push_screen(SectionEditor(self.form, index), self._edited)

    def _edited(self, form: FormMap | None) -> None:
        if form is not None:
            self._set(form)

    def action_bars(self, steps: int) -> None:
        """The selected section a phrase longer or shorter."""
        if self._need_form() and (index := self._selected()) is not None:
            bars = self.form.sections[index].bars + steps * BAR_STEP
            self._edit(index, bars=max(bars, BAR_STEP))

    def action_energy(self, steps: int) -> None:
        if self._need_form() and (index := self._selected()) is not None:
            energy = self.form.sections[index].energy + steps
            self._edit(index, energy=min(max(energy, MIN_ENERGY), MAX_ENERGY))

    def action_tempo(self, steps: int) -> None:
        if self._need_form():
            self._set(replace(self.form, tempo_bpm=max(self.form.tempo_bpm + steps, 20.0)))

    def action_save(self) -> None:
        """Save the map as a version of its track and make it the active map."""
        if not self._need_form():
            return
        app = self.studio_app
        versions = app.form_versions()
        version, created = versions.save(
            self.form, session=app.session["name"], phase=app.switcher.current, now=app.clock()
        )
        versions.activate(version.id)
        self.saved = version
        said = "Saved" if created else "Already saved"
        app.notify(f"{said}: {version.track} {version.content_hash[:8]} (active)", timeout=5)
        self.refresh_view()

    def action_diff(self) -> None:
        """What changed from the version under the history's cursor to the map on screen."""

        history = self.query_one("#form-history", DataTable)
        if not self._need_form() or not history.row_count:
            return
        key = history.coordinate_to_cell_key(history.cursor_coordinate).row_key.value
        version = self.studio_app.form_versions().get(str(key))
        if version is not None:
            self._show_diff(version.form, f"from {version.content_hash[:8]}")

    def action_diff_session(self) -> None:
        """What changed in this track's map since the session began."""
        if not self._need_form():
            return
        app = self.studio_app
        before, _latest = app.form_versions().since_session(self.form.track, app.session["name"])
        if before is None:
            app.notify("No version of this track from before this session", timeout=4)
            return
        self._show_diff(before.form, "since the session began")

    def _show_diff(self, old: FormMap, label: str) -> None:
        """The two timelines on one scale, and what changed, old to the map on screen."""
        from phase_tui.builder.diff import diff_forms, diff_text

        assert self.form is not None
        changes = diff_text(diff_forms(old, self.form)).splitlines()
        span = max(old.total_bars, self.form.total_bars)
        self.query_one("#diff-head", Static).update("\n".join([f"Diff {label}", *changes[:2]]))
        self.query_one("#diff-old", FormTimeline).show(old, span_bars=span)
        self.query_one("#diff-new", FormTimeline).show(self.form, span_bars=span)
        self.query_one("#diff-changes", Static).update("\n".join(changes[4:]))
        self.query_one("#form-diff").add_class("-shown")

    # ------------------------------------------------------------------ helpers
    def _settings(self) -> BuilderSettings:
        return self.studio_app.context.config.builder

    def _need_form(self) -> bool:
        if self.form is None:
            self.app.notify("No form map yet: g generates one", severity="warning", timeout=3)
        return self.form is not None

    def _edit(self, index: int, **changes: object) -> None:
        from phase_tui.builder.generator import edit_section

        assert self.form is not None
        self._set(edit_section(self.form, index, **changes))

    def _set(self, form: FormMap) -> None:
        self.form = form
        self.query_one("#form-diff").remove_class("-shown")
        self.refresh_view()

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        return self.body_ready
