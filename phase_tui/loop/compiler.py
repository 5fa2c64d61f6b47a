"""The catch-up compiler: find what appeared, changed or vanished in the export folders.

Run at start, on `phase-os scan` and periodically (the reconcile scan finds what change
events missed). It registers files from their headers in batches, so a big folder is
listed at once; hashing and levels follow in the background (`AnalysisQueue`). A file
modified within the last `fresh_s` is still being written: it is handed to `on_fresh` (the
settle tracker) instead, so a half-written export is never registered with a wrong length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from phase_tui.loop.catalogue import BounceCatalogue, ScanReport
from phase_tui.loop.ignore import IgnoreRules

BATCH_FILES = 500


def walk_candidates(folders: Sequence[Path], rules: IgnoreRules) -> Iterator[str]:
    """Every candidate file under `folders` (links to folders are not followed: no loops)."""
    for root in folders:
        yield from rules.candidates_under(root, root)


def batched(items: Iterable[str], size: int) -> Iterator[list[str]]:
    """Lists of up to `size` items (itertools.batched arrives with Python 3.12)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def catch_up(
    catalogue: BounceCatalogue,
    folders: Sequence[Path],
    rules: IgnoreRules,
    progress: Callable[[int], None] | None = None,
    fresh_s: float = 0.0,
    on_fresh: Callable[[Path], None] | None = None,
) -> ScanReport:
    """Register new and changed files, mark vanished ones missing; returns what was found.

    A folder that does not exist (an unmounted drive) is skipped, not emptied.
    """
    present_folders = [folder for folder in folders if folder.is_dir()]
    report = ScanReport()
    present: list[str] = []

    def settling(path: Path) -> None:
        report.settling.append(path)
        if on_fresh is not None:
            on_fresh(path)

    for chunk in batched(walk_candidates(present_folders, rules), BATCH_FILES):
        present.extend(chunk)
        new, changed = catalogue.register(chunk, fresh_s, settling if fresh_s > 0 else None)
        report.new.extend(new)
        report.changed.extend(changed)
        report.seen += len(chunk)
        if progress is not None:
            progress(len(chunk))
    report.unchanged = report.seen - len(report.new) - len(report.changed) - len(report.settling)
    report.vanished = catalogue.mark_vanished(present_folders, present)
    return report
