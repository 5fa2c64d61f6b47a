"""`[api] in_app = true`: the studio's services serve the local API on a thread of their
own, answered by a real HTTP client, and stop it with the rest."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

from phase_tui.events import Notice
from phase_tui.services import StudioServices
from tests.helpers import make_studio, wait_until


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_services_serve_the_api_when_asked(tmp_path: Path) -> None:
    port = free_port()
    context = make_studio(tmp_path / "studio", f"[api]\nin_app = true\nport = {port}\n")
    context.store.insert("samples", {"name": "kick.wav", "path": "crates/kick.wav"})
    notices: list[object] = []
    services = StudioServices(
        context,
        emit=notices.append,
        on_phase_file=lambda text: None,
        dispatch=lambda cmd, args: None,
        bounce_context=lambda: {},
    )
    services.start()
    try:
        assert services.api is not None
        assert wait_until(lambda: services.api.url is not None, 10)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/samples", timeout=5) as reply:
            page = json.load(reply)
        assert page["total"] == 1 and page["items"][0]["name"] == "kick.wav"
    finally:
        services.stop()
    assert not [n for n in notices if isinstance(n, Notice)]  # no error said
    with socket.socket() as probe:  # nothing listens on the port any more
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
