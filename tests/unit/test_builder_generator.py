"""The seeded form map generator: constraints over seeds and settings, determinism, re-rolls."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phase_tui.builder.form_map import FormMap
from phase_tui.builder.generator import (
    edit_section,
    generate,
    grid_bars,
    reroll,
    target_bars,
    template_names,
)
from phase_tui.builder.templates import TEMPLATES
from phase_tui.config.settings import BuilderSettings

KEYS = ("A minor", "F# major", "D dorian")
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@st.composite
def builder_settings(draw: st.DrawFn) -> BuilderSettings:
    """Settings in the range the generator promises to meet: 2..8 parts, 1..10 minutes."""
    low = draw(st.integers(60, 190))
    return BuilderSettings(
        parts=draw(st.integers(2, 8)),
        template=draw(st.sampled_from(template_names())),
        tempo_min_bpm=float(low),
        tempo_max_bpm=float(draw(st.integers(low, 200))),
        keys=draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=True).map(tuple)),
        target_minutes=draw(st.floats(1.0, 10.0)),
        time_signature=draw(st.sampled_from(("4/4", "3/4", "6/8", "7/8"))),
    )


def assert_arc(form: FormMap) -> None:
    """Energies in 1..10; the peak role above the rest; intro and outro at the edges lower."""
    peak = TEMPLATES[form.template].peak
    energies = [section.energy for section in form.sections]
    assert all(1 <= energy <= 10 for energy in energies)
    peaks = [s.energy for s in form.sections if s.role == peak]
    others = [s.energy for s in form.sections if s.role != peak]
    assert peaks and min(peaks) > max(others, default=0)
    if form.sections[0].role == "intro":
        assert energies[0] <= energies[1]
    if form.sections[-1].role == "outro":
        assert energies[-1] <= energies[-2]


@settings(max_examples=150, deadline=None)
@given(builder_settings(), SEEDS)
def test_constraints_hold_for_any_seed_and_settings(config: BuilderSettings, seed: int) -> None:
    form = generate(config, "spike", seed)
    assert (form.track, form.seed, form.template) == ("spike", seed, config.template)
    assert len(form.sections) == config.parts
    assert [s.role for s in form.sections] == list(
        TEMPLATES[config.template].roles_for(config.parts)
    )
    assert form.tempo_bpm == int(form.tempo_bpm)
    assert config.tempo_min_bpm <= form.tempo_bpm <= config.tempo_max_bpm
    assert form.key in config.keys and form.time_signature() == config.time_signature
    target = target_bars(form, config)
    grid = grid_bars(target, config.parts)
    assert all(s.bars > 0 and s.bars % grid == 0 for s in form.sections)
    assert abs(form.total_bars - target) <= max(0.15 * target, grid)
    assert abs(form.duration_s - config.target_minutes * 60) <= max(
        0.15 * config.target_minutes * 60, grid * form.bar_s
    )
    assert_arc(form)
    assert all(s.density and s.instruments and not s.locked for s in form.sections)


@settings(max_examples=50, deadline=None)
@given(builder_settings(), SEEDS)
def test_same_seed_same_map(config: BuilderSettings, seed: int) -> None:
    first, second = generate(config, "spike", seed), generate(config, "spike", seed)
    assert first == second and first.content_hash() == second.content_hash()


def test_different_seeds_usually_differ_and_no_seed_draws_one() -> None:
    config = BuilderSettings(parts=6)
    hashes = {generate(config, "spike", seed).content_hash() for seed in range(20)}
    assert len(hashes) >= 18
    fresh = generate(config, "spike")
    assert fresh.seed is not None and generate(config, "spike", fresh.seed) == fresh


def test_grid_is_a_phrase_of_8_4_or_2_bars() -> None:
    assert grid_bars(108, 4) == 8 and grid_bars(60, 4) == 4 and grid_bars(15, 8) == 2
    short = generate(
        BuilderSettings(parts=8, target_minutes=1, tempo_min_bpm=60, tempo_max_bpm=60), "x", 3
    )
    assert short.total_bars == 16 and {s.bars for s in short.sections} == {2}


def test_four_parts_of_club_and_pop() -> None:
    club = generate(BuilderSettings(), "x", 1)
    assert [s.role for s in club.sections] == ["intro", "build", "drop", "outro"]
    pop = generate(BuilderSettings(parts=8), "x", 1, template="pop")
    assert [s.role for s in pop.sections] == [
        "intro",
        "verse",
        "chorus",
        "verse",
        "chorus",
        "bridge",
        "chorus",
        "outro",
    ]
    assert set(template_names()) == {"club", "pop", "ambient", "dnb"}


@settings(max_examples=60, deadline=None)
@given(builder_settings(), SEEDS, SEEDS, st.data())
def test_reroll_keeps_locked_sections(
    config: BuilderSettings, seed: int, new_seed: int, data: st.DataObject
) -> None:
    form = generate(config, "spike", seed)
    locked = data.draw(st.sets(st.integers(0, config.parts - 1), min_size=1))
    for index in locked:
        form = edit_section(form, index, locked=True)
    again = reroll(form, config, new_seed)
    assert again.seed == new_seed and (again.tempo_bpm, again.key) == (form.tempo_bpm, form.key)
    assert [s.role for s in again.sections] == [s.role for s in form.sections]
    for index, section in enumerate(again.sections):
        if index in locked:
            assert section == form.sections[index]
        else:
            assert section.bars > 0 and 1 <= section.energy <= 10 and not section.locked
    assert again == reroll(form, config, new_seed)


@settings(max_examples=40, deadline=None)
@given(builder_settings(), SEEDS, SEEDS)
def test_reroll_with_nothing_locked_is_generate(
    config: BuilderSettings, seed: int, new_seed: int
) -> None:
    assert reroll(generate(config, "s", seed), config, new_seed) == generate(config, "s", new_seed)


def test_reroll_fills_what_locked_sections_leave() -> None:
    config = BuilderSettings(parts=6, tempo_min_bpm=120, tempo_max_bpm=120, target_minutes=4)
    form = edit_section(generate(config, "x", 2), 2, bars=64, energy=10, locked=True)
    again = reroll(form, config, 9)
    assert again.sections[2] == form.sections[2]
    assert abs(again.total_bars - target_bars(again, config)) <= 8


def test_edit_section_by_hand_checks_fields() -> None:
    form = generate(BuilderSettings(), "x", 1)
    edited = edit_section(form, 1, role="breakdown", bars=12, energy=5, density="sparse")
    assert (edited.sections[1].role, edited.sections[1].bars) == ("breakdown", 12)
    assert edited.sections[0] == form.sections[0]
    for changes in ({"role": "solo"}, {"bars": 0}, {"energy": 11}, {"bars": 4.5}):
        with pytest.raises(ValueError):
            edit_section(form, 0, **changes)


def test_bad_settings_are_value_errors() -> None:
    with pytest.raises(
        ValueError, match="no whole bpm from tempo_min_bpm 130 to tempo_max_bpm 120"
    ):
        generate(BuilderSettings(tempo_min_bpm=130, tempo_max_bpm=120), "x", 1)
    with pytest.raises(ValueError, match="no template 'polka'"):
        generate(BuilderSettings(), "x", 1, template="polka")
    with pytest.raises(ValueError, match="no keys"):
        generate(BuilderSettings(keys=()), "x", 1)
    untemplated = replace(generate(BuilderSettings(), "x", 1), template="")
    assert reroll(untemplated, BuilderSettings(template="dnb"), 4).template == "dnb"


def test_a_template_of_ones_own_from_the_settings() -> None:
    from phase_tui.config import load_config_text

    settings = load_config_text(
        '[builder]\ntemplate = "lofi"\nparts = 6\n\n[builder.lofi]\n'
        'roles = ["intro", "verse", "chorus", "verse", "chorus", "outro"]\n'
        'peak = "chorus"\ninstruments = ["rhodes", "vinyl"]\n'
    ).builder
    made = generate(settings, "tape loop", seed=5)
    assert made.template == "lofi"
    roles = [s.role for s in made.sections]
    assert roles == ["intro", "verse", "chorus", "verse", "chorus", "outro"]
    choruses = [s.energy for s in made.sections if s.role == "chorus"]
    assert min(choruses) > max(s.energy for s in made.sections if s.role != "chorus")
    assert {i for s in made.sections for i in s.instruments} <= {"rhodes", "vinyl"}
    by_hand = replace(made, template="by hand")
    assert reroll(by_hand, settings, seed=6).template == "lofi"  # the settings' template
