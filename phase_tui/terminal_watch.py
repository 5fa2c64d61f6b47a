"""Noticing that the app's terminal is gone, so that the app ends instead of spinning.

Closing a terminal window sends SIGHUP, which ends the process. A terminal that goes away
without one (the other end of a pty closed by a crashed multiplexer or a killed parent,
with no controlling terminal to hang up) leaves stdin at end of file for ever, and
Textual's input thread then reads nothing in a loop at a full core. `poll` says so
without reading: the descriptor reports a hang-up or an error.
"""

from __future__ import annotations

import select

GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL


def terminal_gone(fd: int) -> bool:
    """True when the terminal (or pipe) on `fd` was hung up or closed."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return any(events & GONE for _, events in poller.poll(0))
