"""Find the audio data chunk of a WAV (RIFF, RIFX, RF64/BW64) or AIFF/AIFC file from its header.

libsndfile trusts the declared size of the data chunk: a file cut short silently loses
frames, and a header never patched after export (size 0) hides all of its audio. Reading a
few hundred bytes of chunk headers (`os.pread`, no full read) gives the declared size and
where the data starts, so `probe` can compare them with the bytes really present, and a
WAV's format chunk, from which `headers` reads the rest of the header.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

HEAD_BYTES = 4096  # one read covers the header of almost every file; later chunks are read alone
MAX_CHUNKS = 256  # a sane file has a handful; stop walking a crafted one
PLACEHOLDER_32 = 0xFFFFFFFF  # "size unknown": streaming writers and RF64


WAV_FORMAT_BYTES = 40  # the longest `fmt ` body read: WAVE_FORMAT_EXTENSIBLE


@dataclass(frozen=True)
class DataChunk:
    """Where the sample data starts and how many bytes the header says it holds."""

    offset_bytes: int
    declared_bytes: int | None  # None: the header holds a placeholder instead of a size
    little_endian: bool
    wav_format: bytes | None = None  # a WAV's `fmt ` chunk body, if it comes before the data
    frame_bytes: int | None = None  # bytes per frame the header gives, when it says


def read_head(fd: int) -> bytes:
    """The first bytes of the file open on `fd`, enough for almost every header."""
    return os.pread(fd, HEAD_BYTES, 0)


def find_data_chunk(fd: int, head: bytes) -> DataChunk | None:
    """The data chunk of the WAV or AIFF file open on `fd` whose `read_head` is `head`, or
    None for other formats."""
    if len(head) < 12:
        return None
    kind, form = head[:4], head[8:12]
    if kind in (b"RIFF", b"RIFX", b"RF64", b"BW64") and form == b"WAVE":
        return _wav_data(fd, head, little_endian=kind != b"RIFX")
    if kind == b"FORM" and form in (b"AIFF", b"AIFC"):
        return _aiff_data(fd, head)
    return None


def _chunks(fd: int, head: bytes, order: str) -> list[tuple[bytes, int, int]]:
    """(id, body offset, declared size) of each chunk up to and including the data chunk."""
    found: list[tuple[bytes, int, int]] = []
    offset = 12
    while len(found) < MAX_CHUNKS:
        raw = _read(fd, head, offset, 8)
        if len(raw) < 8:
            break
        chunk_id, size = raw[:4], struct.unpack(order + "I", raw[4:])[0]
        found.append((chunk_id, offset + 8, size))
        if chunk_id in (b"data", b"SSND") or size == PLACEHOLDER_32:
            break
        offset += 8 + size + (size & 1)  # chunks are padded to an even length
    return found


def _read(fd: int, head: bytes, offset: int, size: int) -> bytes:
    """`size` bytes at `offset`, from the first read when it holds them."""
    if offset + size <= len(head):
        return head[offset : offset + size]
    return os.pread(fd, size, offset)


def _wav_data(fd: int, head: bytes, little_endian: bool) -> DataChunk | None:
    order = "<" if little_endian else ">"
    ds64_data_bytes: int | None = None
    wav_format: bytes | None = None
    for chunk_id, body, size in _chunks(fd, head, order):
        if chunk_id == b"ds64" and size >= 16:
            ds64_data_bytes = struct.unpack("<Q", _read(fd, head, body + 8, 8))[0]
        if chunk_id == b"fmt ":
            wav_format = _read(fd, head, body, min(size, WAV_FORMAT_BYTES))
        if chunk_id == b"data":
            declared: int | None = size
            if size == PLACEHOLDER_32:
                declared = ds64_data_bytes  # RF64 keeps the real size in ds64
            frame_bytes = None
            if wav_format is not None and len(wav_format) >= 14:
                frame_bytes = struct.unpack_from(order + "H", wav_format, 12)[0]  # block align
            return DataChunk(body, declared, little_endian, wav_format, frame_bytes)
    return None


def _aiff_data(fd: int, head: bytes) -> DataChunk | None:
    little_endian, frame_bytes = False, None
    for chunk_id, body, size in _chunks(fd, head, ">"):
        if chunk_id == b"COMM" and size >= 8:
            channels, _frames, bits = struct.unpack(">HIH", _read(fd, head, body, 8))
            frame_bytes = channels * -(-bits // 8)
        if chunk_id == b"COMM" and size >= 22:
            little_endian = _read(fd, head, body + 18, 4) == b"sowt"  # AIFC little-endian PCM
        if chunk_id == b"SSND":
            skip_bytes = struct.unpack(">I", _read(fd, head, body, 4))[0]
            declared = None if size == PLACEHOLDER_32 else max(0, size - 8 - skip_bytes)
            return DataChunk(body + 8 + skip_bytes, declared, little_endian, None, frame_bytes)
    return None
