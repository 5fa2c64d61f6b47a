"""`phase-os wave` and `phase-os art`: a file's waveform in the terminal, or as a PNG.

Neither needs the app. `wave` works on any audio file, inside a studio or not; `art` uses
the studio for the phase colour, the size from `[art]`, the peaks cache and `art/`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from phase_tui.cli_state import State, pass_state

AUDIO_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command()
@click.argument("file", type=AUDIO_FILE)
@click.option(
    "--width", type=click.IntRange(8, 1000), default=None, help="Columns (default: the terminal's)."
)
@click.option(
    "--height", type=click.IntRange(1, 100), default=8, show_default=True, help="Rows of waveform."
)
@click.option(
    "--style",
    type=click.Choice(["braille", "blocks"]),
    default="braille",
    show_default=True,
    help="Dots (finer) or blocks.",
)
def wave(file: Path, width: int | None, height: int, style: str) -> None:
    """Print FILE's waveform, section map and time ruler."""
    from phase_tui.audio.braille import columns_per_cell, draw_waveform
    from phase_tui.audio.errors import UnreadableAudio
    from phase_tui.audio.overview import load_overview
    from phase_tui.audio.ruler import ruler_text, section_labels
    from phase_tui.formatting import format_clock

    width = width or shutil.get_terminal_size((80, 24)).columns
    try:
        overview = load_overview(file, None)
    except UnreadableAudio as error:
        raise click.ClickException(f"{file}: {error.reason}") from error
    peaks = overview.peaks
    duration_s = peaks.duration_s
    columns = peaks.columns(0.0, duration_s, width * columns_per_cell(style))
    drawn = draw_waveform(columns.minimum, columns.maximum, columns.rms, height, style)
    channels = {1: "mono", 2: "stereo"}.get(peaks.channels, f"{peaks.channels} ch")
    title = (
        f"{file.name} · {format_clock(duration_s)} · {peaks.sample_rate_hz / 1000:g} kHz {channels}"
    )
    click.secho(title, bold=True)
    if peaks.problem:
        click.secho(peaks.problem, fg="yellow")
    click.echo(section_labels(overview.sections, 0.0, duration_s, width, mark="|")[0])
    for row in drawn.rows:
        click.secho(row, fg="cyan")
    click.echo(ruler_text(0.0, duration_s, width))


@click.command()
@click.argument("file", type=AUDIO_FILE)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to save (default: art/).",
)
@click.option(
    "--size",
    metavar="WxH",
    default=None,
    help="Pixels, e.g. 3000x3000 (default: [art] width x height).",
)
@pass_state
def art(state: State, file: Path, out: Path | None, size: str | None) -> None:
    """Draw FILE as PNG art: waveform, section map, title, duration, loudness."""
    from dataclasses import replace

    from phase_tui.audio.errors import UnreadableAudio
    from phase_tui.audio.peaks_cache import PeaksCache
    from phase_tui.loop.bounce_art import file_details, make_art
    from phase_tui.phase.phase_file import read_phase_file

    context = state.context()
    config, studio = context.config, context.studio
    settings = config.art
    if size is not None:
        settings = replace(settings, width=_pixels(size)[0], height=_pixels(size)[1])
    phase = read_phase_file(studio.phase_file) or config.default_phase
    try:
        saved = make_art(
            file.resolve(),
            file_details(file),
            config.phase(phase).colour,
            settings,
            PeaksCache(studio.peaks_dir),
            studio.art_dir,
            out,
        )
    except UnreadableAudio as error:
        raise click.ClickException(f"{file}: {error.reason}") from error
    click.echo(saved)


def _pixels(size: str) -> tuple[int, int]:
    """`1600x900` -> (1600, 900), from 160x90 to 8000x8000, else a usage error naming it."""
    width, _, height = size.lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise click.BadParameter(
            f"expects WIDTHxHEIGHT in pixels, found {size!r}", param_hint="--size"
        )
    pixels = int(width), int(height)
    if not (160 <= pixels[0] <= 8000 and 90 <= pixels[1] <= 8000):
        raise click.BadParameter(
            f"expects 160x90 to 8000x8000 pixels, found {size!r}", param_hint="--size"
        )
    return pixels
