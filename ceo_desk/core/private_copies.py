"""Private temporary copies of attachments, for opening them in the system's viewer.

A viewer needs a file on disk. The copies live in one folder only this account can enter (0700),
each readable by its owner only (0600), and the folder is removed when the program exits.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from pathlib import Path

from ceo_desk.core.attachments import clean_name

_lock = threading.Lock()
_folder: Path | None = None


def folder() -> Path:
    """The private folder of this run, made on first use (mkdtemp makes it 0700)."""
    global _folder
    with _lock:
        if _folder is None or not _folder.is_dir():
            _folder = Path(tempfile.mkdtemp(prefix="ceo-desk-attachments-"))
            os.chmod(_folder, 0o700)
            atexit.register(remove_all)
        return _folder


def private_copy(name: str, sha256: str, data: bytes) -> Path:
    """A 0600 copy of an attachment under its own name (in a sub-folder per content, so two
    files of the same name never meet); an existing copy of the same bytes is reused."""
    sub = folder() / sha256[:16]
    sub.mkdir(mode=0o700, exist_ok=True)
    target = sub / clean_name(name)
    if target.is_file() and target.stat().st_size == len(data):
        return target
    fd = os.open(
        target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600
    )
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(target, 0o600)
    return target


def remove_all() -> None:
    """Remove every copy made by this run."""
    global _folder
    with _lock:
        if _folder is not None:
            shutil.rmtree(_folder, ignore_errors=True)
            _folder = None
