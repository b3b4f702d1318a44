"""The app's log: Python's logging into a few small rotating files in the data folder.

Unexpected failures are logged with their traceback for whoever looks after the app, and the
person is shown one clear line. The log holds no personal data: its own lines name only kinds of
thing, and an exception is written as its type and the code it passed through, never its message
or notes, which may quote a customer's name, phone number or words (a database error quotes the
values it was given).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import traceback
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from ceo_desk import paths

LOG_NAME = "ceo-desk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3  # files kept besides the current one
# The file that took every traceback before the log rotated; its messages may quote people.
_RETIRED_LOG = "ceo-desk-errors.log"

logger = logging.getLogger("ceo_desk")
_handler: _PrivateRotatingFileHandler | None = None
_limits = (MAX_BYTES, BACKUP_COUNT)
_lock = threading.Lock()


def log_path() -> Path:
    return paths.data_dir() / "logs" / LOG_NAME


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """Rotating files readable by their owner only, from the moment each one is created.

    A record that cannot be written (a full disk, a folder gone) is dropped and noted in
    `failed`, instead of logging's default of printing the traceback to the terminal.
    """

    failed = False

    def handleError(self, record: logging.LogRecord) -> None:
        self.failed = True

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if hasattr(os, "fchmod"):  # a file left by an earlier version may be more open
            os.fchmod(fd, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


class _WithoutMessages(logging.Formatter):
    """Times in UTC; exceptions as their types and frames, their messages withheld."""

    converter = staticmethod(time.gmtime)

    def format(self, record: logging.LogRecord) -> str:
        # logging caches the first handler's rendering of the exception on the record; another
        # handler's would carry the messages, so this one renders its own each time.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None],
    ) -> str:
        return "" if ei[1] is None else redacted_traceback(ei[1]).rstrip("\n")


def redacted_traceback(exc: BaseException) -> str:
    """The traceback of `exc` and the exceptions it came from, with every message withheld."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    joint = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        kind = type(current)
        block = f"Traceback (most recent call last):\n{frames}" if frames else ""
        block += f"{kind.__module__}.{kind.__qualname__} (message withheld)\n"
        parts.append(block + joint)
        if current.__cause__ is not None:
            current = current.__cause__
            joint = "\nThe above exception was the direct cause of the following exception:\n\n"
        elif current.__context__ is not None and not current.__suppress_context__:
            current = current.__context__
            joint = "\nDuring handling of the above exception, another exception occurred:\n\n"
        else:
            current = None
    return "".join(reversed(parts))


def configure(*, max_bytes: int | None = None, backup_count: int | None = None) -> Path:
    """Send the app's log records to the rotating file in the current data folder (again, if the
    data folder changed); sizes not given stay as they were."""
    global _handler, _limits
    with _lock:
        limits = (max_bytes or _limits[0], backup_count if backup_count is not None else _limits[1])
        path = log_path()
        if _handler is not None:
            if _handler.baseFilename == os.path.abspath(path) and limits == _limits:
                return path
            logger.removeHandler(_handler)
            _handler.close()
            _handler = None
        paths.ensure_private_dir(path.parent)
        (path.parent / _RETIRED_LOG).unlink(missing_ok=True)
        handler = _PrivateRotatingFileHandler(
            path, maxBytes=limits[0], backupCount=limits[1], encoding="utf-8"
        )
        handler.setFormatter(_WithoutMessages("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # this file's redaction is the only way out
        _handler, _limits = handler, limits
        return path


def record_unexpected(exc: BaseException) -> Path | None:
    """Log `exc` with its traceback; returns the log's path, or None if it cannot be written."""
    try:
        path = configure()
    except OSError:
        return None
    handler = _handler
    if handler is None:
        return None
    handler.failed = False
    logger.error("Unexpected %s", type(exc).__name__, exc_info=exc)
    return None if handler.failed else path


def user_message(exc: BaseException) -> str:
    where = record_unexpected(exc)
    detail = f" The details were saved to {where}." if where else ""
    return (
        f"Something unexpected went wrong ({type(exc).__name__}: {exc}). Nothing was changed by "
        f"the unfinished action.{detail}"
    )
