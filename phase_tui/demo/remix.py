"""The demo's oracle: its crate scanned into the sample library, two loops approved and a
remix session, "memory spike flips", holding copies of them.

Like the form maps and the memo, this writes to the Store (and remix/) once the crate's
files exist; a studio that has samples already is left alone.
"""

from __future__ import annotations

from pathlib import Path

from phase_tui.context import StudioContext
from phase_tui.oracle.curation import CurationQueue
from phase_tui.oracle.miner import CrateMiner
from phase_tui.oracle.remix import RemixSessions

SESSION_NAME = "memory spike flips"
APPROVED = ("loop_house_124bpm_Am.wav", "pad_loop_90bpm_Eb.wav")


def scan_and_collect(root: Path) -> bool:
    """Scan the crates, approve two loops and copy them into a remix session; False when
    the studio has samples already."""
    context = StudioContext.open(root)
    try:
        if context.store.count("samples"):
            return False
        CrateMiner(context).run()
        session = context.session()["name"]
        curation = CurationQueue(context.store, session=lambda: session, phase=lambda: "oracle")
        sessions = RemixSessions(context.studio.folder("remix"))
        if SESSION_NAME not in sessions.names():
            sessions.create(SESSION_NAME)
        for record in context.store.all("samples"):
            if record["name"] in APPROVED:
                curation.decide(str(record["id"]), "approved")
                source = context.studio.root / str(record["path"])
                sessions.add(SESSION_NAME, source, kind="sample", source_id=str(record["id"]))
        return True
    finally:
        context.close()
