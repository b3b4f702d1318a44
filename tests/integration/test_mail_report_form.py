"""The delegation notice carries the delegate's report form, so a delegate who never opens the
app can fill it in and send it back; a notice for a hand-off since replaced carries none."""

from __future__ import annotations

from datetime import timedelta

from ceo_desk.core import report_form_reader
from ceo_desk.core.mail import sender
from ceo_desk.reports import mail_files
from ceo_desk.store.db import Database
from tests.builders import MONDAY, delegate, log, office
from tests.smtp_server import SmtpServer, use_server


def _send(db: Database) -> int:
    later = MONDAY + timedelta(seconds=1)
    return sender.send_pending(db, now=later, attach=mail_files.report_forms(db)).sent


def _forms(mail: object) -> list[tuple[str, bytes]]:
    message = mail.message  # type: ignore[attr-defined]
    return [
        (part.get_filename(), part.get_content())
        for part in message.iter_attachments()
        if part.get_content_type() == "application/pdf"
    ]


def test_the_delegation_notice_carries_the_report_form_for_that_complaint(
    db: Database, smtp_server: SmtpServer
) -> None:
    use_server(db, smtp_server)
    staff = office(db)
    ref = log(db, "Farah Novák", "Charged twice for March")
    delegate(db, ref, staff.ortiz, MONDAY)

    assert _send(db) == 1
    [mail] = smtp_server.received
    [(name, data)] = _forms(mail)
    assert name == f"Report form {ref}.pdf"
    assert report_form_reader.read_form(data).reference == ref
    assert mail.body.startswith("Hello Jamie,")


def test_a_notice_for_a_hand_off_since_replaced_goes_without_a_form(
    db: Database, smtp_server: SmtpServer
) -> None:
    use_server(db, smtp_server)
    staff = office(db)
    ref = log(db)
    delegate(db, ref, staff.ortiz, MONDAY)
    delegate(db, ref, staff.chen, MONDAY)  # handed on before the first notice went out

    assert _send(db) == 2
    forms = {mail.recipients: _forms(mail) for mail in smtp_server.received}
    assert len(forms) == 2
    ortiz = next(v for k, v in forms.items() if "j.ortiz@example.com" in k)
    chen = next(v for k, v in forms.items() if "j.ortiz@example.com" not in k)
    assert ortiz == []
    assert [report_form_reader.read_form(data).reference for _name, data in chen] == [ref]
