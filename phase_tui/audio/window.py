"""A read-only file object over a byte range of an open descriptor, for libsndfile's virtual IO.

libsndfile refuses to read raw samples from a descriptor positioned past a header
("embedding not supported"), so the samples of a WAV/AIFF with an unfinalised header are
handed to it as this window: offset 0 here is the first byte of the data chunk.
"""

from __future__ import annotations

import os


class ByteWindow:
    """Bytes [start_bytes, end_bytes) of the file open on `fd`, read with `preadv`.

    An `OSError` while reading is kept in `error` and reads return 0 bytes, because an
    exception cannot cross libsndfile's C callback; the reader checks `error` after reading.
    """

    def __init__(self, fd: int, start_bytes: int, end_bytes: int) -> None:
        self._fd = fd
        self._start_bytes = start_bytes
        self._length_bytes = max(0, end_bytes - start_bytes)
        self._position_bytes = 0
        self.error: OSError | None = None

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        """Move like `io.RawIOBase.seek`, clamped to the window."""
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position_bytes, os.SEEK_END: self._length_bytes}
        self._position_bytes = min(max(0, base[whence] + offset), self._length_bytes)
        return self._position_bytes

    def tell(self) -> int:
        """The current position, in bytes from the start of the window."""
        return self._position_bytes

    def readinto(self, buffer: memoryview) -> int:
        """Fill `buffer` from the current position; 0 at the end of the window or on error."""
        wanted = min(len(buffer), self._length_bytes - self._position_bytes)
        if wanted <= 0 or self.error is not None:
            return 0
        try:
            got = os.preadv(
                self._fd, [memoryview(buffer)[:wanted]], self._start_bytes + self._position_bytes
            )
        except OSError as error:
            self.error = error
            return 0
        self._position_bytes += got
        return got
