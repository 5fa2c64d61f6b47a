"""The Phase OS bench: `python -m bench` measures the performance targets against references.

One module per measured path (`startup`, `idle`, `memory`, `status`, `phase_latency`), each
with `NAME`, `NOTE` and `run(ctx) -> list[Row]`; `__main__` runs the registry in order,
prints the table and writes `bench/RESULTS.md`. `bare_app` is the reference Textual app.
"""
