"""Studio layout, `init`, and how a studio is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from phase_tui.config import default_config, load_config
from phase_tui.session.studio import STUDIO_FOLDERS, default_studio_path, find_studio, init_studio


def test_init_creates_the_layout_and_a_valid_commented_config(tmp_path: Path) -> None:
    studio = init_studio(tmp_path / "s")
    for name in STUDIO_FOLDERS:
        assert (studio.root / name).is_dir()
    text = studio.config_path.read_text()
    assert text.count("#") > 20
    assert load_config(studio.config_path).phases == default_config().phases
    assert ".phase_os/lock" in (studio.root / ".stignore").read_text()


def test_init_never_overwrites(tmp_path: Path) -> None:
    studio = init_studio(tmp_path / "s")
    studio.config_path.write_text("# mine\n")
    init_studio(studio.root)
    assert studio.config_path.read_text() == "# mine\n"


def test_discovery_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    explicit, from_env, around = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    init_studio(around)
    deep = around / "bounces" / "sub"
    deep.mkdir(parents=True)
    monkeypatch.setenv("PHASE_OS_STUDIO", str(from_env))
    assert find_studio(explicit, cwd=deep).root == explicit.resolve()
    assert (explicit / "phase_os.toml").is_file()  # created on first use
    assert find_studio(None, cwd=deep).root == from_env.resolve()
    monkeypatch.delenv("PHASE_OS_STUDIO")
    assert find_studio(None, cwd=deep).root == around.resolve()
    elsewhere = tmp_path / "nowhere"
    elsewhere.mkdir()
    fallback = find_studio(None, cwd=elsewhere)
    assert fallback.root == default_studio_path().resolve()
    assert str(fallback.root).startswith(str(Path.home()))
    assert fallback.config_path.is_file()


def test_relative_paths_for_display(tmp_path: Path) -> None:
    studio = init_studio(tmp_path / "s")
    assert studio.relative(studio.root / "bounces" / "x.wav") == "bounces/x.wav"
    assert studio.relative(tmp_path / "other.wav") == str(tmp_path / "other.wav")
