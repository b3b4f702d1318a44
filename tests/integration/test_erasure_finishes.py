"""Erasure finishes everywhere: not while another program reads, after a crash, in the backups,
and again after an older backup is restored."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from ceo_desk.core.database import open_database, open_log
from ceo_desk.core.safety import anchor, backups, check, cleanup, erase
from ceo_desk.errors import StorageError, ValidationError
from ceo_desk.store import backup
from ceo_desk.store.db import Database
from ceo_desk.store.models import Customer
from tests.builders import add_staff, log
from tests.integration.test_safety_privacy import EMAIL, PHONE, _customer_with_history

SECRETS = (EMAIL.encode(), PHONE.encode())
REPO = Path(__file__).resolve().parents[2]


def _holds_secrets(path: Path) -> bool:
    data = b"".join(p.read_bytes() for p in (path, *backup.side_files(path)) if p.exists())
    return any(secret in data for secret in SECRETS)


@contextmanager
def _reader(path: Path) -> Iterator[None]:
    """Another program in the middle of reading the log."""
    conn = sqlite3.connect(path)
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM complaint").fetchone()
    try:
        yield
    finally:
        conn.rollback()
        conn.close()


def _erased(db: Database, customer_id: int) -> bool:
    with db.reading() as uow:
        customer = uow.session.get(Customer, customer_id)
        return customer is not None and customer.erased_at is not None


def _setup(db: Database) -> tuple[int, Path]:
    customer_id, _ = _customer_with_history(db, add_staff(db))
    assert db.sqlite_path is not None
    return customer_id, db.sqlite_path


def test_erase_refuses_before_committing_while_another_program_reads(
    sqlite_db: Database,
) -> None:
    customer_id, path = _setup(sqlite_db)
    told: list[str] = []
    with _reader(path), pytest.raises(StorageError, match="nothing was erased"):
        erase.erase_customer_everywhere(sqlite_db, customer_id, wait_s=0.5, on_wait=told.append)
    assert told and "waiting" in told[0]
    assert not _erased(sqlite_db, customer_id)
    erase.erase_customer_everywhere(sqlite_db, customer_id)
    assert _erased(sqlite_db, customer_id) and not _holds_secrets(path)


def test_a_reader_after_the_commit_gets_no_false_success_and_the_next_open_finishes(
    sqlite_db: Database,
) -> None:
    customer_id, path = _setup(sqlite_db)
    with sqlite_db.transaction() as uow:
        erase.erase_customer(uow, customer_id)
    with _reader(path):
        with pytest.raises(cleanup.ErasureIncomplete, match="erased and saved"):
            cleanup.finish(sqlite_db, needles=(EMAIL,), wait_s=0.3)
        assert _holds_secrets(path)
    assert cleanup.pending(sqlite_db) == [customer_id]
    opened = open_log(str(path), daily_backup=False)
    try:
        assert cleanup.pending(opened.db) == []
        assert not _holds_secrets(path)
    finally:
        opened.db.close()


def test_a_crash_between_commit_and_clean_up_is_finished_on_the_next_open(
    sqlite_db: Database,
) -> None:
    customer_id, path = _setup(sqlite_db)
    with sqlite_db.transaction() as uow:  # the erase commits; then the process "dies"
        erase.erase_customer(uow, customer_id)
    assert _holds_secrets(path)  # the check below can fail
    opened = open_log(str(path), daily_backup=False)
    try:
        assert opened.warnings == []
        assert not _holds_secrets(path)
        assert cleanup.pending(opened.db) == []
    finally:
        opened.db.close()


def test_erasing_again_finishes_an_interrupted_clean_up(sqlite_db: Database) -> None:
    customer_id, path = _setup(sqlite_db)
    with sqlite_db.transaction() as uow:
        erase.erase_customer(uow, customer_id)
    with pytest.raises(ValidationError, match="already erased"):
        erase.erase_customer_everywhere(sqlite_db, customer_id)
    assert not _holds_secrets(path)


def test_erasure_reaches_every_managed_backup(sqlite_db: Database) -> None:
    customer_id, _ = _setup(sqlite_db)
    before = backups.backup_now(sqlite_db)
    assert _holds_secrets(before)  # the check below can fail
    erase.erase_customer_everywhere(sqlite_db, customer_id)
    assert not _holds_secrets(before)
    assert backup.integrity_problems(before) == []
    with sqlite3.connect(before) as conn:
        (erased_at,) = conn.execute(
            "SELECT erased_at FROM customer WHERE id = ?", (customer_id,)
        ).fetchone()
    conn.close()
    assert erased_at is not None
    assert check.run_check(sqlite_db).ok  # the backup's chain is still the log's


def test_a_restored_older_backup_gets_the_erasures_made_since(
    sqlite_db: Database, tmp_path: Path
) -> None:
    customer_id, path = _setup(sqlite_db)
    elsewhere = backups.backup_now(sqlite_db, tmp_path / "kept-elsewhere.sqlite3")
    erase.erase_customer_everywhere(sqlite_db, customer_id)
    assert _holds_secrets(elsewhere)  # outside the backups folder: not reached
    recorded = anchor.anchor_path(sqlite_db.url).read_bytes()
    assert anchor.read_anchor(sqlite_db.url).erased == {customer_id}
    assert not any(secret in recorded for secret in SECRETS)
    sqlite_db.close()

    backups.restore(path, elsewhere)
    opened = open_log(str(path), daily_backup=False)
    try:
        assert _erased(opened.db, customer_id)
        assert not _holds_secrets(path)
        assert check.run_check(opened.db).ok, check.run_check(opened.db).as_text()
        with opened.db.reading() as uow:
            assert (
                uow.session.scalar(select(Customer.email).where(Customer.id == customer_id)) is None
            )
    finally:
        opened.db.close()


def test_erasure_on_either_backend_leaves_no_pending_clean_up(db: Database) -> None:
    log(db)
    with db.reading() as uow:
        customer_id = uow.session.scalar(select(Customer.id))
    assert customer_id is not None
    erase.erase_customer_everywhere(db, customer_id)
    assert _erased(db, customer_id)
    assert cleanup.pending(db) == []


def _erase_with_headroom(db_path: Path, customer_id: int, headroom: int) -> tuple[int, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    args = [str(db_path), str(customer_id), str(headroom)]
    result = subprocess.run(
        [sys.executable, "-m", "tests.helpers_safety.erase_disk_full_child", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")
def test_a_nearly_full_disk_never_hides_a_committed_erase(tmp_path: Path) -> None:
    """Whatever the room left, the message matches what was saved; the next open finishes."""
    template = tmp_path / "template.sqlite3"
    db = open_database(str(template))
    customer_id, _ = _customer_with_history(db, add_staff(db))
    for number in range(20):  # a search index with something to merge
        log(db, f"Filler {number}", "Filler", f"+4420794600{number:02d}", details="x" * 3000)
    db.close()
    outcomes = []
    for headroom in (0, 4096, 1 << 20):
        path = tmp_path / f"log-{headroom}.sqlite3"
        shutil.copy(template, path)
        code, err = _erase_with_headroom(path, customer_id, headroom)
        assert "Traceback" not in err
        opened = open_log(str(path), daily_backup=False)
        try:
            erased = _erased(opened.db, customer_id)
            if erased:
                assert "Nothing was saved" not in err and "nothing was erased" not in err
                assert code == 0 or "erased and saved" in err
                assert not _holds_secrets(path)  # the next open finished the clean-up
            else:
                assert code == 2 and "nothing was erased" in err.lower()
        finally:
            opened.db.close()
        outcomes.append((erased, code))
    assert (True, 2) in outcomes and (True, 0) in outcomes  # both paths were exercised


def test_a_restore_interrupted_before_erasing_again_is_finished_on_the_next_open(
    sqlite_db: Database, tmp_path: Path
) -> None:
    customer_id, path = _setup(sqlite_db)
    elsewhere = backups.backup_now(sqlite_db, tmp_path / "kept-elsewhere.sqlite3")
    erase.erase_customer_everywhere(sqlite_db, customer_id)
    sqlite_db.close()
    backup.copy_into(elsewhere, path)  # the restore's copy, then the process dies
    assert _holds_secrets(path)  # the check below can fail
    opened = open_log(str(path), daily_backup=False)
    try:
        assert _erased(opened.db, customer_id)
        assert not _holds_secrets(path)
    finally:
        opened.db.close()
