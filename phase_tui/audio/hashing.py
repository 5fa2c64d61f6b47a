"""Content hash of a file: hex BLAKE2b (16-byte digest) of its bytes, read in bounded chunks.

Identifies a bounce whatever its name or folder, and keys the on-disk peaks cache.
Stdlib only. A file deleted, replaced or resized while it is hashed raises
`UnreadableAudio`, so no hash is ever stored for bytes that no longer exist.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from phase_tui.audio.errors import UnreadableAudio, reason_for_os_error
from phase_tui.audio.opening import check_unchanged, open_regular_file

DIGEST_BYTES = 16


def content_hash(path: Path, chunk_bytes: int = 1 << 20) -> str:
    """Hex BLAKE2b digest of the bytes of `path`; raises `UnreadableAudio`."""
    fd, opened = open_regular_file(path)
    try:
        digest = hashlib.blake2b(digest_size=DIGEST_BYTES)
        buffer = bytearray(chunk_bytes)
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
