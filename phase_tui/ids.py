"""Globally unique, time-sortable record ids (ULID: 48-bit milliseconds + 80 random bits).

Sync-safe: two machines never mint the same id, unlike TinyDB's integer document ids.
Monotonic within a process: ids made in the same millisecond still sort in creation order.
"""

from __future__ import annotations

import os
import threading
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_lock = threading.Lock()
_last = (0, 0)


def new_id(at_s: float | None = None) -> str:
    """A 26-character ULID string; ids made later sort after ids made earlier."""
    global _last
    millis = int((time.time() if at_s is None else at_s) * 1000)
    with _lock:
        last_millis, last_random = _last
        if millis <= last_millis:
            millis, random_part = last_millis, last_random + 1
        else:
            random_part = int.from_bytes(os.urandom(10), "big") >> 1  # room to count up
        _last = (millis, random_part)
    value = (millis << 80) | random_part
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))
