"""The difference between two versions of a form map, and its plain-text form for the shell.

Sections are matched in four deterministic steps:
1. a longest common subsequence of the two role sequences pairs sections that kept their
   role and relative order: "same", or "changed" when a field differs (among equally long
   ones, the one whose pairs sit latest, so a section that left its place is the one moved);
2. leftover sections with an equal role are paired in order as "moved" (fields may differ);
3. inside each stretch between two pairs of step 1, leftovers are paired in order: the
   same slot with a new role, "changed" with a `role` field;
4. what is left is "removed" (old) or "added" (new).
Changes are listed in the new map's order; a removed section follows the new position of
the nearest kept section before it. Compared fields: role, bars, energy, density, instruments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from phase_tui.builder.form_map import FormMap, FormSection
from phase_tui.builder.form_text import timeline
from phase_tui.formatting import format_clock

FIELDS = ("role", "bars", "energy", "density", "instruments")


@dataclass(frozen=True)
class SectionChange:
    """What became of one section: indices are 0-based, None on the side it is missing."""

    kind: str  # "added" | "removed" | "moved" | "changed" | "same"
    old_index: int | None
    new_index: int | None
    fields: dict[str, tuple[Any, Any]]  # changed fields: name -> (old, new)


@dataclass(frozen=True)
class FormDiff:
    """Two maps and what differs between them; tempo/key/metre are None when unchanged."""

    old: FormMap
    new: FormMap
    sections: list[SectionChange]
    tempo: tuple[float, float] | None
    key: tuple[str, str] | None
    time_signature: tuple[str, str] | None
    length_delta_s: float
    bars_delta: int

    @property
    def unchanged(self) -> bool:
        """True when the music is the same: no section change, same tempo, key and metre."""
        return (
            all(change.kind == "same" for change in self.sections)
            and self.tempo is None
            and self.key is None
            and self.time_signature is None
        )


def diff_forms(old: FormMap, new: FormMap) -> FormDiff:
    """What changed from `old` to `new` (see the module docstring for the matching rule)."""
    old_roles = [s.role for s in old.sections]
    new_roles = [s.role for s in new.sections]
    common = _lcs(old_roles, new_roles)
    pairs = {i: (j, "kept") for i, j in common}  # old index -> (new index, how)
    _pair_leftovers(pairs, range(len(old_roles)), range(len(new_roles)), old_roles, new_roles)
    bounds = [(-1, -1), *common, (len(old_roles), len(new_roles))]
    for (i1, j1), (i2, j2) in zip(bounds, bounds[1:], strict=False):
        _pair_leftovers(pairs, range(i1 + 1, i2), range(j1 + 1, j2), None, None)
    changes: list[tuple[tuple[int, int, int], SectionChange]] = []
    anchor = -1
    for i in range(len(old_roles)):
        if i not in pairs:
            changes.append(((anchor, 1, i), SectionChange("removed", i, None, {})))
            continue
        j, how = pairs[i]
        anchor = j if how != "moved" else anchor
        fields = _changed_fields(old.sections[i], new.sections[j])
        kind = "moved" if how == "moved" else ("changed" if fields else "same")
        changes.append(((j, 0, i), SectionChange(kind, i, j, fields)))
    paired_new = {j for j, _ in pairs.values()}
    changes += [
        ((j, 0, -1), SectionChange("added", None, j, {}))
        for j in range(len(new_roles))
        if j not in paired_new
    ]
    return FormDiff(
        old=old,
        new=new,
        sections=[change for _, change in sorted(changes, key=lambda item: item[0])],
        tempo=_pair(old.tempo_bpm, new.tempo_bpm),
        key=_pair(old.key, new.key),
        time_signature=_pair(old.time_signature(), new.time_signature()),
        length_delta_s=new.duration_s - old.duration_s,
        bars_delta=new.total_bars - old.total_bars,
    )


def _lcs(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence; on ties the latest pairs win."""
    longest = [[0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for i, role in enumerate(old):
        for j, other in enumerate(new):
            longest[i + 1][j + 1] = (
                longest[i][j] + 1 if role == other else max(longest[i][j + 1], longest[i + 1][j])
            )
    pairs, i, j = [], len(old), len(new)
    while i and j:
        if old[i - 1] == new[j - 1]:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif longest[i][j - 1] >= longest[i - 1][j]:
            j -= 1
        else:
            i -= 1
    return pairs[::-1]


def _pair_leftovers(
    pairs: dict[int, tuple[int, str]],
    old_range: range,
    new_range: range,
    old_roles: list[str] | None,
    new_roles: list[str] | None,
) -> None:
    """Pair unpaired old and new indices in order: by equal role (moves) or, without roles,
    slot by slot (role changes)."""
    taken = {j for j, _ in pairs.values()}
    free_new = [j for j in new_range if j not in taken]
    for i in old_range:
        if i in pairs:
            continue
        for j in free_new:
            if old_roles is None or new_roles is None or old_roles[i] == new_roles[j]:
                pairs[i] = (j, "moved" if old_roles is not None else "kept")
                free_new.remove(j)
                break


def _changed_fields(old: FormSection, new: FormSection) -> dict[str, tuple[Any, Any]]:
    before, after = old.content(), new.content()
    return {
        name: (_plain(before[name]), _plain(after[name]))
        for name in FIELDS
        if before[name] != after[name]
    }


def _plain(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _pair(old: Any, new: Any) -> Any:
    return None if old == new else (old, new)


def diff_text(diff: FormDiff, width: int = 100) -> str:
    """The diff for the shell: header, both timelines one above the other, one line per
    changed section (`~` changed, `+` added, `-` removed, `>` moved; 1-based positions)."""
    old, new = diff.old, diff.new
    tempo = f"tempo {_arrow(diff.tempo, f'{new.tempo_bpm:g}', '{:g}')} bpm"
    key = f"key {_arrow(diff.key, new.key, '{}')}"
    metre = f"metre {_arrow(diff.time_signature, new.time_signature(), '{}')}"
    length = (
        f"length {format_clock(old.duration_s)} -> {format_clock(new.duration_s)} "
        f"({'+' if diff.length_delta_s >= 0 else '-'}{format_clock(abs(diff.length_delta_s))}), "
        f"bars {old.total_bars} -> {new.total_bars} ({diff.bars_delta:+d})"
    )
    lines = [f"{new.track}: {tempo} | {key} | {metre}", length]
    scale = (width - 5) / max(old.total_bars, new.total_bars, 1)
    lines += [f"old {timeline(old, scale)}", f"new {timeline(new, scale)}"]
    lines += [_change_line(diff, change) for change in diff.sections if change.kind != "same"]
    if diff.unchanged:
        lines.append("no changes")
    return "\n".join(lines)


def _arrow(change: tuple[Any, Any] | None, current: str, form: str) -> str:
    return current if change is None else f"{form.format(change[0])} -> {form.format(change[1])}"


def _change_line(diff: FormDiff, change: SectionChange) -> str:
    if change.kind == "removed":
        assert change.old_index is not None
        return f"- {diff.old.sections[change.old_index].role} ({change.old_index + 1})"
    assert change.new_index is not None
    role = diff.new.sections[change.new_index].role
    fields = ", ".join(
        f"{name} {_show(before)} -> {_show(after)}"
        for name, (before, after) in change.fields.items()
    )
    if change.kind == "added":
        return f"+ {role} ({change.new_index + 1})"
    if change.kind == "moved":
        assert change.old_index is not None
        moved = f"> {role} moved {change.old_index + 1} -> {change.new_index + 1}"
        return f"{moved}, {fields}" if fields else moved
    return f"~ {role} ({change.new_index + 1}): {fields}"


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "+".join(value) or "none"
    return str(value) if value != "" else "none"
