"""Inputs that used to reach "Something unexpected" get a message saying what is wrong."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ceo_desk.cli import main
from ceo_desk.core.database import open_database
from ceo_desk.errors import StorageError
from tests.pg_server import PostgresServer


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


def test_a_lone_surrogate_in_an_argument_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What Python makes of `show $'C-2026-\xff'` typed in a UTF-8 terminal.
    code, err = _run(capsys, "--db", str(tmp_path / "log.sqlite3"), "show", "C-2026-\udcff")
    assert code == 2
    assert "not text (not UTF-8)" in err
    assert "unexpected" not in err.lower()
    assert not (tmp_path / "log.sqlite3").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("erase-customer", "99999999999999999999", "--yes"),
        ("export-customer", "99999999999999999999", "-o", "out.json"),
        ("list", "--limit", "99999999999999999999"),
        ("demo", "--complaints", "99999999999999999999"),
    ],
)
def test_integers_beyond_64_bits_are_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(tmp_path / "log.sqlite3"), *args])
    assert stop.value.code == 2
    assert "out of range: give a whole number" in capsys.readouterr().err


def test_a_staff_id_beyond_64_bits_is_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(tmp_path / "log.sqlite3"))
    assert (
        main([*db, "log", "--customer", "Ann", "--summary", "x", "--phone", "+442079460001"]) == 0
    )
    capsys.readouterr()
    code, err = _run(capsys, *db, "delegate", "C-2026-0001", "--to", "9" * 20)
    assert code == 2
    assert "too large" in err
    assert "unexpected" not in err.lower()


@pytest.mark.parametrize("revision", ["0000", "0000_nothing", "zzzz"])
def test_an_unknown_older_schema_is_not_called_newer(tmp_path: Path, revision: str) -> None:
    path = tmp_path / "log.sqlite3"
    open_database(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()
    with pytest.raises(StorageError) as refused:
        open_database(str(path))
    assert "newer" not in str(refused.value)
    assert "no version of CEO Desk writes" in str(refused.value)


@pytest.mark.postgres
def test_a_permission_error_on_postgresql_is_not_a_missing_folder(
    postgres: PostgresServer,
) -> None:
    postgres.execute_autocommit("CREATE DATABASE ceo_refusals TEMPLATE ceo_template")
    postgres.create_login("visitor", "visitor-secret")
    url = postgres.url("ceo_refusals", user="visitor", password="visitor-secret")
    with pytest.raises(StorageError) as refused:
        open_database(url)
    message = str(refused.value)
    assert "not allowed" in message
    assert "folder" not in message
