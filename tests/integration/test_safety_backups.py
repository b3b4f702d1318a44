"""Backups, restore, `ceo-desk check`, unclean shutdown, file modes and location warnings."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from ceo_desk import paths
from ceo_desk.cli import main
from ceo_desk.core import queries
from ceo_desk.core.database import open_database
from ceo_desk.core.safety import backups, keeping, location, on_open
from ceo_desk.errors import StorageError
from ceo_desk.store import backup
from ceo_desk.store.backup import BackupFile
from ceo_desk.store.db import Database
from tests.builders import add_staff, count_rows, log, resolve, unclean_shutdown


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _references(db: Database) -> list[str]:
    with db.reading() as uow:
        rows = queries.list_complaints(uow, queries.ComplaintFilter(), limit=1000)
    return sorted(r.reference for r in rows)


# ---------------------------------------------------------------- thinning


def _fake(taken: datetime) -> BackupFile:
    return BackupFile(Path(backup.backup_file_name(taken)), taken, 1)


def test_thinning_keeps_7_daily_4_weekly_12_monthly() -> None:
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    # Two backups a day for 500 days.
    items = [_fake(now - timedelta(hours=12 * i)) for i in range(1000)]
    keep, drop = keeping.thinning_plan(items)
    assert len(keep) + len(drop) == 1000
    kept_days = sorted({b.taken_at.date() for b in keep}, reverse=True)
    # The newest of each of the last 7 days.
    assert kept_days[:7] == [(now - timedelta(days=i)).date() for i in range(7)]
    assert len({b.taken_at.date() for b in keep}) == len(keep)  # one per day at most
    months = {(b.taken_at.year, b.taken_at.month) for b in keep}
    assert len(months) == 12
    assert len(keep) <= 7 + 4 + 12
    assert keep[0].taken_at == now  # the newest is always kept
    assert not any(b.taken_at < now - timedelta(days=370) for b in keep)


def test_thin_deletes_only_what_the_policy_drops(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    for i in range(40):
        (folder / backup.backup_file_name(now - timedelta(days=i))).write_bytes(b"x")
    (folder / "notes.txt").write_text("not a backup")
    removed = keeping.thin(folder)
    left = backup.list_backups(folder)
    assert len(left) + len(removed) == 40
    assert len(left) < 40
    assert (folder / "notes.txt").exists()


# ---------------------------------------------------------------- backup


def test_backup_now_is_verified_private_and_complete(sqlite_db: Database) -> None:
    refs = [log(sqlite_db, summary=f"Problem {i}") for i in range(3)]
    made = backups.backup_now(sqlite_db)
    assert made.parent == paths.backups_dir(sqlite_db.sqlite_path)
    assert _mode(made) == 0o600
    assert _mode(made.parent) == 0o700
    assert backup.integrity_problems(made) == []
    assert count_rows(made, "complaint") == 3
    copy = open_database(str(made))
    try:
        assert _references(copy) == sorted(refs)
    finally:
        copy.close()


def test_daily_backup_only_when_the_newest_is_older_than_a_day(sqlite_db: Database) -> None:
    now = datetime.now(UTC)
    first = backups.backup_if_due(sqlite_db, now=now)
    assert first is not None
    assert backups.backup_if_due(sqlite_db, now=now + timedelta(hours=23)) is None
    later = backups.backup_if_due(sqlite_db, now=now + timedelta(hours=25))
    assert later is not None and later != first
    assert len(backup.list_backups(paths.backups_dir(sqlite_db.sqlite_path))) == 2


def test_cli_backup_to_a_chosen_file(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log(sqlite_db)
    missing = tmp_path / "no-such-folder" / "copy.sqlite3"
    code = main(["backup", "-o", str(missing), "--db", str(sqlite_db.sqlite_path)])
    assert code == 2 and "does not exist" in capsys.readouterr().err
    assert not missing.parent.exists()  # a mistyped folder is not created
    target = tmp_path / "copy.sqlite3"
    code = main(["backup", "-o", str(target), "--db", str(sqlite_db.sqlite_path), "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["backup"] == str(target)
    assert count_rows(target, "complaint") == 1
    assert _mode(target) == 0o600


def test_database_and_wal_files_are_owner_only(sqlite_db: Database) -> None:
    log(sqlite_db)
    path = sqlite_db.sqlite_path
    assert path is not None
    on_open.after_open(sqlite_db)
    wal = path.with_name(path.name + "-wal")
    assert _mode(path) == 0o600
    assert wal.exists() and _mode(wal) == 0o600
    for item in backup.list_backups(paths.backups_dir(path)):
        assert _mode(item.path) == 0o600


# ---------------------------------------------------------------- restore


def test_restore_brings_back_the_backup_and_keeps_the_current_state(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sqlite_db.sqlite_path
    assert path is not None
    kept = log(sqlite_db, summary="Before the backup")
    made = backups.backup_now(sqlite_db)
    later = log(sqlite_db, summary="After the backup")  # lives only in the WAL for now
    assert path.with_name(path.name + "-wal").stat().st_size > 0

    code = main(["restore", str(made), "--db", str(path), "--json"])
    assert code == 0, capsys.readouterr().err
    result = json.loads(capsys.readouterr().out)
    previous = Path(result["previous_copy"])
    assert "before-restore" in previous.name

    assert backup.integrity_problems(path) == []
    # The open engine sees the restored content: no stale WAL was replayed over it.
    assert _references(sqlite_db) == [kept]
    reopened = open_database(str(path))
    try:
        assert _references(reopened) == [kept]
    finally:
        reopened.close()
    saved = open_database(str(previous))
    try:
        assert _references(saved) == sorted([kept, later])
    finally:
        saved.close()


def test_restore_refuses_a_damaged_file(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = log(sqlite_db)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    code = main(["restore", str(junk), "--db", str(sqlite_db.sqlite_path)])
    assert code == 2
    assert "nothing was restored" in capsys.readouterr().err
    assert _references(sqlite_db) == [ref]


def test_restore_refuses_a_database_that_is_not_ceo_desk(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = log(sqlite_db)
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    assert main(["restore", str(other), "--db", str(sqlite_db.sqlite_path)]) == 2
    assert "not a CEO Desk database" in capsys.readouterr().err
    assert _references(sqlite_db) == [ref]


def test_restore_refuses_a_newer_schema(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = log(sqlite_db)
    newer = backups.backup_now(sqlite_db, tmp_path / "newer.sqlite3")
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    assert main(["restore", str(newer), "--db", str(sqlite_db.sqlite_path)]) == 2
    assert "newer version" in capsys.readouterr().err
    assert _references(sqlite_db) == [ref]


def test_restore_over_a_damaged_database_moves_it_aside(sqlite_db: Database) -> None:
    path = sqlite_db.sqlite_path
    assert path is not None
    ref = log(sqlite_db)
    made = backups.backup_now(sqlite_db)
    sqlite_db.close()
    backup.checkpoint(path)
    _damage(path)
    result = backups.restore(path, made)
    assert result.moved_aside is not None and result.moved_aside.exists()
    db = open_database(str(path))
    try:
        assert _references(db) == [ref]
    finally:
        db.close()


def _damage(path: Path) -> None:
    """Overwrite the middle of the file, as a failing disk would."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * min(size - 4096, 8192))


