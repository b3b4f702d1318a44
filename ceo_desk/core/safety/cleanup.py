"""Finishing an erasure: no copy of the erased values left in the log file, its WAL, or the backups.

Erasing commits new values, but the old ones live on in pages SQLite has not yet overwritten:
the WAL, superseded search-index segments, and every backup in the backups folder. The erase's
own transaction records the customer as pending clean-up; the clean-up merges the search index,
checkpoints the WAL into the file (which needs every other reader gone), erases the customer
in each managed backup and verifies it, and only then clears the note. A crash or a full disk in
between leaves the note, and the next open finishes the work.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ceo_desk import paths
from ceo_desk.errors import CeoDeskError, StorageError
from ceo_desk.store import backup
from ceo_desk.store.db import Actor, Database, UnitOfWork, describe_failure
from ceo_desk.store.models import Customer, Setting

PENDING_KEY = "erasure_cleanup_pending"
WAIT_S = 30.0
OnWait = Callable[[str], None]


class ErasureIncomplete(StorageError):
    """The erasure is saved, but copies of the old values remain until the clean-up finishes."""


# ---------------------------------------------------------------- the pending note


def mark_pending(uow: UnitOfWork, customer_id: int) -> None:
    row = uow.session.get(Setting, PENDING_KEY)
    ids = set(json.loads(row.value_json)) if row is not None else set()
    ids.add(customer_id)
    value = json.dumps(sorted(ids))
    if row is None:
        uow.session.add(Setting(key=PENDING_KEY, value_json=value))
    else:
        row.value_json = value
    uow.session.flush()


def pending(db: Database) -> list[int]:
    with db.reading() as uow:
        value = uow.session.scalar(select(Setting.value_json).where(Setting.key == PENDING_KEY))
    return sorted(int(i) for i in json.loads(value)) if value else []


def _clear_pending(db: Database) -> None:
    with db.transaction() as uow:
        row = uow.session.get(Setting, PENDING_KEY)
        if row is not None:
            uow.session.delete(row)


# ---------------------------------------------------------------- the live file


def _checkpoint(path: Path, timeout: float) -> bool:
    """Fold the WAL into the file and truncate it; False while another program still reads.

    Any other failure (a full disk, a read-only file) raises StorageError saying so.
    """
    try:
        conn = sqlite3.connect(path, timeout=max(timeout, 0.01))
        try:
            busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return False
        raise StorageError(describe_failure(paths.sqlite_url(path), exc)) from exc
    except sqlite3.Error as exc:
        raise StorageError(describe_failure(paths.sqlite_url(path), exc)) from exc
    return int(busy) == 0


def _readers_gone(path: Path, wait_s: float, on_wait: OnWait | None) -> bool:
    first_try = min(0.2, wait_s)
    if _checkpoint(path, first_try):
        return True
    if wait_s <= first_try:
        return False
    if on_wait is not None:
        on_wait(
            f"Another program is reading the log; waiting up to {wait_s:.0f} s for it to "
            "finish so the erased values can be wiped from the file…"
        )
    return _checkpoint(path, wait_s - first_try)


def wait_for_readers(
    db: Database, *, wait_s: float = WAIT_S, on_wait: OnWait | None = None
) -> None:
    """Before an erase commits: refuse while another program holds the log open for reading."""
    path = db.sqlite_path
    if path is None:
        return
    db.engine.dispose()  # our own idle pooled connections must not count as readers
    if not _readers_gone(path, wait_s, on_wait):
        raise StorageError(
            "Another program is reading the log (another CEO Desk window, a backup or a file "
            "viewer). While it reads, copies of the customer's details would stay in the file. "
            "Close it and erase again; nothing was erased."
        )


def _merge_search_index(db: Database) -> None:
    from ceo_desk.store.migrations.ddl import SEARCH_TABLE

    with db.transaction() as uow:
        uow.session.execute(text(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('optimize')"))


def _holds(path: Path, needles: Iterable[bytes]) -> bool:
    wanted = [n for n in needles if n]
    if not wanted:
        return False
    for candidate in (path, *backup.side_files(path)):
        try:
            data = candidate.read_bytes()
        except FileNotFoundError:
            continue
        if any(n in data for n in wanted):
            return True
    return False


# ---------------------------------------------------------------- the managed backups


def _backup_engine(path: Path) -> Engine:
    engine = create_engine(paths.sqlite_url(path))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    return engine


def erase_in_file(path: Path, customer_ids: Iterable[int], actor: Actor) -> None:
    """Erase customers in a backup file, adding nothing to its audit trail."""
    from ceo_desk.core.safety import erase
    from ceo_desk.store.migrations.ddl import SEARCH_TABLE

    engine = _backup_engine(path)
    try:
        with Database(paths.sqlite_url(path), engine, actor).transaction() as uow:
            for customer_id in customer_ids:
                customer = uow.session.get(Customer, customer_id)
                if customer is not None and customer.erased_at is None:
                    erase.erase_customer(uow, customer_id, reason="backup", in_backup=True)
            uow.session.execute(
                text(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('optimize')")
            )
    finally:
        engine.dispose()


def _erase_in_backups(db: Database, customer_ids: list[int], needles: list[bytes]) -> list[str]:
    path = db.sqlite_path
    assert path is not None
    folder = paths.backups_dir(path)
    if not folder.is_dir():
        return []
    with backup.folder_lock(folder):  # no backup is taken or thinned meanwhile
        return _erase_in_listed_backups(folder, db, customer_ids, needles)


def _erase_in_listed_backups(
    folder: Path, db: Database, customer_ids: list[int], needles: list[bytes]
) -> list[str]:
    problems = []
    for item in backup.list_backups(folder):
        try:
            erase_in_file(item.path, customer_ids, db.actor)
        except (SQLAlchemyError, CeoDeskError, OSError) as exc:
            problems.append(f"{item.path.name} could not be changed ({exc})")
            continue
        damage = backup.integrity_problems(item.path)
        if damage:
            problems.append(f"{item.path.name} failed its integrity check ({damage[0]})")
        elif _holds(item.path, needles):
            problems.append(f"{item.path.name} still holds the customer's details")
    return problems


# ---------------------------------------------------------------- the whole clean-up


def finish(
    db: Database,
    *,
    needles: Iterable[str | None] = (),
    wait_s: float = WAIT_S,
    on_wait: OnWait | None = None,
) -> None:
    """Wipe every pending erasure from the file and the backups; clear the note when done.

    Raises ErasureIncomplete (the erasure itself is saved) saying what is left and that the next
    open finishes it.
    """
    ids = pending(db)
    path = db.sqlite_path
    if path is None:
        # PostgreSQL reclaims the old row versions itself (autovacuum); no file of ours holds them.
        if ids:
            _clear_pending(db)
        return
    wanted = [n.encode("utf-8") for n in needles if n]
    try:
        _merge_search_index(db)
        db.engine.dispose()  # idle pooled connections would hold WAL readers open
        if not _readers_gone(path, wait_s, on_wait):
            raise ErasureIncomplete(
                "The customer is erased and saved, but another program is still reading the log, "
                "so old copies of their details remain in the file. Close the other program; "
                "CEO Desk finishes the clean-up the next time it opens the log (or erase again)."
            )
        if _holds(path, wanted):
            raise ErasureIncomplete(
                "The customer is erased and saved, but copies of their details are still in the "
                "file. CEO Desk tries again the next time it opens the log."
            )
        problems = _erase_in_backups(db, ids, wanted) if ids else []
        if problems:
            raise ErasureIncomplete(
                "The customer is erased and saved in the log, but not yet in every backup: "
                + "; ".join(problems)
                + ". CEO Desk tries again the next time it opens the log."
            )
        if ids:
            _clear_pending(db)
            db.engine.dispose()
            _checkpoint(path, 1.0)
    except ErasureIncomplete:
        raise
    except (StorageError, SQLAlchemyError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc.args[0] if exc.args else exc)
        raise ErasureIncomplete(
            "The customer is erased and saved, but the clean-up of old copies of their details "
            f"could not finish: {_first_sentence(reason)}. Free some disk space; CEO Desk "
            "finishes the clean-up the next time it opens the log (or erase again)."
        ) from exc


def _first_sentence(text: str) -> str:
    """A driver's or our own message without its advice, which may not fit after a commit
    ("Nothing was saved")."""
    first = text.split(". ")[0].rstrip(".")
    return first[:1].lower() + first[1:] if first[:2] != first[:2].upper() else first


def _erase_again(db: Database) -> bool:
    """Erase anyone the anchor lists as erased whom the log holds intact (a restore that was
    interrupted before it erased them again). True when someone was."""
    from ceo_desk.core.safety import anchor

    listed = anchor.read_anchor(db.url).erased
    if not listed:
        return False
    from ceo_desk.core.safety import erase  # much of the core: loaded only when someone is listed

    again = False
    with db.transaction() as uow:
        for customer_id in sorted(listed):
            customer = uow.session.get(Customer, customer_id)
            if customer is not None and customer.erased_at is None:
                erase.erase_customer(uow, customer_id, reason="erased again after a restore")
                again = True
    return again


def finish_pending(db: Database) -> list[str]:
    """On opening: erase again whoever the anchor lists as erased, and finish a clean-up a crash
    or a full disk interrupted. Returns warnings."""
    try:
        if not _erase_again(db) and not pending(db):
            return []
        finish(db, wait_s=2.0)
    except CeoDeskError as exc:
        return [str(exc)]
    except SQLAlchemyError as exc:
        return [f"An unfinished erasure clean-up could not run: {exc}"]
    return []
