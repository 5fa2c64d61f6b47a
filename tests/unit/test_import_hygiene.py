"""Domain code never imports Textual; heavy libraries wait until after the first paint."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import phase_tui

ROOT = Path(__file__).resolve().parents[2]
UI_MODULES = {
    "phase_tui.app",
    "phase_tui.app_memos",
    "phase_tui.app_navigation",
    "phase_tui.app_screens",
    "phase_tui.__main__",
}


def run_and_list_modules(code: str) -> tuple[str, set[str]]:
    """What a fresh interpreter prints running `code`, and the top-level modules it loaded."""
    probe = code + "\nimport sys\nprint(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    *printed, modules = done.stdout.splitlines()
    return "\n".join(printed), set(modules.split())


def loaded_after(code: str) -> set[str]:
    """Top-level module names loaded by a fresh interpreter after running `code`."""
    return run_and_list_modules(code)[1]


def domain_modules() -> list[str]:
    found = pkgutil.walk_packages(phase_tui.__path__, prefix="phase_tui.")
    return sorted(m.name for m in found if m.name not in UI_MODULES)


def test_domain_modules_never_import_textual() -> None:
    modules = domain_modules()
    assert "phase_tui.store" in modules and "phase_tui.cli" in modules
    loaded = loaded_after("\n".join(f"import {name}" for name in modules))
    assert "textual" not in loaded


def test_the_app_module_defers_heavy_imports() -> None:
    loaded = loaded_after("import phase_tui.app")
    assert "textual" in loaded
    assert not loaded & {
        "numpy",
        "soundfile",
        "watchdog",
        "sounddevice",
        "whisper",
        "faster_whisper",
        "torch",
    }


def test_status_fast_path_imports_neither_click_textual_nor_numpy(tmp_path: Path) -> None:
    studio = tmp_path / "studio"
    subprocess.run(
        [sys.executable, "-m", "phase_tui", "init", str(studio)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-m", "phase_tui", "--studio", str(studio), "status"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )  # the slow path writes a snapshot
    code = (
        f"import sys; sys.argv = ['phase-os', '--studio', {str(studio)!r}, 'status']\n"
        "from phase_tui.entry import main; main()"
    )
    loaded = loaded_after(code)
    assert not loaded & {"click", "textual", "numpy", "tinydb", "rich"}


def test_status_slow_path_imports_neither_textual_nor_numpy(tmp_path: Path) -> None:
    studio = tmp_path / "studio"
    code = (
        "from phase_tui.cli import main\n"
        f"try:\n    main(['--studio', {str(studio)!r}, 'status'])\n"
        "except SystemExit:\n    pass"
    )
    loaded = loaded_after(code)
    assert "click" in loaded and not loaded & {"textual", "numpy"}


def test_services_load_no_audio_libraries_until_there_is_audio() -> None:
    loaded = loaded_after("import phase_tui.services, phase_tui.loop.logger")
    assert not loaded & {"numpy", "soundfile", "scipy", "textual"}


def test_shell_fast_path_reaches_a_running_app_without_click(tmp_path: Path) -> None:
    from phase_tui.control import ControlServer
    from phase_tui.session.studio import init_studio

    studio = init_studio(tmp_path / "studio")
    asked: list[tuple[str, dict[str, object]]] = []

    def dispatch(cmd: str, args: dict[str, object]) -> object:
        asked.append((cmd, args))
        return args.get("name", "oracle")

    server = ControlServer(studio.internal, dispatch)
    server.start()
    try:
        code = (
            f"import sys; sys.argv = ['phase-os', '--studio', {str(studio.root)!r}, "
            "'phase', 'set', 'builder']\nfrom phase_tui.entry import main; main()"
        )
        printed, modules = run_and_list_modules(code)
    finally:
        server.stop()
    assert printed == "phase: builder"
    assert asked == [("phase.set", {"name": "builder"})]
    assert not modules & {"click", "textual", "tinydb", "numpy"}
