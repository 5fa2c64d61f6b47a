"""The demo's form maps: the three arrangements of "memory spike", saved as versions of
its form map at the times its three bounces were exported, each bounce linked to the map
it was made with, the last one active.

Unlike the other demo steps this writes to the Store (the versions, and the records of
the three bounces, registered as the app would with the map active at their export), so
it runs once the files exist; a studio that already has form maps is left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from phase_tui.builder.form_map import FormMap, FormSection
from phase_tui.builder.versions import FormVersions
from phase_tui.context import StudioContext
from phase_tui.demo import bounces
from phase_tui.demo.synth import Section
from phase_tui.loop.catalogue import BounceCatalogue

TRACK = "memory spike"
SPIKE_FILES = (  # the bounce made with each arrangement, oldest first
    ("memory-spike.wav", bounces.SPIKE_V1),
    ("memory-spike-v2.wav", bounces.SPIKE_V2),
    ("Memory Spike (final).flac", bounces.SPIKE_FINAL),
)


def spike_form(sections: Sequence[Section]) -> FormMap:
    """A demo arrangement as a form map: its bars, its layers as instruments, energy from
    its level (0 dB: 10, -18 dB or lower: 1)."""
    return FormMap(
        track=TRACK,
        tempo_bpm=bounces.SPIKE_BPM,
        key=bounces.SPIKE_KEY,
        beats_per_bar=4,
        sections=tuple(
            FormSection(
                role=section.name,
                bars=section.bars,
                energy=min(max(round(10 + section.level_db / 2), 1), 10),
                density="full" if len(section.layers) > 3 else "sparse",
                instruments=section.layers,
            )
            for section in sections
        ),
        template="by hand",
    )


def link_form_maps(root: Path) -> int:
    """Save the versions and register the bounces linked to them; how many versions were
    saved (0 when the studio has form maps already)."""
    context = StudioContext.open(root)
    try:
        versions = FormVersions(context.store, root)
        if versions.tracks():
            return 0
        session = context.session()["name"]
        linked = {"session": session, "phase": "builder", "form": None}
        catalogue = BounceCatalogue(context.store, root, lambda: linked)
        for name, sections in SPIKE_FILES:
            path = root / "bounces" / name
            version, _ = versions.save(
                spike_form(sections), session=session, phase="builder", now=path.stat().st_mtime
            )
            versions.activate(version.id)
            linked["form"] = version.id
            catalogue.register([path])
        return len(SPIKE_FILES)
    finally:
        context.close()
