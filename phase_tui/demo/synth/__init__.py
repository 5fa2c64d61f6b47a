"""Musical material synthesized with numpy: drums, bass, pads and whole arranged tracks.

Every public generator returns float32 audio shaped (frames, channels) in [-1, 1],
normalised to a peak in dBFS, and is deterministic for a seed. The sounds are simple on
purpose (pitched-sine kicks, noise snares and hats, saw bass and pads), yet shaped like
music: lengths true to bars and tempo, notes in a key, and arrangements whose energy
rises and falls, so loudness and section detection have something real to find.

`music` holds time, pitch and keys; `dsp` the signal helpers; `drums` and `tones` the
instruments; `arrangement` puts them together into tracks.
"""

from __future__ import annotations

from phase_tui.demo.synth.arrangement import (
    DEFAULT_MIX_DB,
    LAYERS,
    STANDARD_ARRANGEMENT,
    Section,
    SectionSpan,
    Track,
    render_track,
)
from phase_tui.demo.synth.drums import (
    BREAKBEAT,
    FOUR_ON_THE_FLOOR,
    TWO_STEP,
    DrumPattern,
    drum_loop,
    hat,
    kick,
    snare,
)
from phase_tui.demo.synth.dsp import fade, mix, normalise, soft_clip
from phase_tui.demo.synth.music import Key, bars_to_frames
from phase_tui.demo.synth.tones import bass_line, bass_notes, pad, pad_chord

__all__ = [
    "BREAKBEAT",
    "DEFAULT_MIX_DB",
    "FOUR_ON_THE_FLOOR",
    "LAYERS",
    "STANDARD_ARRANGEMENT",
    "TWO_STEP",
    "DrumPattern",
    "Key",
    "Section",
    "SectionSpan",
    "Track",
    "bars_to_frames",
    "bass_line",
    "bass_notes",
    "drum_loop",
    "fade",
    "hat",
    "kick",
    "mix",
    "normalise",
    "pad",
    "pad_chord",
    "render_track",
    "snare",
    "soft_clip",
]
