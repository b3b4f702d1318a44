"""The command line's email: a command that queues sends at once; the outbox and templates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ceo_desk.cli import main
from ceo_desk.core.database import open_database
from tests.builders import log, office
from tests.smtp_server import SmtpServer, use_server


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _prepared(path: Path) -> tuple[str, str, int]:
    """A SQLite log with the small office and one complaint: (url, reference, Wei Chen's id)."""
    url = f"sqlite:///{path}"
    db = open_database(url)
    try:
        staff = office(db)
        return url, log(db, "Farah Novák", "Charged twice"), staff.chen
    finally:
        db.close()


def test_delegating_at_the_command_line_sends_the_notice_at_once(
    tmp_path: Path, smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url, ref, chen = _prepared(tmp_path / "log.sqlite3")
    db = open_database(url)
    use_server(db, smtp_server)
    db.close()
    code, _out, err = _run(capsys, "delegate", ref, "--to", str(chen), "--db", url)
    assert code == 0, err
    [mail] = smtp_server.received
    assert mail.recipients == ("wei.chen@example.com",)
    assert mail.subject == f"New complaint for you: {ref} — Charged twice"
    code, out, _ = _run(capsys, "outbox", "list", "--all", "--json", "--db", url)
    assert [(m["state"], m["server_reply"]) for m in json.loads(out)] == [
        ("sent", "250 Message accepted for delivery")
    ]
    # Sending again finds nothing due: the notice is not sent twice.
    assert _run(capsys, "outbox", "send", "--db", url)[0] == 0
    assert len(smtp_server.received) == 1


def test_without_a_mail_server_the_draft_waits_and_is_handed_over_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, ref, chen = _prepared(tmp_path / "log.sqlite3")
    code, _out, err = _run(capsys, "delegate", ref, "--to", str(chen), "--db", url)
    assert code == 0
    assert "no mail server is set up" in err
    code, out, _ = _run(capsys, "outbox", "list", "--json", "--db", url)
    [draft] = json.loads(out)
    assert (draft["state"], draft["to"], draft["reference"]) == (
        "draft",
        "wei.chen@example.com",
        ref,
    )
    code, out, _ = _run(capsys, "outbox", "show", str(draft["id"]), "--db", url)
    assert "mailto:wei.chen@example.com?subject=New%20complaint%20for%20you" in out
    assert _run(capsys, "outbox", "handed", str(draft["id"]), "--db", url)[0] == 0
    code, _out, err = _run(capsys, "outbox", "handed", str(draft["id"]), "--db", url)
    assert code == 2 and "it is not sent again" in err
    code, out, _ = _run(capsys, "show", ref, "--json", "--db", url)
    assert code == 0
    assert "Delegation notice to wei.chen@example.com opened in the mail program" in out


def test_templates_are_listed_edited_and_reset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, ref, chen = _prepared(tmp_path / "log.sqlite3")
    db = ("--db", url)
    code, out, _ = _run(capsys, "templates", "list", "--json", *db)
    assert [t["kind"] for t in json.loads(out)] == [
        "delegation_notice",
        "report_due_tomorrow",
        "report_overdue",
        "escalation",
        "sent_back",
        "final_deadline_near",
        "chase",
        "hand_off_withdrawn",
    ]
    body = tmp_path / "body.txt"
    body.write_text("Dear {delegate},\nplease look at {reference} for {customer}.\n")
    code, _out, err = _run(
        capsys,
        "templates",
        "edit",
        "delegation-notice",
        "--subject",
        "For you: {reference}",
        "--body-file",
        str(body),
        *db,
    )
    assert code == 0, err
    code, _out, err = _run(
        capsys, "templates", "edit", "chase", "--subject", "About {custmer}", *db
    )
    assert code == 2 and "{custmer}" in err
    assert _run(capsys, "delegate", ref, "--to", str(chen), *db)[0] == 0
    code, out, _ = _run(capsys, "outbox", "list", "--json", *db)
    [draft] = json.loads(out)
    assert draft["subject"] == f"For you: {ref}"
    code, out, _ = _run(capsys, "outbox", "show", str(draft["id"]), "--json", *db)
    assert json.loads(out)["body"] == f"Dear Wei Chen,\nplease look at {ref} for Farah Novák."
    assert _run(capsys, "templates", "reset", "delegation-notice", *db)[0] == 0
    code, out, _ = _run(capsys, "templates", "show", "delegation-notice", "--json", *db)
    assert json.loads(out)["edited"] is False
