"""The one way CEO Desk writes a file a person asked for (a report, an export, a backup copy).

An output never lands on something that is not its own kind of output: the log, the files SQLite
keeps beside it, the managed backups and any existing file of another kind are refused, and an
existing file of the same kind is replaced only when the person said so (`--force`, or yes to the
save dialog's overwrite question). The content goes to a private temporary file beside the
target, is flushed to disk and renamed into place, so a failure never leaves half a file and the
result is readable by its owner only (it holds personal data).
"""

from __future__ import annotations

import contextlib
import enum
import os
import stat
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from ceo_desk import paths
from ceo_desk.core.safety.anchor import ANCHOR_SUFFIX
from ceo_desk.errors import StorageError, ValidationError

SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
_HEAD_BYTES = 8192
_TEXT_CONTROLS_ALLOWED = frozenset(b"\t\n\r\f")


class Kind(enum.Enum):
    """What is being written, and how an existing file of that kind is recognised."""

    PDF = "a PDF document"
    JSON = "a JSON file"
    CSV = "a CSV text file"
    XLSX = "an Excel workbook"
    ICS = "a calendar file"
    TEXT = "a text file"
    SQLITE = "a database backup"
    FILE = "a file"  # an attachment saved back out: any kind but a database


def _is_text(head: bytes) -> bool:
    if head.startswith(SQLITE_HEADER):
        return False
    return not any(byte < 0x20 and byte not in _TEXT_CONTROLS_ALLOWED for byte in head)


def _text_start(head: bytes) -> bytes:
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()


def _is_xlsx(path: Path, head: bytes) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(path) as book:
            return "[Content_Types].xml" in book.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def is_of_kind(path: Path, kind: Kind) -> bool:
    """Whether the existing regular file `path` holds `kind` (an empty file holds nothing)."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if not head:
        return True
    if kind is Kind.PDF:
        return head.startswith(b"%PDF-")
    if kind is Kind.SQLITE:
        return head.startswith(SQLITE_HEADER)
    if kind is Kind.FILE:
        return not head.startswith(SQLITE_HEADER)
    if kind is Kind.XLSX:
        return _is_xlsx(path, head)
    if not _is_text(head):
        return False
    if kind is Kind.JSON:
        return _text_start(head)[:1] in (b"{", b"[")
    if kind is Kind.ICS:
        return _text_start(head).upper().startswith(b"BEGIN:VCALENDAR")
    return True  # CSV and TEXT: any text


def _refuse(target: Path, why: str) -> ValidationError:
    return ValidationError(f"{target} {why} Nothing was written.", field="output")


def _is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


# SQLite's own side files, and the audit anchor CEO Desk keeps beside the log.
_KEPT_BESIDE = (*SQLITE_SIDE_SUFFIXES, ANCHOR_SUFFIX)


def _log_files(log: Path) -> set[Path]:
    log = log.expanduser().resolve()
    return {log, *(log.with_name(log.name + suffix) for suffix in _KEPT_BESIDE)}


def _beside_a_database(target: Path) -> bool:
    """True for a name SQLite gives the files it keeps beside a database (`log-wal`, ...)."""
    for suffix in _KEPT_BESIDE:
        if target.name.endswith(suffix):
            owner = target.with_name(target.name[: -len(suffix)])
            if owner.is_file() and _is_sqlite_file(owner):
                return True
    return False


def check_target(
    target: Path | str, kind: Kind, *, force: bool = False, log: Path | None = None
) -> Path:
    """Where `kind` may be written for `target`, resolved; raises ValidationError otherwise.

    Args:
        force: the person agreed to replace an existing file of the same kind.
        log: the open log, whose files are never a target.
    """
    given = Path(target).expanduser()
    resolved = given.resolve()
    if log is not None and resolved in _log_files(log):
        raise _refuse(
            given, "is the open log (or a file SQLite keeps beside it); choose a file name."
        )
    if _beside_a_database(resolved):
        raise _refuse(given, "is a file SQLite keeps beside a database; choose another name.")
    backups_root = paths.backups_dir().expanduser().resolve()
    if resolved == backups_root or backups_root in resolved.parents:
        raise _refuse(
            given,
            "is in the backups folder, which CEO Desk manages itself; save somewhere else.",
        )
    if resolved.is_dir():
        raise _refuse(given, "is a folder; give a file name.")
    if not resolved.parent.is_dir():
        raise ValidationError(
            f"The folder {resolved.parent} does not exist. Choose an existing folder; nothing "
            "was written.",
            field="output",
        )
    try:
        info = resolved.stat()
    except FileNotFoundError:
        return resolved
    except OSError as exc:
        raise _refuse(given, f"cannot be examined ({exc.strerror or exc}).") from exc
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(given, "is not a regular file (a device, a pipe or a socket).")
    try:
        same_kind = is_of_kind(resolved, kind)
    except OSError as exc:
        raise _refuse(
            given, f"cannot be read to see what it holds ({exc.strerror or exc})."
        ) from exc
    if not same_kind:
        raise _refuse(
            given,
            f"already exists and is not {kind.value}, so it is not replaced. Choose another "
            "file name.",
        )
    if not force:
        raise _refuse(
            given,
            "already exists. Choose another name, or replace it with --force (in the app, "
            "answer yes when asked whether to replace it).",
        )
    return resolved


def _sync_folder(folder: Path) -> None:
    # A rename is durable once the folder itself is flushed; Windows cannot open folders.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_with(
    target: Path | str,
    kind: Kind,
    write: Callable[[Path], object],
    *,
    force: bool = False,
    log: Path | None = None,
) -> Path:
    """Check `target`, let `write` fill a private temporary file beside it, then rename it in.

    Returns the path written (symbolic links resolved, so a link is never replaced).
    """
    path = check_target(target, kind, force=force, log=log)
    fd, temporary_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".partial", dir=path.parent
    )
    os.close(fd)
    temporary = Path(temporary_name)
    try:
        write(temporary)
        os.chmod(temporary, 0o600)
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        _sync_folder(path.parent)
    except OSError as exc:
        raise StorageError(
            f"Could not write {path}: {exc.strerror or exc}. Nothing was written; free some "
            "disk space or choose another folder."
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return path


def write_bytes(
    target: Path | str, kind: Kind, data: bytes, *, force: bool = False, log: Path | None = None
) -> Path:
    """Write `data` as `kind` to `target` by the rules above."""
    return write_with(
        target, kind, lambda temporary: temporary.write_bytes(data), force=force, log=log
    )


def write_text(
    target: Path | str, kind: Kind, text: str, *, force: bool = False, log: Path | None = None
) -> Path:
    """Write `text` (UTF-8, line endings as given) as `kind` to `target`."""
    return write_bytes(target, kind, text.encode("utf-8"), force=force, log=log)
