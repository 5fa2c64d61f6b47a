"""The control socket: shell commands reach the running app through `.phase_os/control.sock`.

Protocol: one JSON object per line each way. A request is `{"cmd": "phase.set", "args":
{...}}`; the reply is `{"ok": true, "result": ...}` or `{"ok": false, "error": "..."}`.
The socket file has mode 0600, so only its owner may connect. When the studio path is too
long for a Unix socket address, the socket lives in a private folder under the temp dir,
named by a hash of the studio path, so client and server always agree on it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import socketserver
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SOCKET_NAME = "control.sock"
MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux, 104 on macOS
CONNECT_TIMEOUT_S = 2.0
REPLY_TIMEOUT_S = 10.0

Handler = Callable[[str, dict[str, Any]], Any]


class CommandError(Exception):
    """A command the app understood but refused; the message goes back to the shell."""


def socket_path(internal_dir: Path) -> Path:
    """Where the control socket of a studio lives."""
    preferred = internal_dir / SOCKET_NAME
    if len(os.fsencode(preferred)) <= MAX_SOCKET_PATH:
        return preferred
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


class _RequestHandler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        line = self.rfile.readline(64 * 1024)
        try:
            request = json.loads(line)
            result = self.server.dispatch(str(request["cmd"]), dict(request.get("args") or {}))
            reply: dict[str, Any] = {"ok": True, "result": result}
        except CommandError as error:
            reply = {"ok": False, "error": str(error)}
        except (ValueError, KeyError, TypeError) as error:
            reply = {"ok": False, "error": f"bad request: {error}"}
        except Exception as error:  # the server thread must survive any handler bug
            log.exception("control command failed")
            reply = {"ok": False, "error": f"internal error: {error}"}
        self.wfile.write(json.dumps(reply).encode() + b"\n")


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def __init__(self, path: Path, dispatch: Handler) -> None:
        self.dispatch = dispatch
        super().__init__(os.fspath(path), _RequestHandler)

    def server_bind(self) -> None:
        super().server_bind()
        os.chmod(self.server_address, 0o600)  # before listen(): nobody else ever connects


class ControlServer:
    """Serves the control socket on a background thread; `dispatch(cmd, args)` answers."""

    def __init__(self, internal_dir: Path, dispatch: Handler) -> None:
        self.path = socket_path(internal_dir)
        self._internal_dir = internal_dir
        self._dispatch = dispatch
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Bind and serve. Raises RuntimeError when another app already serves this studio."""
        if app_is_running(self._internal_dir):
            raise RuntimeError(f"another Phase OS app already serves {self.path}")
        self.path.unlink(missing_ok=True)  # a stale socket from a crashed app
        self._server = _Server(self.path, self._dispatch)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.5},
            name="control-socket",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self.path.unlink(missing_ok=True)
        self._server = None
