"""Restore rebuilds, never adopts: a crafted backup's triggers, missing protections and missing
columns neither survive the restore nor break later writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ceo_desk.cli import main
from ceo_desk.core import queries
from ceo_desk.core.safety import backups
from ceo_desk.errors import StorageError
from ceo_desk.store.db import Database
from tests.builders import log


def _crafted(sqlite_db: Database, tmp_path: Path, *statements: str) -> Path:
    """A real backup of the log, then changed the way someone with the file could."""
    made = backups.backup_now(sqlite_db, tmp_path / "crafted.sqlite3")
    conn = sqlite3.connect(made)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()
    return made


def _schema(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
    finally:
        conn.close()
    return {(str(kind), str(name)) for kind, name in rows}


def _restore_then_check(
    sqlite_db: Database, crafted: Path, capsys: pytest.CaptureFixture[str]
) -> Path:
    path = sqlite_db.sqlite_path
    assert path is not None
    assert main(["restore", str(crafted), "--db", str(path)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    return path


def test_a_trigger_copying_customer_data_does_not_survive_a_restore(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = log(sqlite_db, name="Ann Before")
    crafted = _crafted(
        sqlite_db,
        tmp_path,
        "CREATE TABLE harvest (name TEXT, phone TEXT, email TEXT)",
        "CREATE TRIGGER harvest_customers AFTER INSERT ON customer "
        "BEGIN INSERT INTO harvest VALUES (new.name, new.phone, new.email); END",
        "CREATE VIEW everyone AS SELECT name, phone FROM customer",
    )
    path = _restore_then_check(sqlite_db, crafted, capsys)
    log(sqlite_db, name="Bea After", phone="+442079460077")
    names = {name for _kind, name in _schema(path)}
    assert not {"harvest", "harvest_customers", "everyone"} & names
    with sqlite_db.reading() as uow:
        refs = {r.reference for r in queries.list_complaints(uow, queries.ComplaintFilter())}
    assert kept in refs and len(refs) == 2
    assert main(["check", "--db", str(path)]) == 0, capsys.readouterr().out


def test_removed_audit_protections_are_back_after_a_restore(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log(sqlite_db)
    crafted = _crafted(
        sqlite_db, tmp_path, "DROP TRIGGER event_no_update", "DROP TRIGGER event_no_delete"
    )
    path = _restore_then_check(sqlite_db, crafted, capsys)
    assert {("trigger", "event_no_update"), ("trigger", "event_no_delete")} <= _schema(path)
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            conn.execute("UPDATE event SET os_user = 'someone else'")
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            conn.execute("DELETE FROM event")
    finally:
        conn.close()
    assert main(["check", "--db", str(path)]) == 0, capsys.readouterr().out


def test_a_missing_column_does_not_break_later_writes(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = log(sqlite_db)
    crafted = _crafted(sqlite_db, tmp_path, "ALTER TABLE customer DROP COLUMN organisation")
    path = _restore_then_check(sqlite_db, crafted, capsys)
    later = log(sqlite_db, name="Cid Later", organisation="Acme")
    with sqlite_db.reading() as uow:
        refs = {r.reference for r in queries.list_complaints(uow, queries.ComplaintFilter())}
    assert refs == {kept, later}
    assert main(["check", "--db", str(path)]) == 0, capsys.readouterr().out


def test_a_backup_lacking_a_column_every_row_needs_is_refused(
    sqlite_db: Database, tmp_path: Path
) -> None:
    kept = log(sqlite_db)
    crafted = _crafted(
        sqlite_db,
        tmp_path,
        "DROP INDEX ix_complaint_summary_key",  # SQLite drops no column an index still uses
        "ALTER TABLE complaint DROP COLUMN summary",
    )
    later = log(sqlite_db, summary="Logged after the backup")
    path = sqlite_db.sqlite_path
    assert path is not None
    with pytest.raises(StorageError, match=r"complaint\.summary"):
        backups.restore(path, crafted)
    with sqlite_db.reading() as uow:
        refs = {r.reference for r in queries.list_complaints(uow, queries.ComplaintFilter())}
    assert refs == {kept, later}, "nothing was restored"


def test_a_backup_whose_audit_trail_was_rewritten_is_refused(
    sqlite_db: Database, tmp_path: Path
) -> None:
    log(sqlite_db)
    crafted = _crafted(
        sqlite_db,
        tmp_path,
        "DROP TRIGGER event_no_update",
        "UPDATE event SET os_user = 'someone else'",
    )
    path = sqlite_db.sqlite_path
    assert path is not None
    with pytest.raises(StorageError, match="audit trail"):
        backups.restore(path, crafted)
