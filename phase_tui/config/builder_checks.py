"""What `[builder]` needs checked as a whole: its tempo range (a whole bpm must lie
between the slowest and the fastest: the generator draws whole bpm), its templates of the
user's own (`[builder.NAME]`: the peak must be one of the roles) and the default template
(built in, or one of those)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from phase_tui.builder.templates import TEMPLATES, Template, user_template
from phase_tui.config.report import Report, did_you_mean
from phase_tui.config.settings import BuilderSettings
from phase_tui.config.values import settled


def check_tempo_range(
    settings: BuilderSettings, given: Mapping[str, object], report: Report
) -> None:
    """Report a tempo range with no whole bpm, at the bound the file sets (`given`)."""
    low, high = settings.tempo_min_bpm, settings.tempo_max_bpm
    if math.ceil(low) <= math.floor(high):
        return
    key = "tempo_max_bpm" if "tempo_max_bpm" in given else "tempo_min_bpm"
    report.add(
        ("builder", key),
        f"`builder.tempo_min_bpm` ({low:g}) to `builder.tempo_max_bpm` ({high:g}) holds no "
        "whole bpm: the fastest must be at least the slowest",
    )


def user_templates(tables: Mapping[str, dict[str, object]], report: Report) -> dict[str, Template]:
    """The `[builder.NAME]` tables (as read, with values that failed their checks) as
    templates; one without roles, or whose peak is not among them, is reported (once) and
    left out."""
    found = {}
    for name, given in tables.items():
        fields = settled(given)
        roles = tuple(fields.get("roles", ()))  # type: ignore[arg-type]
        peak = str(fields.get("peak", "drop"))
        if "roles" not in given:
            report.add(("builder", name), f"`[builder.{name}]` needs `roles`, the plan in order")
        if not roles or "peak" in given and "peak" not in fields:
            continue  # missing, or reported as it was read
        if peak not in roles:
            report.add(
                ("builder", name, "peak"),
                f'`builder.{name}.peak` is "{peak}", not one of its roles ({", ".join(roles)})',
            )
            continue
        found[name] = user_template(
            name,
            roles,
            peak,
            fields.get("energy", {}),  # type: ignore[arg-type]
            fields.get("weights", {}),  # type: ignore[arg-type]
            tuple(fields.get("instruments", ())),  # type: ignore[arg-type]
        )
    return found


def checked_template(settings: BuilderSettings, report: Report) -> str:
    """The default template's name as spelled where it is defined (the case of a name does
    not matter); one neither built in nor the user's is reported, and "club" used."""
    known = [*TEMPLATES, *settings.templates]
    spelled = {name.lower(): name for name in known}
    if settings.template.lower() in spelled:
        return spelled[settings.template.lower()]
    report.add(
        ("builder", "template"),
        f'`builder.template` is "{settings.template}", not a template '
        f"({', '.join(known)})" + did_you_mean(settings.template, known),
    )
    return "club"
