"""Which filesystem a folder is on: the longest mount point of its real path, from a mount
table text like `/proc/self/mounts`."""

from __future__ import annotations

from pathlib import Path

import pytest

from phase_tui.loop import mounts
from phase_tui.loop.mounts import Mount, mount_of, network_filesystem, parse_mounts

TABLE = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
/dev/nvme0n1p3 /home ext4 rw,relatime 0 0
nas:/export/music /home/jo/nas nfs4 rw,vers=4.2,addr=10.0.0.2 0 0
//nas/bounces /home/jo/nas/smb\\040share cifs rw,vers=3.1.1 0 0
jo@studio:/srv /mnt/studio fuse.sshfs rw,nosuid,nodev,user_id=1000 0 0
drvfs /mnt/c 9p rw,noatime,aname=drvfs 0 0
tmpfs /mnt/studio tmpfs rw 0 0
this line is malformed
"""


def test_the_table_is_parsed_with_escaped_spaces() -> None:
    parsed = parse_mounts(TABLE)
    assert parsed[0] == Mount("/sys", "sysfs")
    assert Mount("/home/jo/nas/smb share", "cifs") in parsed
    assert len(parsed) == 8  # the malformed line names no absolute mount point
    assert parse_mounts("") == []
    assert parse_mounts("one two\n") == []


@pytest.mark.parametrize(
    ("path", "point", "fstype"),
    [
        ("/home/jo/nas/bounces/x.wav", "/home/jo/nas", "nfs4"),
        ("/home/jo/nas", "/home/jo/nas", "nfs4"),
        ("/home/jo/nas2/bounces", "/home", "ext4"),  # a prefix of the name is not a parent
        ("/home/jo/nas/smb share/mix", "/home/jo/nas/smb share", "cifs"),
        ("/home/jo/studio", "/home", "ext4"),
        ("/opt/bounces", "/", "ext4"),
        ("/mnt/c/Users/jo", "/mnt/c", "9p"),
        ("/mnt/studio/x", "/mnt/studio", "tmpfs"),  # mounted on top of the sshfs mount
    ],
)
def test_the_longest_mount_point_holds_the_path(path: str, point: str, fstype: str) -> None:
    assert mount_of(path, parse_mounts(TABLE)) == Mount(point, fstype)


def test_network_filesystems_are_named_and_local_ones_are_none() -> None:
    assert network_filesystem(Path("/home/jo/nas/bounces"), TABLE) == "nfs4"
    assert network_filesystem(Path("/home/jo/nas/smb share"), TABLE) == "cifs"
    assert network_filesystem(Path("/mnt/c/bounces"), TABLE) == "9p"
    assert network_filesystem(Path("/home/jo/studio/bounces"), TABLE) is None
    assert network_filesystem(Path("/mnt/studio"), TABLE) is None  # tmpfs on top
    sshfs = TABLE.replace("tmpfs /mnt/studio tmpfs rw 0 0\n", "")
    assert network_filesystem(Path("/mnt/studio/bounces"), sshfs) == "fuse.sshfs"
    assert network_filesystem(Path("/anything"), "") is None


def test_the_real_path_decides(tmp_path: Path) -> None:
    """A link to a folder on a network drive is on the network drive."""
    (tmp_path / "nas" / "bounces").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "nas", target_is_directory=True)
    table = f"/dev/sda1 / ext4 rw 0 0\nnas:/x {tmp_path / 'nas'} nfs rw 0 0\n"
    assert network_filesystem(tmp_path / "link" / "bounces", table) == "nfs"


def test_the_mount_table_of_this_machine_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = tmp_path / "mounts"
    table.write_text(f"/dev/sda1 / ext4 rw 0 0\nserver:/s {tmp_path} smb3 rw 0 0\n")
    monkeypatch.setattr(mounts, "MOUNTS_FILE", table)
    assert network_filesystem(tmp_path / "bounces") == "smb3"
    monkeypatch.setattr(mounts, "MOUNTS_FILE", tmp_path / "no such table")
    assert network_filesystem(tmp_path / "bounces") is None
