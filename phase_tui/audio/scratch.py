"""Scratch arrays reused from one file to the next, one set per thread.

A new array of a megabyte is new memory for the process: its 256 pages fault in one by
one when first written, and once it is freed glibc hands them back to the kernel. The
loudness meter's float64 working arrays, allocated afresh for every file, cost 620 page
faults and 0.8 ms of the 3 ms a short WAV took to analyse; kept per thread, they fault in
once. For arrays used within one call only: the next call on the thread overwrites them.
"""

from __future__ import annotations

import math
import threading

import numpy as np

MAX_KEPT_BYTES = 16 << 20  # bigger requests get a fresh array each time, not kept

_local = threading.local()


def scratch(name: str, *shape: int, dtype: np.dtype | type = np.float64) -> np.ndarray:
    """A contiguous array of `shape` and `dtype`; for a given `name`, the same memory at
    every call on this thread (grown as needed), holding whatever it held last."""
    size = math.prod(shape)
    if size * np.dtype(dtype).itemsize > MAX_KEPT_BYTES:
        return np.empty(shape, dtype)
    kept: dict[str, np.ndarray] = _local.__dict__.setdefault("arrays", {})
    flat = kept.get(name)
    if flat is None or len(flat) < size or flat.dtype != dtype:
        flat = kept[name] = np.empty(size, dtype)
    return flat[:size].reshape(shape)
