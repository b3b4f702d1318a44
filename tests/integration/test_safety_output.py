"""An output option never overwrites what is not its own kind of output, and is private."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from ceo_desk import paths
from ceo_desk.cli import main
from ceo_desk.core.database import open_database
from ceo_desk.core.safety import backups, output
from ceo_desk.store.db import Database
from tests.builders import count_rows, log


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _customer_id(db: Database) -> int:
    path = db.sqlite_path
    assert path is not None
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT min(id) FROM customer").fetchone()[0])
    finally:
        conn.close()


Command = Callable[[str, str, int, Path], list[str]]

# Each writes to the given output; {db} is the log, {ref} a complaint, {cid} its customer.
WRITERS: dict[str, Command] = {
    "report brief": lambda db, ref, cid, out: ["report", "brief", ref, "-o", str(out), "--db", db],
    "report monthly": lambda db, ref, cid, out: ["report", "monthly", "-o", str(out), "--db", db],
    "export-customer": lambda db, ref, cid, out: [
        "export-customer",
        str(cid),
        "-o",
        str(out),
        "--db",
        db,
    ],
    "export-callbacks": lambda db, ref, cid, out: ["export-callbacks", "-o", str(out), "--db", db],
    "backup": lambda db, ref, cid, out: ["backup", "-o", str(out), "--db", db],
}


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_no_output_option_overwrites_the_log_or_its_wal(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    log_path = tmp_path / "log.sqlite3"
    db = open_database(str(log_path))
    ref = log(db, email="ann@example.org")
    cid = _customer_id(db)
    # Another process holds the log open, so its -wal exists while the command runs.
    assert log_path.with_name("log.sqlite3-wal").exists()
    before = count_rows(log_path, "complaint")
    for target in (log_path, log_path.with_name("log.sqlite3-wal")):
        argv = WRITERS[command](str(log_path), ref, cid, target)
        assert main(argv) == 2
        assert main([*argv, "--force"]) == 2
        assert "ceo-desk: " in capsys.readouterr().err
    db.close()
    assert log_path.read_bytes().startswith(b"SQLite format 3\x00")
    assert count_rows(log_path, "complaint") == before


def test_export_to_a_log_named_csv_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_path = tmp_path / "complaints.csv"
    db = open_database(str(log_path))
    log(db)
    db.close()
    digest = _digest(log_path)
    assert main(["export", "-o", str(log_path), "--db", str(log_path)]) == 2
    assert main(["export", "-o", str(log_path), "--db", str(log_path), "--force"]) == 2
    assert "open log" in capsys.readouterr().err
    assert _digest(log_path) == digest


def test_another_database_and_a_link_to_the_log_are_refused(
    sqlite_db: Database, tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite3"
    open_database(str(other)).close()
    digest = _digest(other)
    link = tmp_path / "report.pdf"
    assert sqlite_db.sqlite_path is not None
    link.symlink_to(sqlite_db.sqlite_path)
    ref = log(sqlite_db)
    db_arg = ["--db", str(sqlite_db.sqlite_path)]
    assert main(["report", "brief", ref, "-o", str(other), "--force", *db_arg]) == 2
    assert main(["report", "brief", ref, "-o", str(link), "--force", *db_arg]) == 2
    assert _digest(other) == digest
    assert sqlite_db.sqlite_path.read_bytes().startswith(b"SQLite format 3\x00")


def test_the_managed_backups_folder_is_never_a_target(sqlite_db: Database) -> None:
    made = backups.backup_now(sqlite_db)
    digest = _digest(made)
    ref = log(sqlite_db)
    db_arg = ["--db", str(sqlite_db.sqlite_path)]
    assert main(["report", "brief", ref, "-o", str(made), "--force", *db_arg]) == 2
    assert main(["backup", "-o", str(made), "--force", *db_arg]) == 2
    fresh = made.with_name("mine.pdf")
    assert main(["report", "brief", ref, "-o", str(fresh), *db_arg]) == 2
    assert not fresh.exists()
    assert _digest(made) == digest


@pytest.mark.parametrize(
    ("suffix", "content"),
    [
        (".pdf", b"Meeting notes, not a PDF\n"),
        (".json", b"%PDF-1.4 a real document\n"),
        (".csv", b"PK\x03\x04\x00\x00binary"),
        (".ics", b'{"a": 1}\n'),
        (".xlsx", b"name,phone\nAnn,123\n"),
    ],
)
def test_an_existing_file_of_another_kind_is_never_replaced(
    sqlite_db: Database, tmp_path: Path, suffix: str, content: bytes
) -> None:
    target = tmp_path / f"keep{suffix}"
    target.write_bytes(content)
    ref = log(sqlite_db)
    db_arg = ["--db", str(sqlite_db.sqlite_path)]
    argv = {
        ".pdf": ["report", "brief", ref, "-o", str(target)],
        ".json": ["export-customer", str(_customer_id(sqlite_db)), "-o", str(target)],
        ".csv": ["export", "-o", str(target)],
        ".ics": ["export-callbacks", "-o", str(target)],
        ".xlsx": ["export", "-o", str(target)],
    }[suffix]
    assert main([*argv, "--force", *db_arg]) == 2
    assert target.read_bytes() == content


def test_same_kind_is_replaced_only_with_force_and_outputs_are_private(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = log(sqlite_db, email="ann@example.org")
    db_arg = ["--db", str(sqlite_db.sqlite_path)]
    cid = str(_customer_id(sqlite_db))
    runs = {
        "brief.pdf": ["report", "brief", ref],
        "month.pdf": ["report", "monthly"],
        "customer.json": ["export-customer", cid],
        "all.csv": ["export"],
        "all.xlsx": ["export"],
        "calls.ics": ["export-callbacks"],
        "copy.sqlite3": ["backup"],
    }
    for name, argv in runs.items():
        target = tmp_path / name
        assert main([*argv, "-o", str(target), *db_arg]) == 0, name
        assert _mode(target) == 0o600, name
        first = target.read_bytes()
        capsys.readouterr()
        assert main([*argv, "-o", str(target), *db_arg]) == 2, name
        assert "--force" in capsys.readouterr().err
        assert target.read_bytes() == first
        os.chmod(target, 0o644)
        assert main([*argv, "-o", str(target), "--force", *db_arg]) == 0, name
        assert _mode(target) == 0o600, name
    assert json.loads((tmp_path / "customer.json").read_text())["customer"]["name"]
    assert not list(tmp_path.glob("*.partial")), "no temporary file is left behind"


def test_a_failed_write_leaves_the_existing_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF-1.4 the old report")

    def broken(temporary: Path) -> None:
        temporary.write_bytes(b"%PDF-1.4 half")
        raise OSError(28, "No space left on device")

    with pytest.raises(Exception, match="No space left"):
        output.write_with(target, output.Kind.PDF, broken, force=True)
    assert target.read_bytes() == b"%PDF-1.4 the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_device_or_a_folder_is_not_an_output(tmp_path: Path) -> None:
    for target in (Path(os.devnull), tmp_path, paths.backups_dir() / "x.pdf"):
        with pytest.raises(Exception, match=r"[Nn]othing was written"):
            output.check_target(target, output.Kind.PDF, force=True)


def test_exports_follow_the_output_rules_on_every_backend(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log(db)
    report = tmp_path / "board.pdf"
    report.write_bytes(b"%PDF-1.7 the board pack")
    out = tmp_path / "all.csv"
    db_arg = ["--db", db.url]
    assert main(["export", "-o", str(tmp_path / "board.csv"), *db_arg]) == 0
    assert main(["export", "-o", str(out), *db_arg]) == 0
    assert _mode(out) == 0o600
    assert main(["export", "-o", str(out), *db_arg]) == 2
    assert main(["export", "-o", str(out), "--force", *db_arg]) == 0
    assert main(["export-callbacks", "-o", str(report.with_suffix(".ics")), *db_arg]) == 0
    os.replace(report, tmp_path / "board.ics")
    assert main(["export-callbacks", "-o", str(tmp_path / "board.ics"), "--force", *db_arg]) == 2
    assert (tmp_path / "board.ics").read_bytes() == b"%PDF-1.7 the board pack"
    capsys.readouterr()
