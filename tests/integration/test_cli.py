"""The command line through its real entry point, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ceo_desk.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_whole_loop_from_the_command_line(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", database_url)
    staff = run_json(
        capsys,
        "staff",
        "add",
        "--name",
        "Jordan Ortiz",
        "--unit",
        "Northwind",
        "--unit-kind",
        "partner",
        "--email",
        "jo@example.com",
        *db,
    )
    assert staff["unit_kind"] == "partner"
    logged = run_json(
        capsys,
        "log",
        "--customer",
        "Ольга Смирнова",
        "--summary",
        "Charged twice",
        "--phone",
        "+44 20 7946 0018",
        "--severity",
        "high",
        "--category",
        "billing",
        "--ceo-spoke",
        "--promised",
        "Refund by Friday",
        "--promise-due",
        "2026-03-13",
        "--prior-contacts",
        "3",
        "--caused-by",
        "Northwind",
        "--received",
        "2026-03-09T09:15",
        *db,
    )
    ref = logged["reference"]
    assert logged["status"] == "new"
    delegated = run_json(capsys, "delegate", ref, "--to", "ortiz", "--note", "Call her today", *db)
    assert delegated["status"] == "delegated"
    report = run_json(
        capsys,
        "file-report",
        ref,
        "--said",
        "Our policy says no",
        "--done",
        "Refunded anyway",
        "--cost",
        "40",
        *db,
    )
    assert report["flagged_terms"] == ["policy"]
    run_json(capsys, "send-back", ref, "--comment", "Drop the policy talk", *db)
    run_json(capsys, "file-report", ref, "--said", "Apologised", "--done", "Refunded", *db)
    miss = run_json(capsys, "callback", ref, "--outcome", "no-answer", *db)
    assert miss["status"] == "awaiting_callback"
    done = run_json(
        capsys,
        "callback",
        ref,
        "--outcome",
        "satisfied",
        "--score",
        "5",
        "--loyalty",
        "staying",
        "--words",
        "Thank you",
        *db,
    )
    assert done["status"] == "resolved"
    shown = run_json(capsys, "show", ref, *db)
    assert isinstance(shown, dict)
    assert shown["status"] == "resolved" and shown["reopen_count"] == 1
    assert len(shown["delegations"]) == 2 and len(shown["reports"]) == 2
    # The promise made on the call is an event of its own.
    assert len(shown["callbacks"]) == 2 and len(shown["events"]) == 8
    assert [p["what"] for p in shown["promises"]] == ["Refund by Friday"]
    assert shown["customer_name"] == "Ольга Смирнова"
    listed = run_json(capsys, "list", "--status", "resolved", *db)
    assert [row["reference"] for row in listed] == [ref]
    code, out, _ = run(capsys, "show", ref, *db)
    assert code == 0 and "Refund by Friday" in out and "History" in out
    code, _, err = run(capsys, "reopen", ref, "--reason", " ", *db)
    assert code == 2 and "Reason is required" in err
    reopened = run_json(capsys, "reopen", ref, "--reason", "The refund bounced", *db)
    assert (reopened["status"], reopened["staff"]) == ("delegated", "Jordan Ortiz")
    shown = run_json(capsys, "show", ref, *db)
    assert shown["reopen_count"] == 2 and shown["events"][-1]["action"] == "reopened"
    code, out, _ = run(capsys, "show", ref, *db)
    (line,) = [line for line in out.splitlines() if "Reopened and delegated to" in line]
    assert line.endswith(": The refund bounced"), "show says why it was reopened"
    code, _, err = run(capsys, "reopen", ref, "--reason", "again", *db)
    assert code == 2 and "Only a resolved complaint can be reopened" in err


def test_errors_go_to_stderr_with_status_2_and_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(tmp_path / "log.sqlite3"))
    code, out, err = run(capsys, "log", "--customer", "Ann", "--summary", "x", *db)
    assert code == 2 and out == ""
    assert "phone number or an email" in err
    code, _, err = run(
        capsys,
        "log",
        "--customer",
        "Ann",
        "--summary",
        "x",
        "--phone",
        "1",
        "--severity",
        "urgent",
        *db,
    )
    assert code == 2 and "Severity 'urgent' is not one of" in err
    code, _, err = run(capsys, "delegate", "C-2026-0001", "--to", "nobody", *db)
    assert code == 2 and "no staff member 'nobody'" in err
    assert run_json(capsys, "list", *db) == []


def test_wrong_outcome_spelling_is_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "callback", "C-2026-0001", "--outcome", "happy", "--db", str(tmp_path / "x.sqlite3")
    )
    assert code == 2
    assert "satisfied, not-satisfied, no-answer, voicemail" in err


def test_overdue_and_due_today_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ("--db", str(tmp_path / "log.sqlite3"))
    run_json(capsys, "staff", "add", "--name", "Jo", "--unit", "Billing", *db)
    ref = run_json(
        capsys,
        "log",
        "--customer",
        "Ann",
        "--summary",
        "Late one",
        "--email",
        "ann@example.com",
        *db,
    )["reference"]
    run_json(capsys, "delegate", ref, "--to", "Jo", *db)
    assert run_json(capsys, "list", "--overdue", *db) == []
    assert run_json(capsys, "list", "--due-today", *db) == []


def test_demo_fills_an_empty_log_and_refuses_a_used_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(tmp_path / "demo.sqlite3"))
    summary = run_json(capsys, "demo", "--complaints", "300", "--months", "6", "--seed", "7", *db)
    assert summary["complaints"] == 300
    statuses = {row["status"] for row in run_json(capsys, "list", "--limit", "1000", *db)}
    assert {"new", "resolved", "delegated", "awaiting_callback", "withdrawn"} <= statuses
    code, _, err = run(capsys, "demo", "--complaints", "10", *db)
    assert code == 2 and "empty log" in err


def test_the_installed_command_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ceo_desk", "list", "--json", "--db", str(tmp_path / "x.sqlite3")],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "CEO_DESK_DATA_DIR": str(tmp_path / "d"),
            "CEO_DESK_CONFIG_DIR": str(tmp_path / "c"),
            "HOME": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
