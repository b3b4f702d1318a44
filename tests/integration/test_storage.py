"""Opening the log: permissions, pragmas, refusing what it must not touch."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from ceo_desk import paths
from ceo_desk.core.database import open_database
from ceo_desk.errors import StorageError


def test_default_database_is_created_private_on_first_run() -> None:
    db = open_database(None)
    db.close()
    path = paths.default_database_path()
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_environment_variable_chooses_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "office.sqlite3"
    monkeypatch.setenv(paths.DATABASE_URL_ENV, f"sqlite:///{target}")
    open_database(None).close()
    assert target.exists()
    assert not paths.default_database_path().exists()


def test_sqlite_connections_are_durable(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "log.sqlite3"))
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() >= 5000
    db.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    open_database(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = _digest(path)
    with pytest.raises(StorageError, match="newer version of CEO Desk"):
        open_database(str(path))
    assert _digest(path) == before


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    with pytest.raises(StorageError, match="not a CEO Desk database"):
        open_database(str(path))


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"this is not a database at all" * 200)
    path.chmod(0o644)
    before = _digest(path)
    with pytest.raises(StorageError, match="not a CEO Desk database"):
        open_database(str(path))
    assert _digest(path) == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_damaged_database_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    open_database(str(path)).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # keep the header, ruin the first page
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="damaged"):
        open_database(str(path))


def test_a_folder_given_as_the_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    folder.chmod(0o755)
    with pytest.raises(StorageError, match="is a folder"):
        open_database(str(folder))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


def test_a_missing_folder_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        open_database(str(tmp_path / "typo" / "log.sqlite3"))
    assert not (tmp_path / "typo").exists()


def test_an_unknown_url_is_explained() -> None:
    with pytest.raises(StorageError, match="not a database CEO Desk can open"):
        open_database("nosuchdriver://x/y")


def test_unreachable_postgresql_is_explained() -> None:
    with pytest.raises(StorageError, match="Cannot connect to the database server"):
        open_database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_revision_file_names_agree_with_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from ceo_desk.store import schema

    config = Config()
    config.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    assert schema.head_revision() == script.get_current_head()
    assert schema.known_revisions() == sorted(r.revision for r in script.walk_revisions())
