"""Unexpected failures: the full traceback goes to a log file, the person gets one clear line."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path

from ceo_desk import paths


def log_path() -> Path:
    return paths.data_dir() / "logs" / "ceo-desk-errors.log"


def record_unexpected(exc: BaseException) -> Path | None:
    """Append the traceback to the error log; returns its path, or None if it cannot be written."""
    path = log_path()
    try:
        paths.ensure_private_dir(path.parent)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now(UTC).isoformat()}\n")
            handle.write("".join(traceback.format_exception(exc)))
        path.chmod(0o600)
    except OSError:
        return None
    return path


def user_message(exc: BaseException) -> str:
    where = record_unexpected(exc)
    detail = f" The details were saved to {where}." if where else ""
    return (
        f"Something unexpected went wrong ({type(exc).__name__}: {exc}). Nothing was changed by "
        f"the unfinished action.{detail}"
    )
