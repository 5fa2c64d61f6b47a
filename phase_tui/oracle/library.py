"""The sample library: records of kind `samples` (the large library file) and their features.

A record holds `path` (studio-relative inside the studio, else absolute), `name`, `crate`,
`size`, `mtime_ns`, what the analysis measured (`duration_s`, `sample_rate_hz`,
`channels`, `format`, `subtype`, `peak_dbfs`, `rms_dbfs`, `onset_rate_hz`), `bpm` and
`key` read from the name, `status` ("ok", "unreadable", "missing") and `reason`.

`import_sources` is incremental: a file whose size and mtime are unchanged costs a `stat`;
the others are analysed, written in batches of `BATCH_RECORDS` and their feature rows
stored in the feature matrix (`.phase_os/cache/features.npz`), saved once at the end.
Tags of samples are never written here: they live in the small journal, so tagging never
rewrites the library.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from phase_tui.audio.errors import UnreadableAudio
from phase_tui.ids import new_id
from phase_tui.loop.bounce_fields import failure_reason, unchanged
from phase_tui.oracle.crates import Source, SourceFile, list_files
from phase_tui.store import Record, Store

if TYPE_CHECKING:
    import numpy as np

    from phase_tui.oracle.suggest import FeatureMatrix

log = logging.getLogger(__name__)

SAMPLES = "samples"
FEATURES_FILE = "features.npz"
"""The feature matrix, in the studio's cache folder."""

OK, UNREADABLE, MISSING = "ok", "unreadable", "missing"
BATCH_RECORDS = 500
MEASURED = (
    "duration_s",
    "sample_rate_hz",
    "channels",
    "format",
    "subtype",
    "peak_dbfs",
    "rms_dbfs",
    "onset_rate_hz",
)

Progress = Callable[[int, int, str], None]


@dataclass
class ImportReport:
    """What an import found. `unreadable`: (path, reason); `broken`: playlist lines naming
    no file, as (playlist, line, reason); `absent`: sources whose path does not exist."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    broken: list[tuple[str, int, str]] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    cancelled: bool = False

    def summary(self) -> str:
        """One line: `3 new, 1 changed, 40 unchanged, 0 missing, 1 unreadable, ...`."""
        parts = [
            f"{self.new} new",
            f"{self.changed} changed",
            f"{self.unchanged} unchanged",
            f"{self.missing} missing",
            f"{len(self.unreadable)} unreadable",
            f"{len(self.broken)} broken playlist line" + ("" if len(self.broken) == 1 else "s"),
        ]
        if self.absent:
            parts.append(f"{len(self.absent)} source(s) not found")
        return ", ".join(parts) + (" (cancelled)" if self.cancelled else "")


class _Batches:
    """Record inserts and updates, written `BATCH_RECORDS` at a time."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.inserts: list[Record] = []
        self.updates: dict[str, dict[str, Any]] = {}

    def insert(self, record: Record) -> None:
        self.inserts.append(record)
        self._maybe_flush()

    def update(self, record_id: str, fields: dict[str, Any]) -> None:
        self.updates[record_id] = {**self.updates.get(record_id, {}), **fields}
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.inserts) + len(self.updates) >= BATCH_RECORDS:
            self.flush()

    def flush(self) -> None:
        if self.inserts:
            self.store.insert_many(SAMPLES, self.inserts)
        if self.updates:
            self.store.update_many(SAMPLES, self.updates)
        self.inserts, self.updates = [], {}


