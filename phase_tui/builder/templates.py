"""The built-in form templates: role plans, energy arcs and instrument pools.

A template's `plan` is its full arrangement in order; each entry carries a rank (0 = the
most essential part). A map of N parts keeps the N best-ranked entries, in plan order, so
4 parts of "club" are intro, build, drop, outro and 6 add a breakdown and a second drop.
Past the plan's length, `cycle` is repeated before the last part (the outro), ranked the
same way. `energy` is the base energy of each role (the `peak` role is the top of the arc),
`weight` its relative length, `instruments` the pool the hints are drawn from.
Stdlib only: the settings schema imports the template names from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

PlanEntry = tuple[str, int]  # (role, rank): rank 0 is kept first
ROLES = ("intro", "verse", "build", "chorus", "drop", "breakdown", "bridge", "outro")


@dataclass(frozen=True)
class Template:
    """One kind of arrangement. Every role of `plan` and `cycle` has an `energy` and `weight`."""

    name: str
    peak: str
    plan: tuple[PlanEntry, ...]
    cycle: tuple[PlanEntry, ...]
    energy: Mapping[str, int] = field(hash=False)
    weight: Mapping[str, float] = field(hash=False)
    instruments: tuple[str, ...] = ()

    def roles_for(self, parts: int) -> tuple[str, ...]:
        """The roles of a map of `parts` sections (>= 1), in order."""
        entries = list(self.plan)
        repeats = -(-max(0, parts - len(self.plan)) // len(self.cycle))  # ceiling
        for repeat in range(repeats):
            offset = len(self.plan) + repeat * len(self.cycle)
            entries[-1:-1] = [(role, offset + rank) for role, rank in self.cycle]
        ordered = sorted(range(len(entries)), key=lambda index: entries[index][1])
        kept = sorted(ordered[:parts])
        return tuple(entries[index][0] for index in kept)


# Roles a template does not plan (a role edited by hand) get these.
DEFAULT_ENERGY = MappingProxyType(
    {
        "intro": 3,
        "verse": 4,
        "build": 6,
        "chorus": 8,
        "drop": 9,
        "breakdown": 4,
        "bridge": 5,
        "outro": 2,
    }
)
DEFAULT_WEIGHT = MappingProxyType(
    {"intro": 1.0, "verse": 2.0, "build": 1.0, "chorus": 2.0, "drop": 2.0, "breakdown": 1.0}
    | {"bridge": 1.0, "outro": 1.0}
)

CLUB = Template(
    "club",
    peak="drop",
    plan=(
        ("intro", 1),
        ("build", 3),
        ("drop", 0),
        ("breakdown", 4),
        ("build", 6),
        ("drop", 5),
        ("breakdown", 7),
        ("drop", 8),
        ("outro", 2),
    ),
    cycle=(("breakdown", 0), ("build", 2), ("drop", 1)),
    energy={"intro": 3, "build": 6, "drop": 9, "breakdown": 4, "outro": 3},
    weight={"intro": 1.0, "build": 1.0, "drop": 2.0, "breakdown": 1.0, "outro": 1.0},
    instruments=("kick", "hats", "clap", "bass", "sub", "pad", "stab", "lead", "vocal chop"),
)

POP = Template(
    "pop",
    peak="chorus",
    plan=(
        ("intro", 2),
        ("verse", 1),
        ("chorus", 0),
        ("verse", 5),
        ("chorus", 4),
        ("bridge", 6),
        ("chorus", 7),
        ("outro", 3),
    ),
    cycle=(("verse", 1), ("chorus", 0)),
    energy={"intro": 3, "verse": 5, "chorus": 8, "bridge": 6, "outro": 3},
    weight={"intro": 1.0, "verse": 2.0, "chorus": 2.0, "bridge": 1.0, "outro": 1.0},
    instruments=("drums", "bass", "piano", "guitar", "synth", "strings", "lead vocal", "harmonies"),
)

AMBIENT = Template(
    "ambient",
    peak="build",
    plan=(
        ("intro", 1),
        ("verse", 3),
        ("build", 0),
        ("breakdown", 4),
        ("bridge", 5),
        ("build", 6),
        ("outro", 2),
    ),
    cycle=(("breakdown", 0), ("build", 1)),
    energy={"intro": 2, "verse": 3, "build": 6, "breakdown": 3, "bridge": 4, "outro": 1},
    weight={"intro": 1.5, "verse": 2.0, "build": 2.0, "breakdown": 1.5, "bridge": 1.5}
    | {"outro": 1.5},
    instruments=("pad", "drone", "field recording", "piano", "tape hiss", "granular", "bells"),
)

DNB = Template(
    "dnb",
    peak="drop",
    plan=(
        ("intro", 1),
        ("build", 3),
        ("drop", 0),
        ("breakdown", 4),
        ("build", 6),
        ("drop", 5),
        ("outro", 2),
    ),
    cycle=(("breakdown", 0), ("drop", 1)),
    energy={"intro": 4, "build": 7, "drop": 9, "breakdown": 5, "outro": 4},
    weight={"intro": 2.0, "build": 1.0, "drop": 2.0, "breakdown": 1.5, "outro": 2.0},
    instruments=("breaks", "amen", "reese", "sub", "pad", "stab", "vocal", "snare roll"),
)

TEMPLATES: MappingProxyType[str, Template] = MappingProxyType(
    {template.name: template for template in (CLUB, POP, AMBIENT, DNB)}
)


def user_template(
    name: str,
    roles: tuple[str, ...],
    peak: str,
    energy: Mapping[str, int],
    weights: Mapping[str, float],
    instruments: tuple[str, ...],
) -> Template:
    """A template from a `[builder.NAME]` table: `roles` is its full plan in order. The
    first peak is kept first, then the first and last roles, then the others in order;
    past the plan, its last two inner roles repeat before the last one."""
    order = [roles.index(peak)] if peak in roles else []
    order += [index for index in (0, len(roles) - 1) if index not in order]
    order += [index for index in range(len(roles)) if index not in order]
    rank = {index: position for position, index in enumerate(order)}
    inner = roles[1:-1] or roles
    cycle = tuple((role, position) for position, role in enumerate(inner[-2:]))
    return Template(
        name,
        peak=peak,
        plan=tuple((role, rank[index]) for index, role in enumerate(roles)),
        cycle=cycle,
        energy=MappingProxyType({**DEFAULT_ENERGY, **energy}),
        weight=MappingProxyType({**DEFAULT_WEIGHT, **weights}),
        instruments=instruments,
    )
