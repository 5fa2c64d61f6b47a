"""The diff between two form maps: matching sections, field changes, the text for the shell."""

from __future__ import annotations

from dataclasses import replace

from phase_tui.builder.diff import SectionChange, diff_forms, diff_text
from phase_tui.builder.form_map import FormMap, FormSection

INTRO = FormSection("intro", 8, 3, "sparse", ("pad",))
BUILD = FormSection("build", 8, 6)
DROP = FormSection("drop", 16, 8, "full", ("kick", "bass"))
BRIDGE = FormSection("bridge", 8, 4)
OUTRO = FormSection("outro", 8, 2)
OLD = FormMap("memory spike", 120.0, "A minor", 4, (INTRO, BUILD, DROP, BRIDGE, OUTRO))


def kinds(old: FormMap, new: FormMap) -> list[tuple[str, int | None, int | None]]:
    return [(c.kind, c.old_index, c.new_index) for c in diff_forms(old, new).sections]


def test_identical_maps_are_unchanged() -> None:
    diff = diff_forms(OLD, replace(OLD, seed=3, notes="x"))
    assert diff.unchanged and diff.length_delta_s == 0 and diff.bars_delta == 0
    assert all(change.kind == "same" for change in diff.sections)
    assert diff.tempo is diff.key is diff.time_signature is None


def test_added_and_removed_sections() -> None:
    breakdown = FormSection("breakdown", 8, 3)
    new = replace(OLD, sections=(INTRO, BUILD, DROP, breakdown, OUTRO, OUTRO))
    assert kinds(OLD, new) == [
        ("same", 0, 0),
        ("same", 1, 1),
        ("same", 2, 2),
        ("changed", 3, 3),  # bridge -> breakdown in the same slot
        ("added", None, 4),
        ("same", 4, 5),  # the latest outro is the one kept
    ]
    added = replace(OLD, sections=(FormSection("intro", 4, 1), *OLD.sections))
    assert kinds(OLD, added) == [("added", None, 0)] + [("same", i, i + 1) for i in range(5)]
    shorter = replace(OLD, sections=(INTRO, DROP, OUTRO))
    diff = diff_forms(OLD, shorter)
    assert [c.kind for c in diff.sections] == ["same", "removed", "same", "removed", "same"]
    assert diff.bars_delta == -16 and diff.length_delta_s == -32.0 and not diff.unchanged


def test_a_moved_section_keeps_its_changed_fields() -> None:
    new = replace(OLD, sections=(INTRO, BUILD, DROP, OUTRO, replace(BRIDGE, energy=5)))
    diff = diff_forms(OLD, new)
    assert [(c.kind, c.old_index, c.new_index) for c in diff.sections] == [
        ("same", 0, 0),
        ("same", 1, 1),
        ("same", 2, 2),
        ("same", 4, 3),
        ("moved", 3, 4),
    ]
    assert diff.sections[-1].fields == {"energy": (4, 5)}


def test_changed_fields_and_a_new_role_in_the_same_slot() -> None:
    bigger = replace(DROP, bars=32, energy=10, instruments=("kick", "bass", "lead"))
    new = replace(OLD, sections=(INTRO, BUILD, bigger, FormSection("breakdown", 8, 4), OUTRO))
    diff = diff_forms(OLD, new)
    assert diff.sections[2] == SectionChange(
        "changed",
        2,
        2,
        {
            "bars": (16, 32),
            "energy": (8, 10),
            "instruments": (("kick", "bass"), ("kick", "bass", "lead")),
        },
    )
    assert diff.sections[3] == SectionChange("changed", 3, 3, {"role": ("bridge", "breakdown")})
    assert diff.bars_delta == 16 and diff.length_delta_s == 32.0


def test_tempo_key_and_metre_changes() -> None:
    new = replace(OLD, tempo_bpm=128.0, key="C minor", beats_per_bar=3)
    diff = diff_forms(OLD, new)
    assert diff.tempo == (120.0, 128.0)
    assert diff.key == ("A minor", "C minor")
    assert diff.time_signature == ("4/4", "3/4")
    assert diff.length_delta_s == 48 * 3 * 60 / 128 - 96.0 and diff.bars_delta == 0
    assert not diff.unchanged


def test_matching_is_deterministic() -> None:
    new = replace(OLD, sections=(OUTRO, DROP, INTRO, BUILD, BRIDGE))
    assert diff_forms(OLD, new) == diff_forms(OLD, new)


def test_the_text_for_a_fixed_pair() -> None:
    new = replace(
        OLD,
        tempo_bpm=124.0,
        sections=(
            INTRO,
            BUILD,
            replace(DROP, bars=32, energy=10),
            FormSection("breakdown", 8, 3),
            OUTRO,
            replace(BRIDGE, bars=4),
        ),
    )
    assert diff_text(diff_forms(OLD, new), width=60) == "\n".join(
        [
            "memory spike: tempo 120 -> 124 bpm | key A minor | metre 4/4",
            "length 1:36 -> 2:12 (+0:36), bars 48 -> 68 (+20)",
            "old |intro|build-|drop--------|bridg|outro-|",
            "new |intro|build-|drop---------------------|break|outro-|br|",
            "~ drop (3): bars 16 -> 32, energy 8 -> 10",
            "+ breakdown (4)",
            "> bridge moved 4 -> 6, bars 8 -> 4",
        ]
    )
    assert diff_text(diff_forms(OLD, OLD), width=40).splitlines()[-1] == "no changes"


def test_removed_sections_and_field_values_in_the_text() -> None:
    new = replace(OLD, key="C minor", sections=(replace(INTRO, instruments=()), DROP, OUTRO))
    lines = diff_text(diff_forms(OLD, new)).splitlines()
    assert lines[0] == "memory spike: tempo 120 bpm | key A minor -> C minor | metre 4/4"
    assert lines[1] == "length 1:36 -> 1:04 (-0:32), bars 48 -> 32 (-16)"
    assert lines[2].startswith("old |intro") and len(lines[2]) == 100
    assert lines[3].endswith("|") and len(lines[3]) == 4 + 1 + round(32 * 95 / 48)
    assert lines[4:] == ["~ intro (1): instruments pad -> none", "- build (2)", "- bridge (4)"]
