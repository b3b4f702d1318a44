"""Sending through a real SMTP server on the loopback: each message's recipients, subject and
body arrive as queued, once; a server that goes away mid-run loses and doubles nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ceo_desk.core.mail import sender
from ceo_desk.core.mail.outbox import Outgoing, queue
from ceo_desk.enums import MessageKind, OutboxState
from ceo_desk.store.db import Database
from ceo_desk.store.models import OutboxMessage
from tests.builders import MONDAY, delegate, delegate_and_report, log, office, stored_detail
from tests.smtp_server import SmtpServer, use_server


def _states(db: Database) -> dict[int, OutboxState]:
    with db.reading() as uow:
        return {i: s for i, s in uow.session.execute(select(OutboxMessage.id, OutboxMessage.state))}


def test_a_delegation_notice_reaches_the_delegate_once_and_shows_on_the_timeline(
    db: Database, smtp_server: SmtpServer
) -> None:
    use_server(db, smtp_server)
    staff = office(db)
    ref = log(db, "Farah Novák", "Charged twice for March")
    delegate(db, ref, staff.ortiz, MONDAY)

    first = sender.send_pending(db, now=MONDAY + timedelta(seconds=1))
    again = sender.send_pending(db, now=MONDAY + timedelta(hours=2))

    assert (first.sent, again.sent) == (1, 0)
    [mail] = smtp_server.received
    assert mail.recipients == ("j.ortiz@example.com",)
    assert mail.mail_from == "ceo.office@example.com"
    assert mail.subject == f"New complaint for you: {ref} — Charged twice for March"
    assert mail.body.startswith("Hello Jamie,\n\nThe CEO has asked you to handle complaint")
    assert "from Farah Novák" in mail.body
    with db.reading() as uow:
        row = uow.session.scalars(select(OutboxMessage)).one()
        assert row.state is OutboxState.SENT
        assert row.server_reply == "250 Message accepted for delivery"
    timeline = [event.description for event in stored_detail(db, ref).events]
    assert "Delegation notice emailed to j.ortiz@example.com" in timeline


def test_each_message_arrives_with_its_own_recipients_subject_and_body(
    db: Database, smtp_server: SmtpServer
) -> None:
    use_server(db, smtp_server)
    with db.transaction() as uow:
        for number in range(3):
            queue(
                uow,
                Outgoing(
                    MessageKind.CHASE,
                    (f"person{number}@example.com",),
                    f"Subject {number}",
                    f"Body {number}\nsecond line",
                    cc=("copy@example.com",) if number == 1 else (),
                ),
                now=MONDAY,
            )
    report = sender.send_pending(db, now=MONDAY)
    assert report.sent == 3
    received = sorted(smtp_server.received, key=lambda m: m.subject)
    assert [(m.recipients, m.subject, m.body) for m in received] == [
        (("person0@example.com",), "Subject 0", "Body 0\nsecond line"),
        (("person1@example.com", "copy@example.com"), "Subject 1", "Body 1\nsecond line"),
        (("person2@example.com",), "Subject 2", "Body 2\nsecond line"),
    ]
    assert received[1].message["Cc"] == "copy@example.com"


def test_a_server_that_goes_away_mid_run_loses_and_doubles_nothing(
    db: Database, smtp_server: SmtpServer
) -> None:
    use_server(db, smtp_server)
    staff = office(db)
    refs = [log(db, f"Customer {n}", f"Complaint {n}") for n in range(4)]
    for ref in refs[:2]:
        delegate(db, ref, staff.chen, MONDAY)
    assert sender.send_pending(db, now=MONDAY).sent == 2

    smtp_server.stop()
    for ref in refs[2:]:
        delegate(db, ref, staff.ortiz, MONDAY)
    down = sender.send_pending(db, now=MONDAY + timedelta(minutes=1))
    assert (down.sent, down.retrying) == (0, 2)
    assert "could not be reached" in down.errors[0]
    # Still away a little later, before the pause is over: nothing is tried, nothing lost.
    assert sender.send_pending(db, now=MONDAY + timedelta(minutes=1, seconds=30)).retrying == 0

    smtp_server.start()
    # Before the pause after a failed attempt is over, nothing is sent.
    assert sender.send_pending(db, now=MONDAY + timedelta(minutes=1, seconds=50)).sent == 0
    back = sender.send_pending(db, now=MONDAY + timedelta(minutes=10))
    assert back.sent == 2
    assert sender.send_pending(db, now=MONDAY + timedelta(hours=5)).sent == 0

    subjects = sorted(m.subject for m in smtp_server.received)
    assert subjects == sorted(
        f"New complaint for you: {r} — Complaint {n}" for n, r in enumerate(refs)
    )
    assert set(_states(db).values()) == {OutboxState.SENT}


def test_a_connection_that_breaks_partway_through_a_batch_loses_and_doubles_nothing(
    db: Database, smtp_server: SmtpServer
) -> None:
    use_server(db, smtp_server)
    staff = office(db)
    refs = [log(db, f"Customer {n}", f"Complaint {n}") for n in range(4)]
    for ref in refs:
        delegate(db, ref, staff.chen, MONDAY)
    smtp_server.drop_at_data = {2}  # the line breaks on the second message of the run

    broken = sender.send_pending(db, now=MONDAY)
    assert (broken.sent, broken.retrying, broken.failed) == (1, 3, 0)
    assert broken.summary == "1 sent, 3 to try again later."
    assert "The connection to the mail server broke" in broken.errors[0]
    assert len(smtp_server.received) == 1
    states = _states(db)
    assert sorted(states.values()) == sorted(
        [OutboxState.SENT, OutboxState.QUEUED, OutboxState.QUEUED, OutboxState.QUEUED]
    ), "the one it broke on and the two after it wait"

    smtp_server.stop()
    smtp_server.start()
    back = sender.send_pending(db, now=MONDAY + timedelta(minutes=10))
    assert (back.sent, back.retrying) == (3, 0)
    assert sender.send_pending(db, now=MONDAY + timedelta(hours=5)).sent == 0

    subjects = [m.subject for m in smtp_server.received]
    assert sorted(subjects) == sorted(
        f"New complaint for you: {r} — Complaint {n}" for n, r in enumerate(refs)
    ), "every message arrived exactly once"
    assert set(_states(db).values()) == {OutboxState.SENT}
    for ref in refs:
        timeline = [e.description for e in stored_detail(db, ref).events]
        assert timeline.count("Delegation notice emailed to wei.chen@example.com") == 1


def test_a_recipient_refused_for_good_is_marked_failed_with_the_servers_words(
    db: Database, smtp_server: SmtpServer
) -> None:
    use_server(db, smtp_server)
    smtp_server.unknown.add("gone@example.com")
    with db.transaction() as uow:
        queue(uow, Outgoing(MessageKind.CHASE, ("gone@example.com",), "S", "B"), now=MONDAY)
    report = sender.send_pending(db, now=MONDAY)
    assert (report.sent, report.failed) == (0, 1)
    with db.reading() as uow:
        row = uow.session.scalars(select(OutboxMessage)).one()
        assert row.state is OutboxState.FAILED
        assert row.last_error is not None and "550 5.1.1 No such user here" in row.last_error
    assert smtp_server.received == []


def test_without_a_mail_server_nothing_is_sent_and_drafts_wait(db: Database) -> None:
    staff = office(db)
    ref = log(db)
    delegate_and_report(db, ref, staff.chen)
    report = sender.send_pending(db, now=MONDAY)
    assert not report.configured
    assert set(_states(db).values()) == {OutboxState.DRAFT}
