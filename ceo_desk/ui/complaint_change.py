"""The work behind every action on a complaint the person is looking at: one service call in its
own unit of work, refused (ConflictError) if someone changed the complaint since it was loaded,
before any rule about its status is applied (see `core.stale`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ceo_desk.core import stale
from ceo_desk.core.database import Database, UnitOfWork
from ceo_desk.core.queries import ComplaintDetail

T = TypeVar("T")


def change_at_loaded_version(
    db: Database,
    loaded: ComplaintDetail,
    action: Callable[[UnitOfWork, str, int], T],
) -> Callable[[], T]:
    """The operation for `run_in_background`: `action(uow, reference, expected_version)`.

    The reference and version are read now, on the GUI thread, so the worker never looks at the
    screen's data; the operation opens its own transaction, which commits when the action returns.
    """
    reference, version = loaded.reference, loaded.version

    def op() -> T:
        with db.transaction() as uow:
            stale.require_unchanged(uow, reference, version)
            return action(uow, reference, version)

    return op
