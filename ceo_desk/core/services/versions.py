"""Refusing a save made from a stale copy: the row's version counter moved since it was read."""

from __future__ import annotations

from typing import Any

from ceo_desk.errors import ConflictError


def check(row: Any, expected_version: int | None, what: str) -> None:
    """Refuse when `row` was saved by someone else after the caller read version
    `expected_version` (None: the caller read nothing, e.g. a command naming the row)."""
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(
            f"{what} was changed by someone else since you opened it (your copy: version "
            f"{expected_version}; saved: version {row.version}). Reload it and make your change "
            "again; nothing was saved."
        )
