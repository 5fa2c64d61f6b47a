"""`phase-os wave` and `phase-os art`: a file's waveform in the terminal, and as a PNG."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
from click.testing import CliRunner
from PIL import Image

from phase_tui.cli import cli
from phase_tui.session.studio import init_studio

RATE_HZ = 22050


def quiet_then_loud(path: Path) -> Path:
    t = np.arange(20 * RATE_HZ) / RATE_HZ
    level = np.where(t < 10, 0.02, 0.9)
    sf.write(path, level * np.sin(2 * np.pi * 220 * t), RATE_HZ)
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_wave_prints_title_sections_waveform_and_ruler(tmp_path: Path) -> None:
    code, out = run("wave", str(quiet_then_loud(tmp_path / "kick loop.wav")), "--width", "60")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "kick loop.wav · 0:20 · 22.05 kHz mono"
    assert "|intro" in lines[1] and "|drop" in lines[1]
    wave = lines[2:10]
    assert len(wave) == 8 and {len(line) for line in wave} == {60}
    assert set(wave[0][:25]) == {"⠀"} and set(wave[0][35:]) - {"⠀"}  # quiet, then loud
    assert lines[10].startswith("╵0:00") and "╵0:10" in lines[10]


def test_wave_in_blocks_and_a_bad_file(tmp_path: Path) -> None:
    code, out = run(
        "wave",
        str(quiet_then_loud(tmp_path / "a.wav")),
        "--width",
        "30",
        "--height",
        "4",
        "--style",
        "blocks",
    )
    assert code == 0 and "█" in out and "⣿" not in out
    noise = tmp_path / "noise.wav"
    noise.write_bytes(b"RIFF-not really")
    code, out = run("wave", str(noise))
    assert code == 1 and "noise.wav" in out and "Traceback" not in out


def test_art_saves_a_png_in_the_studio(tmp_path: Path) -> None:
    studio = init_studio(tmp_path / "studio").root
    audio = quiet_then_loud(tmp_path / "night drive v3.wav")
    code, out = run("--studio", str(studio), "art", str(audio), "--size", "640x360")
    assert code == 0, out
    saved = Path(out.strip())
    assert saved.parent == studio / "art" and saved.name.startswith("night-drive-v3-")
    with Image.open(saved) as image:
        assert image.size == (640, 360)
    assert list((studio / ".phase_os" / "cache" / "peaks").iterdir())  # peaks kept for next time
    out_file = tmp_path / "cover.png"
    code, _ = run("--studio", str(studio), "art", str(audio), "--out", str(out_file))
    assert code == 0
    with Image.open(out_file) as image:
        assert image.size == (1600, 900)  # [art] width x height


def test_art_refuses_a_bad_size(tmp_path: Path) -> None:
    studio = init_studio(tmp_path / "studio").root
    audio = quiet_then_loud(tmp_path / "a.wav")
    code, out = run("--studio", str(studio), "art", str(audio), "--size", "10x10")
    assert code == 2 and "160x90 to 8000x8000" in out
