"""The control socket: shell commands reach the running app through `.phase_os/control.sock`.

Protocol: one JSON object per line each way. A request is `{"cmd": "phase.set", "args":
{...}}`; the reply is `{"ok": true, "result": ...}` or `{"ok": false, "error": "..."}`.
The socket file has mode 0600, so only its owner may connect. When the studio path is too
long for a Unix socket address, the socket lives in a private folder under the temp dir,
named by a hash of the studio path, so client and server always agree on it.
"""

from __future__ import annotations

import json
import logging
import os
import socketserver
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from phase_tui.control_client import (
    CommandError,
    app_is_running,
    send,
    served_role,
    socket_path,
)

__all__ = [
    "CommandError",
    "ControlServer",
    "Handler",
    "app_is_running",
    "send",
    "served_role",
    "socket_path",
]

log = logging.getLogger(__name__)


Handler = Callable[[str, dict[str, Any]], Any]


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