class SampleLibrary:
    """The sample records of a studio: importing sources, listing and finding samples."""

    def __init__(self, store: Store, studio_root: Path, features_path: Path) -> None:
        """`features_path`: the feature matrix file (`.phase_os/cache/features.npz`)."""
        self.store = store
        self.root = Path(os.path.abspath(studio_root))
        self.features_path = features_path
        self._prefix = os.fspath(self.root).rstrip("/") + "/"
        self._cache: tuple[tuple[Any, ...], list[Record]] | None = None
        self._tags: Any = None  # a TagIndex, made by the first query by tag

    # ----------------------------------------------------------------- importing
    def import_sources(
        self,
        sources: Sequence[Source],
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Import the files of `sources` (see the module docstring). `progress(done, total,
        name)` is called after every file; `cancelled()` is asked before each, and stops the
        import there, keeping what is done (nothing is then marked missing)."""
        listing = list_files(sources)
        report = ImportReport(
            broken=[(self.location(path), line, why) for path, line, why in listing.broken],
            absent=[self.location(source.path) for source in listing.absent],
        )
        known = {record["path"]: record for record in self.store.all(SAMPLES)}
        matrix = self.features()
        featured = set(matrix.ids)
        batches = _Batches(self.store)
        rows: dict[str, np.ndarray] = {}
        dropped: set[str] = set()
        total = len(listing.files)
        for done, file in enumerate(listing.files, start=1):
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            location = self.location(file.path)
            record = known.get(location)
            if record is not None and self._current(record, file, featured):
                report.unchanged += 1
                if record.get("status") == UNREADABLE:
                    report.unreadable.append((location, str(record.get("reason") or "")))
                if record.get("crate") != file.crate:
                    batches.update(record["id"], {"crate": file.crate})
            else:
                record_id = record["id"] if record is not None else new_id()
                fields, row = self._analysed(file)
                fields["path"] = location
                if row is None:
                    dropped.add(record_id)
                    report.unreadable.append((location, str(fields["reason"])))
                else:
                    rows[record_id] = row
                if record is None:
                    report.new += 1
                    batches.insert({"id": record_id, **fields})
                else:
                    report.changed += 1
                    batches.update(record_id, fields)
            if progress is not None:
                progress(done, total, os.path.basename(file.path))
        if not report.cancelled:
            gone = self._gone(known, listing.files, report.absent, sources)
            report.missing = len(gone)
            for record_id in gone:
                batches.update(record_id, {"status": MISSING, "reason": "in no crate any more"})
            dropped.update(gone)
        batches.flush()
        self._save_features(matrix, rows, dropped & featured)
        return report

    def _current(self, record: Record, file: SourceFile, featured: set[str]) -> bool:
        """True when a known file needs no analysis: unchanged, and its features are stored
        (a lost feature cache is refilled)."""
        if not unchanged(record, file.stat):
            return False
        return record.get("status") != OK or record["id"] in featured

    @staticmethod
    def _analysed(file: SourceFile) -> tuple[dict[str, Any], np.ndarray | None]:
        """The fields of one file's record, and its feature row (None when unreadable)."""
        from phase_tui.oracle import features  # numpy: only once there is audio to read

        path = Path(file.path)
        bpm, key = features.name_hints(path.name)
        fields: dict[str, Any] = {
            "name": path.name,
            "crate": file.crate,
            "size": file.stat.st_size,
            "mtime_ns": file.stat.st_mtime_ns,
            "bpm": bpm,
            "key": key,
            **dict.fromkeys(MEASURED),
        }
        try:
            analysis = features.analyse_sample(path)
        except UnreadableAudio as error:
            return {**fields, "status": UNREADABLE, "reason": error.reason}, None
        except Exception as error:  # a library's surprise: this file only, the import goes on
            log.exception("analysing the sample %s failed", path)
            return {**fields, "status": UNREADABLE, "reason": failure_reason(error)}, None
        measured = {name: getattr(analysis, name) for name in MEASURED}
        return {**fields, **measured, "status": OK, "reason": None}, analysis.features

    def _gone(
        self,
        known: dict[str, Record],
        files: list[SourceFile],
        absent: list[str],
        sources: Sequence[Source],
    ) -> list[str]:
        """Ids of records no source lists any more; those of a crate whose source is absent
        (an unmounted drive) are kept as they are."""
        listed = {self.location(file.path) for file in files}
        away = {source.crate for source in sources if self.location(source.path) in absent}
        return [
            record["id"]
            for location, record in known.items()
            if location not in listed
            and record.get("status") != MISSING
            and record.get("crate") not in away
        ]

    def _save_features(
        self, matrix: FeatureMatrix, rows: dict[str, np.ndarray], dropped: set[str]
    ) -> None:
        """Store the new rows and drop those of unreadable or missing samples, in one save."""
        if not rows and not dropped:
            return
        import numpy as np

        if dropped:
            matrix.remove(sorted(dropped))
        if rows:
            matrix.upsert(list(rows), np.stack(list(rows.values())))
        self.features_path.parent.mkdir(parents=True, exist_ok=True)
        matrix.save(self.features_path)

    # ----------------------------------------------------------------- reading
    def location(self, path: str | os.PathLike[str]) -> str:
        """How a file is stored: studio-relative inside the studio, else absolute."""
        text = os.fspath(path)
        return text[len(self._prefix) :] if text.startswith(self._prefix) else text

    def records(self) -> list[Record]:
        """Every sample record, oldest first (re-read only when the library file changed)."""
        revision = self.store.revision(SAMPLES)
        if self._cache is None or self._cache[0] != revision:
            self._cache = (revision, self.store.all(SAMPLES))
        return list(self._cache[1])

    def find(
        self,
        words: str = "",
        *,
        crate: str | None = None,
        tags: Iterable[str] = (),
        min_s: float | None = None,
        max_s: float | None = None,
    ) -> list[Record]:
        """Samples present in a crate (not missing) having every word of `words` in their
        name or crate (case-insensitive), in `crate`, with every tag of `tags`, and lasting
        `min_s` to `max_s` seconds; by name."""
        wanted = words.casefold().split()
        tags = tuple(tags)
        tagged = self._tagged(tags) if tags else None
        crate_name = crate.casefold() if crate is not None else None

        def fits(record: Record) -> bool:
            if record.get("status") == MISSING:
                return False
            if crate_name is not None and str(record.get("crate", "")).casefold() != crate_name:
                return False
            if tagged is not None and record["id"] not in tagged:
                return False
            text = f"{record.get('name', '')} {record.get('crate', '')}".casefold()
            if not all(word in text for word in wanted):
                return False
            return _within(record.get("duration_s"), min_s, max_s)

        found = [record for record in self.records() if fits(record)]
        return sorted(found, key=lambda r: (str(r.get("name", "")).casefold(), r["id"]))

    def _tagged(self, tags: tuple[str, ...]) -> set[str]:
        """Ids of the samples having every tag of `tags`."""
        if self._tags is None:
            from phase_tui.tags import TagIndex

            self._tags = TagIndex(self.store)
        return {item.id for item in self._tags.items(tags) if item.kind == SAMPLES}

    def features(self) -> FeatureMatrix:
        """The feature matrix as saved (empty when there is none, or it is damaged)."""
        from phase_tui.oracle.suggest import FeatureMatrix

        return FeatureMatrix.load(self.features_path)


def _within(duration: Any, min_s: float | None, max_s: float | None) -> bool:
    """True when no bound is given, or `duration` is known and within the bounds."""
    if min_s is None and max_s is None:
        return True
    if not isinstance(duration, int | float):
        return False
    return (min_s is None or duration >= min_s) and (max_s is None or duration <= max_s)
