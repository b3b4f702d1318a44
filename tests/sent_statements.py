"""The statements a piece of code sends to the database, for tests that read their plans."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from ceo_desk.store.db import Database


@contextmanager
def sent_statements(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent to `db` inside the block, with its parameters, in order."""
    sent: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
