"""`phase-os demo`: a studio filled with synthesized bounces, a sample crate and a playlist.

The demo is a list of steps (`DEMO_STEPS`). A step names the files it makes, each a path
relative to the studio plus a writer; `create_demo_studio` runs the writers of the files
that do not exist yet, so it never overwrites anything and a second run writes nothing.
A later feature adds its own demo content by appending a step. The form maps of "memory
spike" and the links of its bounces to them (`forms`), the record of the voice memo
(`memos`), and the sample library with a remix session (`remix`) go to the Store once the
files exist. Audio is the same for the same seed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from phase_tui.demo.bounces import bounce_files
from phase_tui.demo.crate import crate_files, playlist_files
from phase_tui.demo.forms import link_form_maps
from phase_tui.demo.memos import memo_files, record_demo_memo
from phase_tui.demo.remix import scan_and_collect
from phase_tui.demo.step import DemoContext, DemoFile, DemoStep
from phase_tui.session.studio import init_studio

DEMO_STEPS: list[DemoStep] = [bounce_files, crate_files, playlist_files, memo_files]


def create_demo_studio(
    path: Path, *, seed: int = 7, progress: Callable[[str], None] | None = None
) -> list[Path]:
    """Create (or complete) a demo studio at `path`; return the files written.

    Files that already exist are left alone. `progress` gets one line per file written.
    """
    context = DemoContext(init_studio(path), seed)
    written: list[Path] = []
    # The files of one step are independent, so they are made in parallel (numpy and
    # libsndfile release the GIL); steps run in order, as a later one may read earlier files.
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for step in DEMO_STEPS:
            pending: list[tuple[DemoFile, Path, Future[str]]] = []
            for item in step(context):
                target = context.studio.root / item.relative_path
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    pending.append((item, target, pool.submit(item.write, target)))
            for item, target, future in pending:
                description = future.result()
                written.append(target)
                if progress is not None:
                    progress(f"{item.relative_path}  ({description})")
    link_form_maps(context.studio.root)
    record_demo_memo(context.studio.root)
    scan_and_collect(context.studio.root)
    return written
