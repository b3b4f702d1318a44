"""The work a crash-test child does: log and advance complaints through the services, printing
each completed action (after its commit) to stdout, flushed, until it is killed."""

from __future__ import annotations

import random
import sys

from sqlalchemy import select

from ceo_desk.core.database import open_database
from ceo_desk.core.services import complaints
from ceo_desk.enums import Outcome, Status
from ceo_desk.store.models import Complaint, Staff

# Completed action -> the audit event that must exist for it.
EVENT_FOR = {
    "logged": "logged",
    "delegated": "delegated",
    "reported": "report_filed",
    "no_answer": "callback_no_answer",
    "resolved": "callback_satisfied",
    "reopened": "callback_not_satisfied",
    "withdrawn": "withdrawn",
}


def say(action: str, reference: str) -> None:
    sys.stdout.write(f"{action} {reference}\n")
    sys.stdout.flush()


def advance(db: object, reference: str, staff_id: int, rng: random.Random) -> str | None:
    """Move one complaint one step; returns the action done, or None when it is closed."""
    from ceo_desk.store.db import Database

    assert isinstance(db, Database)
    with db.transaction() as uow:
        status = Status(
            uow.session.execute(
                select(Complaint.status).where(Complaint.reference == reference)
            ).scalar_one()
        )
        if status is Status.NEW:
            if rng.random() < 0.05:
                complaints.withdraw(uow, reference, "Customer withdrew")
                return "withdrawn"
            complaints.delegate(uow, reference, staff_id, instructions="Call within the hour")
            return "delegated"
        if status is Status.DELEGATED:
            complaints.file_report(
                uow,
                reference,
                complaints.ReportInput(
                    said="Apologised for the delay",
                    done="Refund issued and courier booked",
                    accommodation="Voucher",
                    cost=str(rng.randint(0, 300)),
                ),
            )
            return "reported"
        if status is Status.AWAITING_CALLBACK:
            roll = rng.random()
            if roll < 0.15:
                complaints.record_callback(
                    uow, reference, complaints.CallbackInput(outcome=Outcome.NO_ANSWER)
                )
                return "no_answer"
            if roll < 0.25:
                complaints.record_callback(
                    uow,
                    reference,
                    complaints.CallbackInput(
                        outcome=Outcome.NOT_SATISFIED, satisfaction=2, customer_words="Still broken"
                    ),
                )
                return "reopened"
            complaints.record_callback(
                uow,
                reference,
                complaints.CallbackInput(outcome=Outcome.SATISFIED, satisfaction=5),
            )
            return "resolved"
    return None


def work(db_path: str, seed: int) -> None:
    rng = random.Random(seed)
    db = open_database(db_path)
    with db.reading() as uow:
        staff_id = uow.session.scalar(select(Staff.id).order_by(Staff.id).limit(1))
        open_refs = list(
            uow.session.scalars(
                select(Complaint.reference).where(
                    Complaint.status.in_([s.value for s in Status if s.is_open])
                )
            )
        )
    assert staff_id is not None, "the test creates a staff member first"
    counter = 0
    while True:
        # Finish what an earlier (killed) worker left open, then take new calls.
        for reference in list(open_refs):
            action = advance(db, reference, staff_id, rng)
            if action is None:
                open_refs.remove(reference)
            else:
                say(action, reference)
        counter += 1
        with db.transaction() as uow:
            logged = complaints.log_call(
                uow,
                complaints.CallInput(
                    customer_name=f"Caller {seed}-{counter} Łukasz",
                    summary=f"Parcel {counter} arrived damaged",
                    phone=f"+4420794{rng.randint(10000, 99999)}",
                    details="The box was crushed; the vase inside is broken. " * rng.randint(1, 8),
                ),
            )
        say("logged", logged.reference)
        open_refs.append(logged.reference)
