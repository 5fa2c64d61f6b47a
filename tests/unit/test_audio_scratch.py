"""`scratch`: one reusable array per name and thread, grown as needed."""

from __future__ import annotations

import threading

import numpy as np

from phase_tui.audio.scratch import MAX_KEPT_BYTES, scratch


def test_the_same_name_gives_the_same_memory_on_a_thread() -> None:
    first = scratch("test a", 2, 1000)
    again = scratch("test a", 3, 500)  # smaller: the same memory, another shape
    assert first.shape == (2, 1000) and again.shape == (3, 500)
    assert np.shares_memory(first, again) and again.flags.c_contiguous
    assert not np.shares_memory(first, scratch("test b", 2, 1000))


def test_a_bigger_request_grows_the_array() -> None:
    small = scratch("test grow", 10)
    big = scratch("test grow", 10_000)
    assert big.shape == (10_000,) and not np.shares_memory(small, big)
    assert np.shares_memory(big, scratch("test grow", 10))


def test_each_thread_has_its_own_arrays() -> None:
    here = scratch("test thread", 100)
    there: list[np.ndarray] = []
    worker = threading.Thread(target=lambda: there.append(scratch("test thread", 100)))
    worker.start()
    worker.join()
    assert not np.shares_memory(here, there[0])


def test_huge_requests_are_not_kept() -> None:
    columns = MAX_KEPT_BYTES // 8 + 1
    assert not np.shares_memory(scratch("test huge", columns), scratch("test huge", columns))
