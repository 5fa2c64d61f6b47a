"""The JSON API (`phase-os serve`): paged sample queries per second, and their p95 latency.

The server runs in a child process of this module (`python -m bench.api STUDIO COUNT`): it
writes COUNT sample records into a fresh studio, serves the API on a free port of
127.0.0.1 and prints its URL. The parent, an aiohttp client, asks once (the first query
reads the library) and then keeps 8 workers asking random pages for a few seconds.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.common import REPO_ROOT, BenchContext, Row, percentile, run_quiet

NAME = "api"
SAMPLES = 10_000
PER_PAGE = 50
WORKERS = 8
NOTE = (
    f"A child process writes {SAMPLES:,} sample records (the fields an import stores) into a "
    "fresh studio and runs `phase_tui.api.server.serve` on 127.0.0.1 (default settings, no "
    "token). The parent, one aiohttp ClientSession with "
    f"{WORKERS} concurrent workers, asks `/api/samples?page=N&per_page={PER_PAGE}` for random "
    "pages N for 5 s (2 s with --quick), each answer checked (200, a full page); the first "
    "query, which reads the library into the API's cache, is timed apart."
)


def run(ctx: BenchContext) -> list[Row]:
    studio = ctx.root / "api-studio"
    run_quiet([*ctx.phase_os_cmd(), "init", str(studio)], ctx.env)
    argv = [sys.executable, "-m", "bench.api", str(studio), str(SAMPLES)]
    child = subprocess.Popen(argv, cwd=REPO_ROOT, env=ctx.env, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"the API child printed {url!r} (exit code {child.poll()})")
        first_ms, latencies, seconds = asyncio.run(load(url, 2.0 if ctx.quick else 5.0))
    finally:
        child.terminate()
        child.wait(timeout=10)
    what = f"{SAMPLES:,} samples, {PER_PAGE} a page, {WORKERS} workers"
    return [
        Row(f"API paged sample queries ({what})", len(latencies) / seconds, "req/s"),
        Row(f"API paged sample query p95 latency ({what})", percentile(latencies, 95), "ms"),
        Row(f"API first query (reads the {SAMPLES:,}-sample library)", first_ms, "ms"),
    ]


async def load(url: str, duration_s: float) -> tuple[float, list[float], float]:
    """(first query ms, every later query's ms, seconds the workers ran)."""
    from aiohttp import ClientSession

    pages = SAMPLES // PER_PAGE
    latencies: list[float] = []

    async with ClientSession() as session:

        async def ask(page: int) -> float:
            started = time.perf_counter()
            async with session.get(f"{url}/samples?page={page}&per_page={PER_PAGE}") as reply:
                body = await reply.json()
            if reply.status != 200 or len(body["items"]) != PER_PAGE:
                raise RuntimeError(f"page {page}: status {reply.status}, {str(body)[:200]}")
            return (time.perf_counter() - started) * 1000

        first_ms = await ask(1)
        deadline = time.perf_counter() + duration_s
        started = time.perf_counter()

        async def worker(seed: int) -> None:
            rng = random.Random(seed)
            while time.perf_counter() < deadline:
                latencies.append(await ask(rng.randint(1, pages)))

        await asyncio.gather(*(worker(seed) for seed in range(WORKERS)))
        return first_ms, latencies, time.perf_counter() - started


def serve_child(studio: Path, count: int) -> None:
    """Write `count` sample records, then serve the API and print its URL."""
    import numpy as np

    from bench.oracle_library import sample_record
    from phase_tui.api.server import serve
    from phase_tui.config.settings import ApiSettings
    from phase_tui.context import StudioContext

    context = StudioContext.open(studio)
    rng = np.random.default_rng(7)
    context.store.insert_many("samples", [sample_record(i, rng) for i in range(count)])

    def ready(url: str) -> None:
        print(url, flush=True)

    asyncio.run(serve(context, ApiSettings(port=0), ready=ready))


if __name__ == "__main__":
    serve_child(Path(sys.argv[1]), int(sys.argv[2]))
