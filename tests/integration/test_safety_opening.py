"""Opening a log never harms a file: a locked log stays put, a newer one stays byte for byte,
and anything that is not a regular database file is refused with the reason."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from ceo_desk.cli import main
from ceo_desk.core import queries
from ceo_desk.core.database import open_database, open_log
from ceo_desk.core.safety import on_open
from ceo_desk.errors import StorageError
from ceo_desk.store import backup
from ceo_desk.store.db import Database
from tests.builders import count_rows, log, unclean_shutdown


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- a locked log is not damaged


def test_a_sound_log_another_program_holds_is_never_moved_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "log.sqlite3"
    db = open_database(str(path))
    ref = log(db)
    db.close()
    marker = unclean_shutdown(path)
    monkeypatch.setattr(backup, "LOCK_WAIT_S", 0.2)  # do not wait the full half-minute here

    holder = sqlite3.connect(path)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("SELECT count(*) FROM complaint").fetchone()
    try:
        with pytest.raises(StorageError, match=r"Another program has the log .* open"):
            open_log(str(path))
    finally:
        holder.rollback()
        holder.close()
    assert path.exists()
    assert not list(tmp_path.glob("*damaged*"))
    assert marker.exists(), "the log is checked again next time"

    opened = open_log(str(path))
    try:
        assert any("checked and is sound" in w for w in opened.warnings)
    finally:
        opened.db.close()
    assert count_rows(path, "complaint") == 1
    assert ref


def test_a_log_opens_and_reads_while_another_process_is_writing(tmp_path: Path) -> None:
    """A long write elsewhere (an import into a shared log, say) holds SQLite's writer's lock
    throughout: opening the log and reading it wait for none of it."""
    path = tmp_path / "log.sqlite3"
    db = open_database(str(path))
    log(db)
    db.close()

    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE complaint SET summary = 'being rewritten'")
    found: list[int] = []

    def open_and_read() -> None:
        opened = open_log(str(path), daily_backup=False)
        try:
            with opened.db.reading() as uow:
                found.append(queries.counters(uow).open)
        finally:
            opened.db.close()

    reader = threading.Thread(target=open_and_read)
    reader.start()
    try:
        reader.join(timeout=10)
        assert not reader.is_alive(), "opening waited for the other process's write"
    finally:
        writer.rollback()
        writer.close()
        reader.join()
    assert found == [1]


def test_the_check_after_an_unclean_shutdown_is_announced_before_it_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "log.sqlite3"
    db = open_database(str(path))
    log(db)
    db.close()
    told: list[str] = []
    opened = open_log(str(path), daily_backup=False, before_check=told.append)
    opened.db.close()
    assert told == [], "a log closed cleanly is opened without the check"

    unclean_shutdown(path)
    assert main(["list", "--db", str(path)]) == 0
    said = capsys.readouterr().err
    assert f"ceo-desk: {on_open.CHECKING_AFTER_UNCLEAN_SHUTDOWN}" in said
    assert said.index("checked before it opens") < said.index("checked and is sound")


# ---------------------------------------------------------------- a newer log is untouched


def test_a_log_from_a_newer_version_is_left_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "newer.sqlite3"
    db = open_database(str(path))
    log(db)
    db.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    os.chmod(path, 0o644)
    digest, mode = _digest(path), stat.S_IMODE(path.stat().st_mode)
    beside = {p.name: _digest(p) for p in tmp_path.iterdir()}
    assert main(["list", "--db", str(path)]) == 2
    assert "newer version" in capsys.readouterr().err
    with pytest.raises(StorageError, match="newer version"):
        open_database(str(path))
    assert _digest(path) == digest
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert {p.name: _digest(p) for p in tmp_path.iterdir()} == beside  # no WAL, nothing new


# ---------------------------------------------------------------- only regular database files


def _refused(target: str, capsys: pytest.CaptureFixture[str], reason: str) -> None:
    assert main(["list", "--db", target]) == 2
    err = capsys.readouterr().err
    assert reason in err, err
    assert "Traceback" not in err


def test_a_file_that_is_not_a_database_is_not_turned_into_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Call the bank on Monday\n")
    digest = _digest(notes)
    _refused(str(notes), capsys, "not an SQLite file")
    assert _digest(notes) == digest
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["notes.txt"]


def test_a_link_that_leads_nowhere_is_refused_and_its_target_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "log.sqlite3"
    link.symlink_to(tmp_path / "real.sqlite3")
    _refused(str(link), capsys, "which does not exist")
    assert not (tmp_path / "real.sqlite3").exists()


def test_a_named_pipe_is_refused_without_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "log.sqlite3"
    os.mkfifo(pipe)
    _refused(str(pipe), capsys, "a named pipe")
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_device_node_is_refused_and_its_mode_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("creating a device node needs privileges this run lacks")
    os.chmod(device, 0o666)
    _refused(str(device), capsys, "a device")
    assert stat.S_IMODE(device.stat().st_mode) == 0o666


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_is_refused(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _refused(url, capsys, "in-memory")


def test_the_import_reads_only_regular_files_and_counts_what_it_reads(
    sqlite_db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ceo_desk.core import fields
    from ceo_desk.core.intake import sheet_import

    db_arg = ["--db", str(sqlite_db.sqlite_path)]
    pipe = tmp_path / "calls.csv"
    os.mkfifo(pipe)
    assert main(["import", str(pipe), *db_arg]) == 2
    assert "a named pipe" in capsys.readouterr().err
    assert main(["import", "/dev/zero", *db_arg]) == 2
    assert "a device" in capsys.readouterr().err
    mapping = tmp_path / "map.toml"
    os.mkfifo(mapping)
    assert main(["import", str(tmp_path / "x.csv"), "--mapping", str(mapping), *db_arg]) == 2
    assert "a named pipe" in capsys.readouterr().err
    # A file whose reported size is 0 but holds more: the bytes are counted as they come.
    procfile = Path("/proc/self/maps")
    if procfile.exists():
        monkeypatch.setattr(fields, "MAX_IMPORT_FILE_BYTES", 100)
        assert procfile.stat().st_size == 0
        with pytest.raises(Exception, match="larger than"), sqlite_db.transaction() as uow:
            sheet_import.import_file(uow, procfile)


def test_restore_onto_something_that_is_not_a_log_changes_nothing(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ceo_desk.core.safety import backups

    made = backups.backup_now(sqlite_db, tmp_path / "copy.sqlite3")
    notes = tmp_path / "notes.txt"
    notes.write_text("Call the bank on Monday\n")
    pipe = tmp_path / "pipe.sqlite3"
    os.mkfifo(pipe)
    for target, reason in ((notes, "not an SQLite file"), (pipe, "a named pipe")):
        assert main(["restore", str(made), "--db", str(target)]) == 2
        assert reason in capsys.readouterr().err
    assert notes.read_text() == "Call the bank on Monday\n"
    assert not list(tmp_path.glob("*damaged*"))
