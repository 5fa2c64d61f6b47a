"""Which filesystem a folder is on, from `/proc/self/mounts`, and whether it is a network drive.

A network filesystem (NFS, SMB/CIFS, sshfs, 9p...) sends no inotify events for changes made
by other machines (watchdog #504, #409), so the watcher polls folders on one. The folder's
mount is the mount point that is the longest prefix of its real path; when one point is
mounted twice, the later line (the mount on top) wins. Stdlib only; off Linux, or when the
table cannot be read, no folder is on a network drive.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MOUNTS_FILE = Path("/proc/self/mounts")

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "sshfs",
        "fuse.sshfs",
        "9p",  # WSL2 drives, VM shares
        "virtiofs",
        "afs",
        "coda",
        "ncpfs",
        "davfs",
        "fuse.davfs2",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.gvfsd-fuse",  # GNOME's smb://, sftp:// mounts
        "fuse.glusterfs",
        "glusterfs",
        "ceph",
        "fuse.ceph",
        "lustre",
        "vboxsf",
        "fuse.vmhgfs-fuse",
    }
)

_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")  # the kernel writes space as \040, newline \012


@dataclass(frozen=True)
class Mount:
    """One line of the mount table: where, and which filesystem type."""

    point: str
    fstype: str


def parse_mounts(text: str) -> list[Mount]:
    """The mounts of a `/proc/self/mounts` text, in file order (malformed lines skipped)."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[1].startswith("/"):
            mounts.append(Mount(_unescape(fields[1]), fields[2]))
    return mounts


def mount_of(path: str, mounts: list[Mount]) -> Mount | None:
    """The mount holding the absolute `path`: the longest mount point that prefixes it."""
    found: Mount | None = None
    for mount in mounts:
        if _contains(mount.point, path) and (found is None or len(mount.point) >= len(found.point)):
            found = mount
    return found


def network_filesystem(folder: Path, mounts_text: str | None = None) -> str | None:
    """The network filesystem type `folder` is on (e.g. "nfs4"), or None for a local disk.

    `mounts_text` is the mount table (read from `MOUNTS_FILE` when None).
    """
    if mounts_text is None:
        mounts_text = _read_mount_table()
    mount = mount_of(os.path.realpath(folder), parse_mounts(mounts_text))
    if mount is None or mount.fstype.lower() not in NETWORK_FILESYSTEMS:
        return None
    return mount.fstype


def _read_mount_table() -> str:
    try:
        return os.fsdecode(MOUNTS_FILE.read_bytes())
    except OSError as error:  # not Linux, or /proc not mounted
        log.debug("cannot read %s (%s): no folder counts as a network drive", MOUNTS_FILE, error)
        return ""


def _unescape(field: str) -> str:
    return _OCTAL_ESCAPE.sub(lambda match: chr(int(match.group(1), 8)), field)


def _contains(point: str, path: str) -> bool:
    """True when `path` is the mount point `point` or lies below it."""
    if point == "/":
        return path.startswith("/")
    return path == point or path.startswith(point.rstrip("/") + "/")
