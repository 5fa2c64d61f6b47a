"""The client side of the control socket: send one command to the running app.

Standard library only and light (no socketserver), so the `phase-os` fast paths in
`phase_tui.entry` can reach a running app in a few milliseconds. The protocol and the
server are in `phase_tui.control`.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

SOCKET_NAME = "control.sock"
MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux, 104 on macOS
CONNECT_TIMEOUT_S = 2.0
REPLY_TIMEOUT_S = 10.0


class CommandError(Exception):
    """A command the app understood but refused; the message goes back to the shell."""


def socket_path(internal_dir: Path) -> Path:
    """Where the control socket of a studio lives."""
    preferred = internal_dir / SOCKET_NAME
    if len(os.fsencode(preferred)) <= MAX_SOCKET_PATH:
        return preferred
    import hashlib
    import tempfile

    digest = hashlib.sha1(os.fsencode(internal_dir.resolve())).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"phase-os-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / f"{digest}.sock"


def send(internal_dir: Path, cmd: str, **args: Any) -> Any:
    """Send a command to the running app and return its result.

    Raises ConnectionError when no app is listening and CommandError when it refused.
    """
    path = socket_path(internal_dir)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(CONNECT_TIMEOUT_S)
        try:
            client.connect(os.fspath(path))
        except (TimeoutError, FileNotFoundError, ConnectionRefusedError) as error:
            raise ConnectionError(f"no Phase OS app is listening on {path}") from error
        client.settimeout(REPLY_TIMEOUT_S)
        client.sendall(json.dumps({"cmd": cmd, "args": args}).encode() + b"\n")
        reply_line = client.makefile("rb").readline()
    if not reply_line:
        raise ConnectionError("the app closed the connection without a reply")
    reply = json.loads(reply_line)
    if not reply.get("ok"):
        raise CommandError(reply.get("error", "the app refused the command"))
    return reply.get("result")


def app_is_running(internal_dir: Path) -> bool:
    """True when an app answers on the studio's control socket."""
    try:
        send(internal_dir, "ping")
    except (ConnectionError, OSError, CommandError, ValueError):
        return False
    return True


def served_role(internal_dir: Path) -> str | None:
    """What answers on the studio's control socket: "app" or "daemon" (an app from before
    `role` existed counts as an app); None when nothing does."""
    try:
        return str(send(internal_dir, "role"))
    except CommandError:
        return "app"
    except (ConnectionError, OSError, ValueError):
        return None
