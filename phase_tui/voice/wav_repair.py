"""Repairing the WAV a crashed recording left: header sizes patched to the audio on disk.

A recording killed mid-write can leave RIFF and data sizes that lag behind (or run past)
the bytes on disk, and a last frame cut in the middle. `repair_wav` cuts the data to whole
frames and patches the two size fields in place; a file that is already consistent is
not touched at all. Stdlib only.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from phase_tui.audio.errors import UnreadableAudio, reason_for_os_error

HEADER_READ_BYTES = 65536


@dataclass(frozen=True)
class _Layout:
    """Where a WAV's size fields and audio are, and what its header says."""

    riff_size: int
    block_align: int
    data_size_at: int  # offset of the data chunk's size field
    data_size: int

    @property
    def data_start(self) -> int:
        return self.data_size_at + 4


def repair_wav(path: Path) -> int:
    """Make the WAV at `path` readable to its last whole frame; the frames it now holds.

    Raises `UnreadableAudio` when the file has no usable WAV header (no RIFF/WAVE, no
    format chunk, no data chunk) or cannot be opened."""
    try:
        with open(path, "rb") as file:
            head = file.read(HEADER_READ_BYTES)
            length = os.fstat(file.fileno()).st_size
    except OSError as error:
        raise UnreadableAudio(path, reason_for_os_error(error)) from error
    layout = _parse(path, head)
    if _consistent(layout, length):
        return layout.data_size // layout.block_align
    available = max(0, length - layout.data_start)
    data_size = available - available % layout.block_align
    end = layout.data_start + data_size
    with open(path, "r+b") as file:
        file.truncate(end)  # first: the header never claims bytes that are not there
        file.seek(4)
        file.write(struct.pack("<I", end - 8))
        file.seek(layout.data_size_at)
        file.write(struct.pack("<I", data_size))
        file.flush()
        os.fsync(file.fileno())
    return data_size // layout.block_align


def _consistent(layout: _Layout, length: int) -> bool:
    """The header's sizes agree with the file's length and hold whole frames."""
    return (
        layout.riff_size + 8 in (length, length - 1)  # a pad byte may follow
        and layout.data_start + layout.data_size <= length
        and layout.data_size % layout.block_align == 0
    )


def _parse(path: Path, head: bytes) -> _Layout:
    """The size fields and frame size of a WAV header; `UnreadableAudio` when unusable."""
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise UnreadableAudio(path, "not a WAV file (no RIFF/WAVE header)")
    riff_size = struct.unpack_from("<I", head, 4)[0]
    block_align = 0
    offset = 12
    while offset + 8 <= len(head):
        chunk_id, size = head[offset : offset + 4], struct.unpack_from("<I", head, offset + 4)[0]
        if chunk_id == b"fmt " and offset + 8 + 14 <= len(head):
            block_align = struct.unpack_from("<H", head, offset + 8 + 12)[0]
        elif chunk_id == b"data":
            if block_align == 0:
                break
            return _Layout(riff_size, block_align, offset + 4, size)
        offset += 8 + size + size % 2
    raise UnreadableAudio(path, "WAV header without a usable format and data chunk")
