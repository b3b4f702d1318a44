"""The outbox: a message exists exactly when its action committed, each dedupe key once, and a
hand-off queues the delegate's email in its own transaction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ceo_desk.core.mail import templates
from ceo_desk.core.mail.outbox import Outgoing, queue
from ceo_desk.core.services import complaints, promises
from ceo_desk.enums import MessageKind, OutboxState, PromiseOutcome
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import Database
from ceo_desk.store.models import OutboxMessage
from tests.builders import (
    MONDAY,
    add_staff,
    delegate,
    delegate_and_report,
    log,
    office,
    stored_detail,
)


def _outbox(db: Database) -> list[OutboxMessage]:
    with db.reading() as uow:
        rows = list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        uow.session.expunge_all()
    return rows


def test_a_dedupe_key_is_queued_once(db: Database) -> None:
    message = Outgoing(MessageKind.CHASE, ("a@example.com",), "Subject", "Body")
    with db.transaction() as uow:
        first = queue(uow, message, now=MONDAY, dedupe_key="overdue:1:2026-03-09")
    with db.transaction() as uow:
        second = queue(uow, message, now=MONDAY, dedupe_key="overdue:1:2026-03-09")
        third = queue(uow, message, now=MONDAY, dedupe_key="overdue:1:2026-03-10")
    assert first is not None and second is None and third is not None
    assert [m.dedupe_key for m in _outbox(db)] == ["overdue:1:2026-03-09", "overdue:1:2026-03-10"]


def test_a_message_is_not_kept_when_its_action_rolls_back(db: Database) -> None:
    message = Outgoing(MessageKind.CHASE, ("a@example.com",), "Subject", "Body")
    with pytest.raises(RuntimeError), db.transaction() as uow:
        queue(uow, message, now=MONDAY)
        raise RuntimeError("the action failed after queuing")
    assert _outbox(db) == []


def test_delegating_queues_the_notice_to_the_delegate(db: Database) -> None:
    staff = office(db)
    ref = log(db, "Farah Novák", "Charged twice for March", ceo_promised="a refund by Friday")
    delegate(db, ref, staff.ortiz, MONDAY)
    [notice] = _outbox(db)
    assert notice.kind is MessageKind.DELEGATION_NOTICE
    assert notice.recipients == "j.ortiz@example.com"
    assert notice.subject == f"New complaint for you: {ref} — Charged twice for March"
    assert notice.body.startswith("Hello Jamie,\n\n")
    assert "from Farah Novák" in notice.body
    assert "What the CEO promised the customer: a refund by Friday" in notice.body
    assert "Your report is due on" in notice.body
    # No mail server is set up in a new log: the message waits to be opened in a mail program.
    assert notice.state is OutboxState.DRAFT


def test_a_refused_delegation_queues_nothing(db: Database) -> None:
    staff = office(db)
    ref = log(db)
    with pytest.raises(ValidationError), db.transaction() as uow:
        complaints.delegate(uow, ref, staff.ortiz, due_on="2020-01-01")
    assert _outbox(db) == []


def test_sending_back_queues_the_comment_to_the_delegate(db: Database) -> None:
    staff = office(db)
    ref = log(db, "Ann Smith", "Late delivery")
    delegate_and_report(db, ref, staff.chen)
    with db.transaction() as uow:
        complaints.send_back(uow, ref, "Say when the parcel will arrive.")
    notice = _outbox(db)[-1]
    assert notice.kind is MessageKind.SENT_BACK
    assert notice.recipients == "wei.chen@example.com"
    assert "Say when the parcel will arrive." in notice.body


def test_a_delegate_without_an_email_gets_a_draft_without_an_address(db: Database) -> None:
    staff = add_staff(db, "Pat Doe", "Warehouse")
    ref = log(db)
    delegate(db, ref, staff)
    [notice] = _outbox(db)
    assert notice.recipients == "" and notice.state is OutboxState.DRAFT
    assert notice.last_error == "No email address is on file for the recipient."


def test_an_edited_template_is_used_and_an_unknown_value_is_refused(db: Database) -> None:
    staff = office(db)
    with db.transaction() as uow:
        templates.save(
            uow, MessageKind.DELEGATION_NOTICE, "Yours: {reference}", "Dear {delegate},\n{summary}"
        )
    with pytest.raises(ValidationError, match=r"\{custmer\}"), db.transaction() as uow:
        templates.save(uow, MessageKind.CHASE, "Chase {custmer}", "Body")
    ref = log(db, summary="Broken boiler")
    delegate(db, ref, staff.ortiz)
    [notice] = _outbox(db)
    assert (notice.subject, notice.body) == (f"Yours: {ref}", "Dear Jamie Ortiz,\nBroken boiler")
    with db.transaction() as uow:
        templates.reset(uow, MessageKind.DELEGATION_NOTICE)
        assert not templates.get(uow, MessageKind.DELEGATION_NOTICE).edited


def test_erasing_a_customer_scrubs_the_emails_about_them(db: Database) -> None:
    from ceo_desk.core.safety import erase

    staff = office(db)
    ref = log(db, "Farah Novakova", "Charged twice", phone="+15555550111")
    delegate(db, ref, staff.ortiz)
    with db.reading() as uow:
        customer_id = complaints.load(uow, ref, for_update=False).customer_id
    assert "Farah Novakova" in _outbox(db)[0].body
    erase.erase_customer_everywhere(db, customer_id)
    [notice] = _outbox(db)
    assert "Novakova" not in notice.body and "[erased]" in notice.body


def test_the_notice_says_the_promises_from_the_ledger_not_the_ceos_words(db: Database) -> None:
    staff = office(db)
    ref = log(
        db,
        "Farah Novák",
        "Charged twice for March",
        ceo_promised="I said we'd sort it all out",
        promises=(
            promises.PromiseInput("A call from the billing lead", date(2026, 3, 16)),
            promises.PromiseInput("A refund of both charges", date(2026, 3, 13)),
        ),
        when=MONDAY,
    )
    delegate_and_report(db, ref, staff.ortiz, MONDAY)
    [notice] = _outbox(db)
    assert (
        "Complaint: Charged twice for March\n"
        "What the CEO promised the customer:\n"
        "- A refund of both charges, by Friday 13 March 2026\n"
        "- A call from the billing lead, by Monday 16 March 2026\n"
    ) in notice.body
    assert "sort it all out" not in notice.body
    with db.reading() as uow:
        ledger = {p.what: p.id for p in promises.for_complaint(uow, stored_detail(db, ref).id)}
    with db.transaction() as uow:
        promises.settle(uow, ref, {ledger["A refund of both charges"]: PromiseOutcome.KEPT})
        complaints.send_back(uow, ref, "Say when the lead will call.", now=MONDAY)
    body = _outbox(db)[-1].body
    assert (
        "What the CEO promised the customer:\n"
        "- A call from the billing lead, by Monday 16 March 2026\n"
        "Already settled with the customer: A refund of both charges (kept)\n"
    ) in body
    assert "- A refund of both charges" not in body


def test_without_a_ledger_the_notice_says_the_ceos_words(db: Database) -> None:
    staff = office(db)
    ref = log(db, "Farah Novák", "Charged twice", ceo_promised="a refund by Friday")
    delegate(db, ref, staff.ortiz, MONDAY)
    [notice] = _outbox(db)
    assert "Complaint: Charged twice\nWhat the CEO promised the customer: a refund by Friday\n" in (
        notice.body
    )
