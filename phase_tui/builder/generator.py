"""Seeded form map generation: a template's role plan sized to a target length and arced.

`generate` draws a tempo (a whole bpm in the settings' range), a key from the pool, the
template's roles for `parts` sections, their lengths and energies and their hints, all from
one `random.Random(seed)`: the same seed, settings and template give the same map. `reroll`
draws again for every unlocked section with a new seed.

The bar grid: sections are whole multiples of a phrase of 8 bars when the parts average at
least 16 bars at the target length, of 4 bars when they average at least 4, else of 2 bars;
every section is at least one grid step. Lengths are shared out by the roles' weights (with a
little randomness) so the total is the nearest grid step to the target (within half a step
whenever the target allows one step a part). Energies follow the template's arc: each section
of the peak role is above every other section, an intro is no higher than what follows it
and an outro no higher than what precedes it.
"""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import replace

from phase_tui.builder.form_map import MAX_ENERGY, MIN_ENERGY, ROLES, FormMap, FormSection
from phase_tui.builder.templates import DEFAULT_ENERGY, DEFAULT_WEIGHT, TEMPLATES, Template
from phase_tui.config.settings import BuilderSettings

SEED_RANGE = 2**32  # fresh seeds are drawn below this
DENSITIES = ((3, "sparse"), (5, "light"), (7, "medium"), (MAX_ENERGY, "full"))  # energy up to


def template_names() -> tuple[str, ...]:
    """The names of the built-in templates, in order."""
    return tuple(TEMPLATES)


def grid_bars(target_bars: float, parts: int) -> int:
    """The bar grid of a map of `parts` sections adding up to about `target_bars`."""
    average = target_bars / parts
    return 8 if average >= 16 else 4 if average >= 4 else 2


def target_bars(form: FormMap, settings: BuilderSettings) -> float:
    """How many bars of the map's tempo and metre make the target length."""
    return settings.target_minutes * 60.0 / form.bar_s


def _template(name: str, settings: BuilderSettings) -> Template:
    """The user's template of that name ([builder.NAME]), else the built-in one."""
    known = {**TEMPLATES, **settings.templates}
    if name not in known:
        raise ValueError(f"no template {name!r} (templates: {', '.join(known)})")
    return known[name]


def _template_of(form: FormMap, settings: BuilderSettings) -> Template:
    """The template a map was made with, or the settings' one for a map made by hand (or
    with a template no longer configured)."""
    known = {**TEMPLATES, **settings.templates}
    return known.get(form.template) or _template(settings.template, settings)


def _tempo_bpm(settings: BuilderSettings, rng: random.Random) -> float:
    low, high = math.ceil(settings.tempo_min_bpm), math.floor(settings.tempo_max_bpm)
    if low > high:
        raise ValueError(
            f"no whole bpm from tempo_min_bpm {settings.tempo_min_bpm:g} "
            f"to tempo_max_bpm {settings.tempo_max_bpm:g}"
        )
    return float(rng.randint(low, high))


def _key(settings: BuilderSettings, rng: random.Random) -> str:
    if not settings.keys:
        raise ValueError("no keys to draw from (builder.keys is empty)")
    return rng.choice(settings.keys)


def _bars(weights: list[float], fixed: dict[int, int], target: float, grid: int) -> list[int]:
    """Lengths on the grid for the sections not `fixed`, sharing what the fixed ones leave."""
    free = [index for index in range(len(weights)) if index not in fixed]
    if not free:
        return [fixed[index] for index in range(len(weights))]
    units_total = max(len(free), round((target - sum(fixed.values())) / grid))
    share = sum(weights[index] for index in free)
    ideal = {index: units_total * weights[index] / share for index in free}
    units = {index: max(1, round(ideal[index])) for index in free}
    while sum(units.values()) > units_total:
        index = max((i for i in free if units[i] > 1), key=lambda i: units[i] - ideal[i])
        units[index] -= 1
    while sum(units.values()) < units_total:
        index = min(free, key=lambda i: units[i] - ideal[i])
        units[index] += 1
    return [
        fixed[index] if index in fixed else units[index] * grid for index in range(len(weights))
    ]


