"""A warning for a database kept in a network share or a cloud-sync folder."""

from __future__ import annotations

from pathlib import Path

_SYNC_FOLDER_NAMES = (
    "dropbox",
    "onedrive",
    "google drive",
    "googledrive",
    "my drive",
    "icloud drive",
    "iclouddrive",
    "mobile documents",  # where iCloud Drive lives on macOS
    "com~apple~clouddocs",
    "box sync",
    "nextcloud",
    "owncloud",
    "pcloud",
)
_NETWORK_FILESYSTEMS = frozenset(
    {
        "cifs",
        "smb",
        "smbfs",
        "smb3",
        "nfs",
        "nfs4",
        "afs",
        "9p",
        "ncpfs",
        "davfs",
        "fuse.davfs2",
        "fuse.sshfs",
        "sshfs",
        "fuse.rclone",
        "glusterfs",
        "ceph",
        "fuse.gvfsd-fuse",
    }
)
PROC_MOUNTS = Path("/proc/mounts")


def _mount_fstype(path: Path, mounts_file: Path) -> str | None:
    """The filesystem type of the longest mount point containing `path`."""
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    best: tuple[int, str] | None = None
    target = str(path)
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), parts[2])
    return best[1] if best else None


def shared_location_warning(path: Path, mounts_file: Path = PROC_MOUNTS) -> str | None:
    """A warning when the SQLite file sits where several computers may write it; else None."""
    raw = str(path)
    absolute = Path(raw).expanduser().absolute()
    kind: str | None = None
    if raw.startswith(("\\\\", "//")):
        kind = "a network share"
    else:
        lowered = [part.lower() for part in absolute.parts]
        for name in _SYNC_FOLDER_NAMES:
            if any(part == name or part.startswith(name + " ") for part in lowered):
                kind = "a cloud-sync folder"
                break
        if kind is None:
            fstype = _mount_fstype(absolute, mounts_file)
            if fstype is not None and fstype.lower() in _NETWORK_FILESYSTEMS:
                kind = f"a network share ({fstype})"
    if kind is None:
        return None
    return (
        f"The database {path} is in {kind}. SQLite files there can be damaged when two computers "
        "write at once or the folder syncs mid-write. For a log shared between the assistant's "
        "and the CEO's computers use PostgreSQL (--db postgresql+psycopg://...); for one "
        "computer, keep the file on a local disk."
    )
