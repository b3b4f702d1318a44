"""Finding a unit, category or person by the name a person typed, in any script.

SQL's lower() folds only ASCII on SQLite, so 'équipe' would miss 'Équipe' and a duplicate would
reach the UNIQUE constraint instead of a clear refusal. These lists are short; compare in Python.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy import select

from ceo_desk.store.db import UnitOfWork


class Named(Protocol):
    id: Any
    name: Any


N = TypeVar("N", bound=Named)


def name_key(name: str) -> str:
    """The form two names are compared in: case and spacing do not count."""
    return " ".join(name.split()).casefold()


def find_by_name(
    uow: UnitOfWork, model: type[N], name: str, *, exclude_id: int | None = None
) -> N | None:
    """The row named `name` ignoring case and spacing, other than `exclude_id`."""
    wanted = name_key(name)
    for row in uow.session.scalars(select(model)):
        if name_key(row.name) == wanted and row.id != exclude_id:
            return row
    return None