# ---------------------------------------------------------------- check


def test_check_reports_a_sound_database(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = add_staff(sqlite_db)
    resolve(sqlite_db, log(sqlite_db), staff)
    assert main(["check", "--db", str(sqlite_db.sqlite_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert report["events_checked"] >= 5
    assert {f["check"] for f in report["findings"]} >= {
        "integrity",
        "foreign_keys",
        "schema",
        "audit_chain",
        "audit_anchor",
        "audit_protection",
        "records_match_trail",
    }
    # Without --json the same check speaks plainly, a sentence per check, no check names.
    assert main(["check", "--db", str(sqlite_db.sqlite_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The log is sound and the audit trail is intact.\n")
    assert f"✓ The audit trail is intact: {report['events_checked']:,} events" in out
    assert "✓ Every record points at records that exist." in out
    assert "foreign_keys" not in out and "What to do" not in out


def test_check_with_a_mistyped_seal_says_to_type_it_as_printed(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    log(sqlite_db)
    assert main(["check", "--db", str(sqlite_db.sqlite_path), "--seal", "nonsense"]) == 2
    out = capsys.readouterr().out
    assert out.startswith("The check found problems; nothing was changed.\n")
    assert "✗ 'nonsense' is not an audit seal" in out
    assert "What to do: type the seal exactly as it is printed" in out
    assert "ceo-desk restore" not in out


def test_check_names_the_first_tampered_event(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = add_staff(db)
    resolve(db, log(db), staff)
    with db.reading() as uow:
        target = uow.session.execute(
            text("SELECT id FROM event WHERE action = 'report_filed'")
        ).scalar_one()
    # Someone with direct access drops the protection and rewrites history.
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER event_no_update")
        else:
            conn.exec_driver_sql("DROP TRIGGER event_immutable ON event")
        conn.execute(
            text("UPDATE event SET description = 'Nothing happened' WHERE id = :id"),
            {"id": target},
        )
    assert main(["check", "--db", db.url, "--json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["first_broken_event_id"] == target
    assert main(["check", "--db", db.url]) == 2
    assert f"broken at event {target}" in capsys.readouterr().out


def test_check_notices_changed_before_after_values(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    log(sqlite_db)
    with sqlite_db.engine.begin() as conn:
        first = conn.execute(text("SELECT min(event_id) FROM event_change")).scalar_one()
        conn.execute(
            text("UPDATE event_change SET after_json = '{}' WHERE event_id = :id"), {"id": first}
        )
    assert main(["check", "--db", str(sqlite_db.sqlite_path), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["first_broken_event_id"] == first


def test_check_reports_broken_references(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    log(sqlite_db)
    path = sqlite_db.sqlite_path
    assert path is not None
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE complaint SET customer_id = 999")
    conn.commit()
    conn.close()
    assert main(["check", "--db", str(path)]) == 2
    out = capsys.readouterr().out
    assert "The check found problems" in out and "complaint" in out
    assert "✗ 1 row(s) point at rows that do not exist" in out
    assert "ceo-desk restore FILE" in out


def test_check_reports_a_damaged_file_without_a_traceback(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(40):
        log(sqlite_db, summary=f"Item {i} " + "x" * 400)
    path = sqlite_db.sqlite_path
    assert path is not None
    sqlite_db.close()
    backup.checkpoint(path)
    _damage(path)
    assert main(["check", "--db", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["ok"] is False
    assert report["findings"][0]["check"] == "integrity"
    assert "Traceback" not in captured.err
    assert main(["check", "--db", str(path)]) == 2
    out = capsys.readouterr().out
    assert "✗ The file is damaged" in out
    assert "What to do: restore the newest backup that passes this check" in out


# ---------------------------------------------------------------- unclean shutdown


def test_clean_close_leaves_no_marker_and_an_unclean_one_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    url = paths.sqlite_url(path)
    assert on_open.prepare_open(url).unclean_shutdown is False
    db = open_database(str(path))
    on_open.after_open(db)
    assert on_open.marker_path(path).exists()
    on_open.on_close(db)
    db.close()
    assert on_open.prepare_open(url).unclean_shutdown is False

    # A process that died without closing leaves its marker behind.
    dead = unclean_shutdown(path)
    check = on_open.prepare_open(url)
    assert check.unclean_shutdown and check.integrity_checked
    assert "checked and is sound" in check.warnings[0]
    assert not dead.exists()


def test_a_damaged_database_after_a_crash_is_moved_aside_and_a_backup_offered(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.sqlite3"
    db = open_database(str(path))
    for i in range(40):
        log(db, summary=f"Item {i} " + "y" * 400)
    on_open.after_open(db)  # takes the first daily backup
    db.close()
    backup.checkpoint(path)
    _damage(path)
    unclean_shutdown(path)
    with pytest.raises(on_open.DatabaseMovedAside) as caught:
        on_open.prepare_open(paths.sqlite_url(path))
    moved = caught.value.moved_to
    assert moved.exists() and not path.exists()  # renamed, never deleted
    offered = caught.value.offered_backup
    assert offered is not None and backup.integrity_problems(offered) == []
    assert "restore" in caught.value.message
    backups.restore(path, offered)
    restored = open_database(str(path))
    try:
        assert len(_references(restored)) == 40
    finally:
        restored.close()


# ---------------------------------------------------------------- location


@pytest.mark.parametrize(
    "where",
    [
        "/home/ann/Dropbox/office/log.sqlite3",
        "/Users/ann/Library/Mobile Documents/com~apple~CloudDocs/log.sqlite3",
        "/home/ann/OneDrive - Acme/log.sqlite3",
        "/home/ann/Google Drive/log.sqlite3",
        "//fileserver/share/log.sqlite3",
    ],
)
def test_cloud_and_network_folders_get_a_warning(where: str, tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/sda1 / ext4 rw 0 0\n")
    warning = location.shared_location_warning(Path(where), mounts)
    assert warning is not None and "PostgreSQL" in warning


def test_a_network_mount_from_proc_mounts_gets_a_warning(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n//nas/office /mnt/office cifs rw 0 0\n"
        "nas:/export /srv/nfs nfs4 rw 0 0\n"
    )
    assert location.shared_location_warning(Path("/mnt/office/log.sqlite3"), mounts)
    assert location.shared_location_warning(Path("/srv/nfs/a/log.sqlite3"), mounts)
    assert location.shared_location_warning(Path("/home/ann/log.sqlite3"), mounts) is None
    assert location.shared_location_warning(Path("/mnt/officer/log.sqlite3"), mounts) is None


def test_open_warns_about_a_sync_folder(tmp_path: Path) -> None:
    path = tmp_path / "Dropbox" / "log.sqlite3"
    check = on_open.prepare_open(paths.sqlite_url(path))
    assert any("cloud-sync folder" in w for w in check.warnings)


def test_backup_of_postgres_is_refused_with_advice(db: Database) -> None:
    if db.sqlite_path is not None:
        pytest.skip("only PostgreSQL refuses file backups")
    with pytest.raises(StorageError, match="pg_dump"):
        backups.backup_now(db)


def test_each_log_keeps_and_is_offered_only_its_own_backups(tmp_path: Path) -> None:
    first = open_database(str(tmp_path / "office.sqlite3"))
    second = open_database(str(tmp_path / "demo.sqlite3"))
    try:
        log(first)
        theirs = backups.backup_now(second)
        mine = backups.backup_if_due(first)  # the other log's fresh backup does not count
        assert mine is not None and mine.parent != theirs.parent
        assert mine.exists() and theirs.exists()
        assert first.sqlite_path is not None and second.sqlite_path is not None
        assert backups.newest_verified_backup(first.sqlite_path) == mine
        assert backups.newest_verified_backup(second.sqlite_path) == theirs
    finally:
        first.close()
        second.close()
