"""The files that go with an email as it is sent: the delegate's report form with the
delegation notice, so a delegate who never opens the app can report on the form and send it back.
"""

from __future__ import annotations

from collections.abc import Sequence

from ceo_desk.core import report_form
from ceo_desk.core.database import Database
from ceo_desk.core.mail.outbox import split_addresses
from ceo_desk.core.mail.sender import Attacher, MailFile
from ceo_desk.enums import MessageKind
from ceo_desk.errors import CeoDeskError
from ceo_desk.reports.common import page_size
from ceo_desk.reports.report_form import report_form_pdf
from ceo_desk.store.models import Complaint, OutboxMessage


def report_forms(database: Database) -> Attacher:
    """For `sender.send_pending`: a delegation notice carries the form for the delegation it
    announces. None when the complaint has moved on since (reported, or handed to someone else,
    whose own notice carries theirs): the email then goes without a form."""

    def files_for(row: OutboxMessage) -> Sequence[MailFile]:
        if row.kind != MessageKind.DELEGATION_NOTICE or row.complaint_id is None:
            return ()
        try:
            with database.transaction() as uow:  # the log's form secret is made with the first
                complaint = uow.session.get(Complaint, row.complaint_id)
                if complaint is None:
                    return ()
                delegation = report_form.current_delegation(uow, complaint.id)
                email = (delegation.staff.email or "").lower() if delegation else ""
                if not email or email not in {a.lower() for a in split_addresses(row.recipients)}:
                    return ()
                content = report_form.issue(uow, complaint.reference)
        except CeoDeskError:
            return ()
        return (
            MailFile(
                f"Report form {content.reference}.pdf",
                "application/pdf",
                report_form_pdf(content, page_size("a4")),
            ),
        )

    return files_for