def _energies(roles: tuple[str, ...], template: Template, rng: random.Random) -> list[int]:
    """Energies along the template's arc, each nudged by at most one."""
    base = [template.energy.get(role, DEFAULT_ENERGY.get(role, 5)) for role in roles]
    peaks = [index for index, role in enumerate(roles) if role == template.peak]
    if len(peaks) > 1:
        base[peaks[-1]] += 1  # the last peak is the climax
    energy = [level + rng.choice((-1, 0, 0, 1)) for level in base]
    for index in peaks:
        energy[index] = min(MAX_ENERGY, max(MIN_ENERGY + 1, energy[index]))
    ceiling = min((energy[index] for index in peaks), default=MAX_ENERGY + 1) - 1
    for index in set(range(len(roles))) - set(peaks):
        energy[index] = min(ceiling, MAX_ENERGY, max(MIN_ENERGY, energy[index]))
    if len(roles) > 1 and roles[0] == "intro":
        energy[0] = min(energy[0], energy[1])
    if len(roles) > 1 and roles[-1] == "outro":
        energy[-1] = min(energy[-1], energy[-2])
    return energy


def _hints(energy: int, template: Template, rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """A density word for the energy and 1 to 4 instruments from the template's pool."""
    density = next(word for top, word in DENSITIES if energy <= top)
    picked = rng.sample(
        range(len(template.instruments)), min(len(template.instruments), 1 + energy // 3)
    )
    return density, tuple(template.instruments[index] for index in sorted(picked))


def _roll(
    form: FormMap,
    roles: tuple[str, ...],
    settings: BuilderSettings,
    template: Template,
    rng: random.Random,
) -> tuple[FormSection, ...]:
    """Sections for `roles` at the map's tempo; the locked sections of `form` stay as they are."""
    locked = {index: section for index, section in enumerate(form.sections) if section.locked}
    target = target_bars(form, settings)
    weights = [
        template.weight.get(role, DEFAULT_WEIGHT.get(role, 1.0)) * rng.uniform(0.8, 1.25)
        for role in roles
    ]
    fixed = {index: section.bars for index, section in locked.items()}
    bars = _bars(weights, fixed, target, grid_bars(target, len(roles)))
    energies = _energies(roles, template, rng)
    sections = []
    for index, role in enumerate(roles):
        if index in locked:
            sections.append(locked[index])
            continue
        density, instruments = _hints(energies[index], template, rng)
        sections.append(FormSection(role, bars[index], energies[index], density, instruments))
    return tuple(sections)


def generate(
    settings: BuilderSettings, track: str, seed: int | None = None, template: str | None = None
) -> FormMap:
    """A new form map of `settings.parts` sections from `template` (default: the settings').

    `seed` None draws a fresh one; the seed is stored in the map. ValueError for an unknown
    template, an empty key pool or a tempo range without a whole bpm.
    """
    chosen = _template(template or settings.template, settings)
    seed = secrets.randbelow(SEED_RANGE) if seed is None else seed
    rng = random.Random(seed)
    beats, unit = (int(part) for part in settings.time_signature.split("/"))
    tempo_bpm, key = _tempo_bpm(settings, rng), _key(settings, rng)
    form = FormMap(track, tempo_bpm, key, beats, (), chosen.name, seed, unit)
    roles = chosen.roles_for(settings.parts)
    return replace(form, sections=_roll(form, roles, settings, chosen, rng))


def reroll(form: FormMap, settings: BuilderSettings, seed: int) -> FormMap:
    """`form` drawn again with `seed` (stored): locked sections unchanged, the others get new
    lengths, energies and hints in their roles (the count and order of roles are kept).

    Tempo and key are drawn again only when no section is locked (a locked section was
    written for them); the metre is kept. With nothing locked and roles as the template
    plans them, this is `generate` with the same seed. The template is the map's (the
    settings' for a map made by hand).
    """
    chosen = _template_of(form, settings)
    rng = random.Random(seed)
    base = replace(form, seed=seed, template=chosen.name)
    if not any(section.locked for section in form.sections):
        base = replace(base, tempo_bpm=_tempo_bpm(settings, rng), key=_key(settings, rng))
    roles = tuple(section.role for section in form.sections)
    return replace(base, sections=_roll(base, roles, settings, chosen, rng))


def edit_section(form: FormMap, index: int, **changes: object) -> FormMap:
    """`form` with fields of section `index` changed by hand (role, bars, energy, density,
    instruments, locked); ValueError for a role not in ROLES, bars < 1 or energy off 1..10."""
    section = replace(form.sections[index], **changes)  # type: ignore[arg-type]
    if section.role not in ROLES:
        raise ValueError(f"role {section.role!r} is not one of {', '.join(ROLES)}")
    if not isinstance(section.bars, int) or section.bars < 1:
        raise ValueError(f"bars must be a whole number > 0, not {section.bars!r}")
    if not isinstance(section.energy, int) or not MIN_ENERGY <= section.energy <= MAX_ENERGY:
        raise ValueError(f"energy must be {MIN_ENERGY}..{MAX_ENERGY}, not {section.energy!r}")
    return form.with_section(index, section)
