"""The demo studio: synthesized bounces, a sample crate and a playlist (`phase-os demo`).

Pure numpy and soundfile, no Textual: `synth` makes the music; `bounces` and `crate` are
the steps that name the files; `audio_files` writes audio; `studio` runs the steps.
"""

from __future__ import annotations

from phase_tui.demo.step import DemoContext, DemoFile, DemoStep
from phase_tui.demo.studio import DEMO_STEPS, create_demo_studio

__all__ = ["DEMO_STEPS", "DemoContext", "DemoFile", "DemoStep", "create_demo_studio"]
