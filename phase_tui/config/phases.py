"""Building the phases of a `Config` from `[phases]` and its `[phases.NAME]` tables.

The one section whose values depend on each other: the order decides keys and palette
colours, `next` and `default` must name configured phases, and no two phases may share a
key. Phases not in the file keep their built-in settings.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from phase_tui.config.kinds import PHASE_NAME, PHASE_NAME_RE
from phase_tui.config.report import Report, did_you_mean, join_and
from phase_tui.config.schema import Section
from phase_tui.config.settings import BUILTIN_PHASES, PHASE_PALETTE, PhaseSettings
from phase_tui.config.values import INVALID, SectionValues, settled


def build_phases(section: Section, values: SectionValues, report: Report) -> dict[str, Any]:
    """`phases` and `default_phase` from `[phases]` and its `[phases.NAME]` tables."""
    tables = values.tables
    for name in tables:
        if not PHASE_NAME_RE.match(name):
            report.add(
                ("phases", name),
                f'`[phases.{name}]`: the name expects {PHASE_NAME.expects}, found "{name}"',
            )
    named = tuple(name for name in tables if PHASE_NAME_RE.match(name))
    order = values.fields.get("order")
    if order is None or order is INVALID:
        # No order: the built-in phases, then any new phase tables in file order.
        builtin = tuple(phase.name for phase in BUILTIN_PHASES)
        order = builtin + tuple(name for name in named if name not in builtin)
    else:
        for name in named:
            if name not in order:
                report.add(
                    ("phases", name),
                    (
                        f"`[phases.{name}]` is not in `phases.order` ({', '.join(order)}); "
                        f'add "{name}" to the order or remove the table'
                        + did_you_mean(name, order, "`[phases.{}]`")
                    ),
                )
    builtin = {phase.name: phase for phase in BUILTIN_PHASES}
    phases = []
    for position, name in enumerate(order, start=1):
        base = builtin.get(name) or PhaseSettings(
            name, PHASE_PALETTE[(position - 1) % len(PHASE_PALETTE)], str(position)
        )
        base = replace(base, key=str(position))
        if base.next not in order or base.next == name:
            base = replace(base, next=None)
        phases.append(replace(base, **settled(tables.get(name, {}))))
    for phase in phases:
        if phase.next is not None and (phase.next not in order or phase.next == phase.name):
            why = "the phase itself" if phase.next == phase.name else "not a configured phase"
            report.add(
                ("phases", phase.name, "next"),
                (
                    f'`phases.{phase.name}.next` is "{phase.next}", {why} '
                    f"(phases: {', '.join(order)})" + did_you_mean(phase.next, order)
                ),
            )
    by_key: dict[str, list[str]] = {}
    for phase in phases:
        by_key.setdefault(phase.key, []).append(phase.name)
    for key, names in by_key.items():
        if len(names) > 1:
            written = [name for name in names if report.lines.written(("phases", name, "key"))]
            report.add(
                ("phases", (written or names)[-1], "key"),
                f'phases {join_and(names)} both use the key "{key}"; give each phase its own `key`',
            )
    default = values.fields.get("default")
    if default is None or default is INVALID:
        default = order[0]
    elif default not in order:
        report.add(
            ("phases", "default"),
            (
                f'`phases.default` is "{default}", not a configured phase '
                f"(phases: {', '.join(order)})" + did_you_mean(default, order)
            ),
        )
        default = order[0]
    return {"phases": tuple(phases), "default_phase": default}
