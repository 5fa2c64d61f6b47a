"""Content hash of a file: hex XXH3-128 of its bytes, read in bounded chunks.

Identifies a bounce whatever its name or folder, and keys the on-disk peaks cache. XXH3
is not a cryptographic hash, and need not be: it tells files apart, with 128 bits, at
16 GB/s, where BLAKE2b hashed at 1 GB/s and cost a third of a bounce's analysis. A file
deleted, replaced or resized while it is hashed raises `UnreadableAudio`, so no hash is
ever stored for bytes that no longer exist.
"""

from __future__ import annotations

import os
from pathlib import Path

import xxhash

from phase_tui.audio.errors import UnreadableAudio, reason_for_os_error
from phase_tui.audio.opening import check_unchanged, open_regular_file


def content_hash(path: Path, chunk_bytes: int = 1 << 20) -> str:
    """Hex XXH3-128 digest of the bytes of `path`; raises `UnreadableAudio`."""
    fd, opened = open_regular_file(path)
    try:
        digest = xxhash.xxh3_128()
        buffer = bytearray(min(chunk_bytes, opened.st_size + 1))  # +1: the end in one read
        view = memoryview(buffer)
        while True:
            got = os.readv(fd, [buffer])
            check_unchanged(path, fd, opened)
            if got == 0:
                return digest.hexdigest()
            digest.update(view[:got])
    except OSError as error:
        raise UnreadableAudio(path, reason_for_os_error(error)) from error
    finally:
        os.close(fd)
