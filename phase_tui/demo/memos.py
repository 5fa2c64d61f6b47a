"""The demo's voice memo: an idea for "memory spike", spoken ("Note: add a riser before
the second drop. Tag dark. Bookmark."), left pending so the app transcribes it when it
first opens: its words tag the final bounce, note a line in the session's scratchpad and
bookmark the latest bounce.

The speech was made once with eSpeak NG (`espeak-ng -v en-us -s 130 -g 3`, then `sox` to
16 kHz mono FLAC) and ships with the package; there is no speech synthesizer at run time.
Like the form maps, the memo's record goes to the Store once its file exists.
"""

from __future__ import annotations

from pathlib import Path

import soundfile as sf

from phase_tui.context import StudioContext
from phase_tui.demo.forms import SPIKE_FILES
from phase_tui.demo.step import DemoContext, DemoFile
from phase_tui.loop.catalogue import BOUNCES
from phase_tui.voice.memos import MEMOS, new_memo

MEMO_PATH = "memos/demo-riser-idea.wav"
SPEECH = Path(__file__).with_name("riser_idea.flac")


def memo_files(context: DemoContext) -> list[DemoFile]:
    """The memo's audio, as the recorder writes it (16-bit WAV)."""

    def write(path: Path) -> str:
        audio, rate = sf.read(SPEECH, dtype="int16")
        sf.write(path, audio, rate, subtype="PCM_16", format="WAV")
        return f"{len(audio) / rate:.1f} s of speech"

    return [DemoFile(MEMO_PATH, write)]


def record_demo_memo(root: Path) -> bool:
    """The memo's record, pending, its focus the final "memory spike" bounce; False when
    the studio has memos already."""
    context = StudioContext.open(root)
    try:
        if context.store.count(MEMOS):
            return False
        path = root / MEMO_PATH
        final = SPIKE_FILES[-1][0]
        found = context.store.find(BOUNCES, lambda r: str(r.get("path", "")).endswith(final))
        focus = (
            {"kind": BOUNCES, "id": found[-1]["id"], "name": found[-1]["name"]} if found else None
        )
        memo = new_memo(
            context.store,
            path,
            session=context.session()["name"],
            phase="builder",
            at=path.stat().st_mtime,
            focus=focus,
        )
        context.store.update(
            MEMOS, memo["id"], {"status": "pending", "duration_s": sf.info(str(path)).duration}
        )
        return True
    finally:
        context.close()
