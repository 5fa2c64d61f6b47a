"""A form map as text for the shell: its header, a timeline, a line per section.

The timeline (blocks as wide as their bars, named by role) is the one the diff draws too.
"""

from __future__ import annotations

from phase_tui.builder.form_map import FormMap
from phase_tui.formatting import format_clock


def timeline(form: FormMap, scale: float) -> str:
    """Blocks whose widths follow bars (at `scale` characters per bar), each named by role."""
    text, start_bar, column = "", 0, 0
    for section in form.sections:
        start_bar += section.bars
        end = max(round(start_bar * scale), column + 1)
        block = section.role[: end - column - 1]
        text += "|" + block.ljust(end - column - 1, "-")
        column = end
    return text + "|"


def form_text(form: FormMap, width: int = 80) -> str:
    """The header (track, tempo, key, metre, length, how it was made), the timeline and
    one aligned line per section (position, role, bars, start, energy bar, hints)."""
    made = f"template {form.template or '-'}, seed {form.seed if form.seed is not None else '-'}"
    lines = [
        f"{form.track}: {form.tempo_bpm:g} bpm · {form.key} · {form.time_signature()} · "
        f"{form.total_bars} bars · {format_clock(form.duration_s)} ({made})",
        timeline(form, (width - 1) / max(form.total_bars, 1)),
    ]
    start_bar = 0
    for index, section in enumerate(form.sections, start=1):
        lock = " locked" if section.locked else ""
        hints = ", ".join(filter(None, [section.density, "+".join(section.instruments)]))
        lines.append(
            f"{index:>2}  {section.role:<10} {section.bars:>3} bars  "
            f"at {format_clock(start_bar * form.bar_s):>5}  "
            f"{'█' * section.energy:<10} {section.energy:>2}  {hints}{lock}"
        )
        start_bar += section.bars
    return "\n".join(lines)
