"""The app's log: unexpected failures are kept with their traceback, never with personal data;
the files rotate and only their owner can read them."""

from __future__ import annotations

import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from ceo_desk import logs
from ceo_desk.cli import main
from ceo_desk.core.services import complaints as svc

NAME = "Beatriz Quintero-Marsh"
PHONE = "+1 202 555 0147"
EMAIL = "bea.quintero@example.org"
SUMMARY = "Boiler left leaking for nine days"
WANTS = "Refund of the call-out fee"


@pytest.fixture(autouse=True)
def _default_log_sizes() -> Iterator[None]:
    yield
    logs.configure(max_bytes=logs.MAX_BYTES, backup_count=logs.BACKUP_COUNT)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_unexpected_failure_is_logged_without_the_customers_details(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_log_call = svc.log_call

    def log_call_then_fail(uow: Any, call: svc.CallInput) -> Any:
        # The real write, then a failure whose chain quotes what was typed: a database error
        # carrying the values it was given, and an error raised while handling it.
        real_log_call(uow, call)
        try:
            uow.session.execute(
                text("INSERT INTO no_such_table VALUES (:name, :phone, :email)"),
                {"name": call.customer_name, "phone": call.phone, "email": call.email},
            )
        except Exception as exc:
            raise RuntimeError(" / ".join([call.customer_name, call.summary])) from exc
        raise AssertionError("the statement should have failed")

    monkeypatch.setattr(svc, "log_call", log_call_then_fail)
    code = main(
        [
            "log",
            "--db",
            str(tmp_path / "log.sqlite3"),
            "--customer",
            NAME,
            "--phone",
            PHONE,
            "--email",
            EMAIL,
            "--summary",
            SUMMARY,
            "--wants",
            WANTS,
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "Something unexpected went wrong" in err and "Traceback" not in err
    assert str(logs.log_path()) in err

    logged = logs.log_path().read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "RuntimeError" in logged and "OperationalError" in logged
    assert "direct cause" in logged
    for personal in (NAME, "Quintero", PHONE, "555 0147", "5550147", EMAIL, SUMMARY, WANTS):
        assert personal not in logged
    assert _mode(logs.log_path()) == 0o600


def _failure(n: int) -> BaseException:
    try:
        raise ValueError(f"failure number {n}")
    except ValueError as exc:
        return exc


def test_the_log_rotates_into_a_few_private_files(tmp_path: Path) -> None:
    logs.configure(max_bytes=2_000, backup_count=2)
    for n in range(60):
        assert logs.record_unexpected(_failure(n)) == logs.log_path()
    files = sorted(logs.log_path().parent.iterdir())
    assert [f.name for f in files] == ["ceo-desk.log", "ceo-desk.log.1", "ceo-desk.log.2"]
    for file in files:
        assert 0 < file.stat().st_size <= 2_000
        assert _mode(file) == 0o600
    kept = "".join(f.read_text(encoding="utf-8") for f in files)
    assert not any(f"failure number {n}" in kept for n in range(60))


def test_the_old_crash_log_is_retired(tmp_path: Path) -> None:
    folder = logs.log_path().parent
    folder.mkdir(parents=True)
    old = folder / "ceo-desk-errors.log"
    old.write_text(f"--- KeyError: '{NAME}'\n", encoding="utf-8")
    logs.record_unexpected(_failure(1))
    assert not old.exists()
    assert NAME not in logs.log_path().read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="owner-only modes are POSIX")
def test_a_log_left_readable_by_others_is_made_private(tmp_path: Path) -> None:
    folder = logs.log_path().parent
    folder.mkdir(parents=True)
    logs.log_path().write_text("", encoding="utf-8")
    logs.log_path().chmod(0o644)
    logs.record_unexpected(_failure(2))
    assert _mode(logs.log_path()) == 0o600
