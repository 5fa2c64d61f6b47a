"""The sample library: import rate of a crate, opening a 100,000-sample library, a tag query.

The measures run in child processes of this same module (`python -m bench.oracle_library
JOB STUDIO`, JOB one of `import`, `write`, `open`), each on a studio of its own made with
`phase-os init` under the bench root (`count` in it: how many records `write` makes); each
child prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import BenchContext, Row, median, ratio, run_json_child, run_quiet

NAME = "oracle_library"
OPEN_TARGET_S = 1.0
QUERY_TARGET_MS = 50.0
QUERIES = 20
TAGGED_SHARE = 0.10
TAG_NAMES = (
    "dark", "warm", "punchy", "airy", "dusty", "gritty", "lofi", "vinyl", "tape", "clean",
    "bright", "wide", "mono", "crunchy", "soft", "hard", "deep", "tight", "loose", "swing",
)  # fmt: skip
CRATE_NAMES = ("drums", "vinyl rips", "foley", "synths", "vocals", "breaks", "fx", "keys")
CHILD_TIMEOUT_S = 3600.0
NOTE = (
    "Import: 5,000 files (500 with --quick) of 1-3 s, alternating WAV/FLAC 16-bit 44.1 kHz "
    "mono/stereo, each a different slice of a music-like signal, in one crate folder of a "
    "fresh studio, written just before (page cache warm). A child times `soundfile.info` of "
    "every file (the reference: reading headers alone), then `CrateMiner.run` (listing, "
    "analysis of every file: levels, onsets, features; records stored in batches of 500, "
    "the feature matrix saved once), then a second run with nothing changed. Open: a child "
    "writes a library of 100,000 sample records (20,000 with --quick) with the fields an "
    "import stores, in chunks of 25,000 with `Store.insert_many`, and tags 10% of them (1-3 "
    "of 20 tags each) in the journal kind `sample_tags`; a fresh child then times "
    "`StudioContext.open` + `SampleLibrary.records()` + `TagIndex.counts()` (modules "
    "imported before the clock starts) and then 20 queries `TagIndex.items([tag])` "
    "restricted to samples, one tag each in turn, on the index built by `counts()`: the "
    "median."
)


def run(ctx: BenchContext) -> list[Row]:
    return [*import_rows(ctx), *open_rows(ctx)]


def fresh_studio(ctx: BenchContext, name: str) -> Path:
    path = ctx.root / name
    run_quiet([*ctx.phase_os_cmd(), "init", str(path)], ctx.env)
    return path


def run_child(ctx: BenchContext, job: str, studio: Path) -> dict[str, Any]:
    argv = [sys.executable, "-m", "bench.oracle_library", job, str(studio)]
    return run_json_child(ctx, argv, CHILD_TIMEOUT_S)


# ---------------------------------------------------------------------- import
def import_rows(ctx: BenchContext) -> list[Row]:
    count = ctx.reps(5000, 500)
    studio = fresh_studio(ctx, "oracle-import")
    write_samples(studio / "crates" / "bench", count)
    out = run_child(ctx, "import", studio)
    files = out["files"]
    info_rate, import_rate = files / out["info_s"], files / out["import_s"]
    rescan_rate = files / out["rescan_s"]
    complete = "" if out["imported"] == files else f" [{out['imported']} imported]"
    return [
        Row(
            f"crate import (analysis + features), {files:,} WAV/FLAC of 1-3 s{complete}",
            import_rate,
            "files/s",
            info_rate,
            ratio(import_rate, info_rate),
        ),
        Row(
            f"crate re-scan of the {files:,} unchanged files",
            rescan_rate,
            "files/s",
            import_rate,
            ratio(rescan_rate, import_rate),
        ),
    ]


def write_samples(folder: Path, count: int, seed: int = 11) -> None:
    """`count` different short files of 1-3 s in `folder`."""
    import numpy as np
    import soundfile as sf

    from bench.bounce_files import music_like

    rate_hz = 44100
    rng = np.random.default_rng(seed)
    source = music_like(6.0, rate_hz, seed)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        frames = int(rng.uniform(1.0, 3.0) * rate_hz)
        start = int(rng.integers(0, len(source) - frames))
        channels = 1 + index % 2
        data = rng.uniform(0.2, 1.0) * source[start : start + frames, :channels]
        suffix = ("wav", "flac")[(index // 2) % 2]
        sf.write(folder / f"sample {index:05d}.{suffix}", data, rate_hz, subtype="PCM_16")


# ---------------------------------------------------------------------- open and query
def open_rows(ctx: BenchContext) -> list[Row]:
    studio = fresh_studio(ctx, "oracle-open")
    count = ctx.reps(100_000, 20_000)
    (studio / "count").write_text(str(count))
    run_child(ctx, "write", studio)
    out = run_child(ctx, "open", studio)
    query_ms = out["query_ms"]
    what = f"{out['samples']:,} samples, {out['tagged']:,} tagged"
    return [
        Row(
            f"library open (context, records, tag counts), {what}",
            out["open_s"],
            "s",
            target=f"<= {OPEN_TARGET_S:g} s",
            passed=out["open_s"] <= OPEN_TARGET_S and out["samples"] == count,
        ),
        Row(
            f"query by tag (samples), median of {QUERIES}, {what}",
            query_ms,
            "ms",
            target=f"<= {QUERY_TARGET_MS:g} ms",
            passed=query_ms <= QUERY_TARGET_MS,
        ),
    ]


def sample_record(index: int, rng: Any) -> dict[str, Any]:
    """A record as an import stores it."""
    crate = CRATE_NAMES[index % len(CRATE_NAMES)]
    suffix = ("wav", "flac", "aiff")[index % 3]
    name = f"{crate.split()[0]} {index:06d} {int(rng.integers(70, 180))}bpm.{suffix}"
    return {
        "path": f"crates/{crate}/pack {index // 500:03d}/{name}",
        "name": name,
        "crate": crate,
        "size": int(rng.integers(20_000, 5_000_000)),
        "mtime_ns": 1_700_000_000_000_000_000 + index * 1_000_003,
        "duration_s": round(float(rng.uniform(0.1, 30.0)), 3),
        "sample_rate_hz": 44100,
        "channels": 1 + index % 2,
        "format": suffix.upper(),
        "subtype": "PCM_16",
        "peak_dbfs": round(float(rng.uniform(-12.0, 0.0)), 2),
        "rms_dbfs": round(float(rng.uniform(-40.0, -8.0)), 2),
        "onset_rate_hz": round(float(rng.uniform(0.0, 8.0)), 3),
        "bpm": None,
        "key": None,
        "status": "ok",
        "reason": None,
    }


# ---------------------------------------------------------------------- children
def child_import(studio: Path) -> dict[str, Any]:
    import soundfile as sf

    from phase_tui.context import StudioContext
    from phase_tui.oracle.library import SAMPLES
    from phase_tui.oracle.miner import CrateMiner

    paths = sorted((studio / "crates" / "bench").iterdir())
    started = time.perf_counter()
    for path in paths:
        sf.info(str(path))
    info_s = time.perf_counter() - started
    context = StudioContext.open(studio)
    started = time.perf_counter()
    CrateMiner(context).run()
    import_s = time.perf_counter() - started
    started = time.perf_counter()
    again = CrateMiner(context).run()
    rescan_s = time.perf_counter() - started
    imported = sum(r.get("status") == "ok" for r in context.store.all(SAMPLES))
    return {
        "files": len(paths),
        "info_s": info_s,
        "import_s": import_s,
        "rescan_s": rescan_s,
        "imported": imported if again.unchanged == len(paths) else -1,
    }


def child_write(studio: Path) -> dict[str, Any]:
    import numpy as np

    from phase_tui.context import StudioContext
    from phase_tui.oracle.library import SAMPLES
    from phase_tui.tags import SAMPLE_TAGS

    count = int((studio / "count").read_text())
    rng = np.random.default_rng(5)
    store = StudioContext.open(studio).store
    ids: list[str] = []
    for first in range(0, count, 25_000):
        chunk = [sample_record(i, rng) for i in range(first, min(first + 25_000, count))]
        ids.extend(record["id"] for record in store.insert_many(SAMPLES, chunk))
    tagged = rng.choice(len(ids), int(count * TAGGED_SHARE), replace=False)
    tags = [
        {
            "id": ids[int(i)],
            "tags": list(rng.choice(TAG_NAMES, int(rng.integers(1, 4)), replace=False)),
        }
        for i in tagged
    ]
    store.insert_many(SAMPLE_TAGS, tags)
    return {"written": count}


def child_open(studio: Path) -> dict[str, Any]:
    from phase_tui.context import StudioContext
    from phase_tui.oracle.library import SAMPLES
    from phase_tui.oracle.miner import studio_library
    from phase_tui.tags import TagIndex

    started = time.perf_counter()
    context = StudioContext.open(studio)
    records = studio_library(context).records()
    index = TagIndex(context.store)
    counts = index.counts()
    open_s = time.perf_counter() - started
    times, tagged = [], set()
    for turn in range(QUERIES):
        started = time.perf_counter()
        found = [i for i in index.items([TAG_NAMES[turn % len(TAG_NAMES)]]) if i.kind == SAMPLES]
        times.append((time.perf_counter() - started) * 1000)
        tagged.update(item.id for item in found)
    return {
        "samples": len(records),
        "tagged": len(tagged),
        "tags": len(counts),
        "open_s": open_s,
        "query_ms": median(times),
    }


JOBS = {"import": child_import, "write": child_write, "open": child_open}

if __name__ == "__main__":
    print(json.dumps(JOBS[sys.argv[1]](Path(sys.argv[2]))), flush=True)
