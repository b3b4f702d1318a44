"""Withdrawing a "not satisfied" outcome takes back the delegation notice it queued: cancelled
while unsent and never sent, or, once sent, followed by a note that the hand-off was withdrawn."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from ceo_desk.cli import main
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.mail import outbox, sender
from ceo_desk.core.services import complaints
from ceo_desk.enums import MessageKind, OutboxState, Outcome
from ceo_desk.errors import ConflictError
from ceo_desk.store import schema_shape
from ceo_desk.store.db import Database
from ceo_desk.store.models import OutboxMessage
from tests.builders import awaiting_callback, callback, office, stored_detail
from tests.smtp_server import SmtpServer, use_server


def _messages(db: Database) -> list[tuple[MessageKind, OutboxState, str]]:
    with db.reading() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(m.kind, m.state, m.recipients) for m in rows]


def _withdraw(db: Database, ref: str) -> None:
    with db.transaction() as uow:
        complaints.withdraw_outcome(uow, ref)


def test_an_unsent_notice_is_cancelled_never_sent_and_on_the_timeline(
    db: Database, smtp_server: SmtpServer
) -> None:
    staff = office(db)
    ref = awaiting_callback(db, staff.ortiz)  # its first notice a draft: no mail server yet
    use_server(db, smtp_server)
    callback(db, ref, Outcome.NOT_SATISFIED, reassign_to_staff_id=staff.chen)
    assert _messages(db)[1:] == [
        (MessageKind.DELEGATION_NOTICE, OutboxState.QUEUED, "wei.chen@example.com")
    ]
    _withdraw(db, ref)
    assert _messages(db)[1:] == [
        (MessageKind.DELEGATION_NOTICE, OutboxState.CANCELLED, "wei.chen@example.com")
    ]
    report = sender.send_pending(db, now=SYSTEM_CLOCK.now())
    assert report.sent == 0 and smtp_server.received == []
    descriptions = [e.description for e in stored_detail(db, ref).events]
    assert "Delegation notice to wei.chen@example.com cancelled before it was sent" in (
        descriptions
    )
    with db.reading() as uow:
        row = outbox.list_messages(uow)[0]  # newest first
    assert row.state.label == "Cancelled, not sent"
    assert row.last_error == "The step that wrote it was withdrawn, so it is never sent."
    assert not row.waits_for_a_person
    with db.reading() as uow:  # only the first notice's draft waits
        assert outbox.counts_waiting(uow) == {OutboxState.DRAFT: 1}
    now = SYSTEM_CLOCK.now()
    with pytest.raises(ConflictError, match="already cancelled, not sent"), db.transaction() as u:
        outbox.send_by_mail_server(u, row.id, now=now)
    with pytest.raises(ConflictError, match="already cancelled, not sent"), db.transaction() as u:
        outbox.mark_handed_over(u, row.id, now=now)


def test_a_draft_notice_is_cancelled_and_the_outbox_command_says_so(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sqlite_db
    staff = office(db)
    ref = awaiting_callback(db, staff.ortiz)
    callback(db, ref, Outcome.NOT_SATISFIED)
    assert _messages(db)[-1][1] is OutboxState.DRAFT  # no mail server: for the mail program
    _withdraw(db, ref)
    assert _messages(db)[-1][1] is OutboxState.CANCELLED
    assert main(["outbox", "list", "--all", "--db", db.url]) == 0
    said = capsys.readouterr().out
    assert "Cancelled, not sent" in said
    assert "The step that wrote it was withdrawn, so it is never sent." in said
    assert main(["outbox", "list", "--db", db.url]) == 0
    assert "Cancelled" not in capsys.readouterr().out  # it no longer waits


def test_a_notice_already_sent_is_followed_by_a_note_to_the_same_delegate(
    db: Database, smtp_server: SmtpServer
) -> None:
    staff = office(db)
    ref = awaiting_callback(db, staff.ortiz, "Ana Lima", "Invoice charged twice")
    use_server(db, smtp_server)
    callback(db, ref, Outcome.NOT_SATISFIED, reassign_to_staff_id=staff.chen)
    assert sender.send_pending(db, now=SYSTEM_CLOCK.now()).sent == 1
    _withdraw(db, ref)
    assert stored_detail(db, ref).current_delegate == "Jamie Ortiz"
    assert sender.send_pending(db, now=SYSTEM_CLOCK.now()).sent == 1
    notice, note = smtp_server.received
    assert note.recipients == notice.recipients == ("wei.chen@example.com",)
    assert note.subject == f"Hand-off withdrawn: {ref} — Invoice charged twice"
    assert note.body.startswith("Hello Wei,\n\nPlease disregard the earlier email")
    assert "No action is needed from you." in note.body
    assert [(k, s) for k, s, _ in _messages(db)[1:]] == [
        (MessageKind.DELEGATION_NOTICE, OutboxState.SENT),
        (MessageKind.HAND_OFF_WITHDRAWN, OutboxState.SENT),
    ]


def test_a_log_from_before_cancelling_keeps_its_messages_and_can_cancel(
    database_url: str,
) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            schema_shape.upgrade(conn, "0016")
            conn.execute(
                text(
                    "INSERT INTO outbox_message (id, kind, recipients, cc, subject, body, "
                    "queued_at, queued_by, state, attempts) VALUES (1, 'chase', 'a@example.com', "
                    "'', 'Chase', 'Body', '2026-03-09 10:00:00', 'amy', 'sent', 1)"
                )
            )
        with engine.begin() as conn:
            schema_shape.upgrade(conn, "head")
        with engine.begin() as conn:
            assert conn.execute(text("SELECT subject, state FROM outbox_message")).all() == [
                ("Chase", "sent")
            ]
            conn.execute(text("UPDATE outbox_message SET state = 'cancelled'"))
        with pytest.raises(Exception, match="ck_outbox_message_state"), engine.begin() as conn:
            conn.execute(text("UPDATE outbox_message SET state = 'gone'"))
    finally:
        engine.dispose()


def test_a_notice_the_server_took_while_it_was_cancelled_is_recorded_sent_and_followed_up(
    sqlite_db: Database, smtp_server: SmtpServer
) -> None:
    db = sqlite_db
    staff = office(db)
    ref = awaiting_callback(db, staff.ortiz)
    use_server(db, smtp_server)
    callback(db, ref, Outcome.NOT_SATISFIED, reassign_to_staff_id=staff.chen)
    notice_id = max(m.id for m in _rows(db))
    now = SYSTEM_CLOCK.now()
    # A sender has claimed the notice and is handing it to the server when the outcome is
    # withdrawn; the server then accepts it.
    (due,) = [d for d in sender._due(db, now) if d[0] == notice_id]
    assert sender._claim(db, *due, now)
    _withdraw(db, ref)
    assert _messages(db)[-1][1] is OutboxState.CANCELLED
    sender._record(db, notice_id, now, reply="250 OK", error=None)
    assert [(k, s) for k, s, _ in _messages(db)[1:]] == [
        (MessageKind.DELEGATION_NOTICE, OutboxState.SENT),
        (MessageKind.HAND_OFF_WITHDRAWN, OutboxState.QUEUED),
    ]
    assert _messages(db)[-1][2] == "wei.chen@example.com"


def _rows(db: Database) -> list[OutboxMessage]:
    with db.reading() as uow:
        rows = list(uow.session.scalars(select(OutboxMessage)))
        uow.session.expunge_all()
    return rows
