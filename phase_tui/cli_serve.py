"""`phase-os serve`: the read-only JSON API of the studio (`phase_tui.api`), until Ctrl-C.

`--host` and `--port` override `[api] host` and `port` for this run; a host that is not a
loopback address needs `[api] token`, as in the settings file.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import click

from phase_tui.cli_state import State, pass_state
from phase_tui.config.api_checks import token_problem


@click.command()
@click.option("--host", default=None, help="Address to listen on (default: [api] host).")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=None, help="Port (default: [api] port)."
)
@pass_state
def serve(state: State, host: str | None, port: int | None) -> None:
    """Serve the studio's samples, bounces, memos, forms, tags and audio as a JSON API."""
    from phase_tui.api.server import serve as serve_api

    context = state.context()
    settings = context.config.api
    settings = replace(
        settings,
        host=settings.host if host is None else host,
        port=settings.port if port is None else port,
    )
    problem = token_problem(settings)
    if problem is not None:
        raise click.ClickException(problem)

    def ready(url: str) -> None:
        click.echo(f"Serving {url} (Ctrl-C stops)")

    try:
        asyncio.run(serve_api(context, settings, ready=ready))
    except KeyboardInterrupt:
        click.echo("stopped")
    except OSError as error:
        raise click.ClickException(
            f"can not listen on {settings.host}:{settings.port}: {error.strerror or error}"
        ) from error
