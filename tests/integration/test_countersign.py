"""Only the CEO's own call resolves: the assistant's "the CEO reports: satisfied" waits for the
CEO's countersignature and counts as resolved only then, in the status, lists and statistics."""

from __future__ import annotations

import pytest

from ceo_desk.cli import main
from ceo_desk.core import identity, policy, queries, stats
from ceo_desk.core.safety import check
from ceo_desk.core.services import complaints, countersign
from ceo_desk.enums import Outcome, Role, Status
from ceo_desk.errors import LifecycleError, PermissionDenied, ValidationError
from ceo_desk.store.db import Database
from tests.builders import MONDAY, add_staff, at, awaiting_callback, person, stored_detail

MARCH = policy.Month(2026, 3)
SATISFIED = complaints.CallbackInput(Outcome.SATISFIED, satisfaction=5, customer_words="Thanks")


def resolved_in_march(db: Database) -> int:
    with db.reading() as uow:
        return stats.monthly_summary(uow, MARCH, now=at(30)).headline.resolved


def test_the_assistants_report_resolves_only_when_the_ceo_countersigns(db: Database) -> None:
    ref = awaiting_callback(db, add_staff(db), logged_at=MONDAY, reported_at=at(1))
    assistant = person(db, "amy", Role.ASSISTANT)
    ceo = person(db, "mwang", Role.CEO)

    with assistant.transaction() as uow:
        countersign.report_ceo_satisfied(uow, ref, SATISFIED, now=at(2))
    detail = stored_detail(db, ref)
    assert detail.status is Status.AWAITING_CALLBACK
    assert detail.callbacks == []
    assert resolved_in_march(db) == 0
    with db.reading() as uow:
        waiting = countersign.awaiting_countersign(uow)
        assert [(w.reference, w.reported_by) for w in waiting] == [(ref, "amy (Assistant)")]
        resolved = queries.list_complaints(
            uow, queries.ComplaintFilter(statuses=frozenset({Status.RESOLVED}))
        )
        assert resolved == []

    with (
        pytest.raises(PermissionDenied, match=r"Countersigning .* needs the CEO role; held by"),
        assistant.transaction() as uow,
    ):
        countersign.countersign(uow, ref, now=at(3))

    with ceo.transaction() as uow:
        countersign.countersign(uow, ref, now=at(3))
    detail = stored_detail(db, ref)
    assert detail.status is Status.RESOLVED
    assert [(c.outcome, c.satisfaction) for c in detail.callbacks] == [(Outcome.SATISFIED, 5)]
    assert resolved_in_march(db) == 1
    events = detail.events
    assert (events[-2].action, events[-2].os_user) == ("ceo_reported_satisfied", "amy")
    assert (events[-1].action, events[-1].os_user, events[-1].role) == (
        "countersigned",
        "mwang",
        "ceo",
    )
    with db.reading() as uow:
        assert countersign.awaiting_countersign(uow) == []
    verdict = check.run_check(db)
    assert verdict.ok, verdict.as_text()


def test_only_a_waiting_callback_can_be_countersigned_once(db: Database) -> None:
    ref = awaiting_callback(db, add_staff(db))
    with db.transaction() as uow, pytest.raises(LifecycleError, match="no satisfied callback"):
        countersign.countersign(uow, ref)
    assistant = person(db, "amy", Role.ASSISTANT)
    with assistant.transaction() as uow:
        countersign.report_ceo_satisfied(uow, ref, SATISFIED)
    with assistant.transaction() as uow, pytest.raises(ValidationError, match="already waits"):
        countersign.report_ceo_satisfied(uow, ref, SATISFIED)
    # The CEO calls again instead: the customer is not satisfied after all.
    with db.transaction() as uow:
        complaints.record_callback(uow, ref, complaints.CallbackInput(Outcome.NOT_SATISFIED))
    with db.reading() as uow:
        assert countersign.awaiting_countersign(uow) == []
    assert stored_detail(db, ref).status is Status.DELEGATED


def test_the_ceo_records_satisfied_directly(db: Database) -> None:
    ref = awaiting_callback(db, add_staff(db))
    ceo = person(db, "mwang", Role.CEO)
    with ceo.transaction() as uow:
        complaints.record_callback(uow, ref, SATISFIED)
    assert stored_detail(db, ref).status is Status.RESOLVED


def test_countersign_from_the_command_line(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = awaiting_callback(db, add_staff(db))
    url = ("--db", db.url)
    code = main(
        ["--as", "assistant", "callback", ref, "--outcome", "satisfied", "--ceo-reports", *url]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "once the CEO countersigns it" in out
    assert stored_detail(db, ref).status is Status.AWAITING_CALLBACK
    code = main(["--as", "assistant", "countersign", ref, *url])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"needs the CEO role; held by {identity.of_engine(db.engine)}" in err
    code = main(["countersign", *url])
    out, err = capsys.readouterr()
    assert code == 0 and ref in out
    code = main(["countersign", ref, *url])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert stored_detail(db, ref).status is Status.RESOLVED


def test_a_callback_waiting_for_the_countersignature_is_no_longer_due(db: Database) -> None:
    staff = add_staff(db)
    waiting = awaiting_callback(db, staff, "Ana Lima", logged_at=MONDAY, reported_at=at(1))
    due = awaiting_callback(
        db, staff, "Bea Cruz", phone="+12025550102", logged_at=MONDAY, reported_at=at(1)
    )
    later = at(20).date()
    with person(db, "amy", Role.ASSISTANT).transaction() as uow:
        countersign.report_ceo_satisfied(uow, waiting, SATISFIED, now=at(2))
    with db.reading() as uow:
        assert [c.reference for c in queries.callbacks_due(uow, today=later)] == [due]
        assert queries.callback_references_due(uow, today=later) == {due}
        assert queries.counters(uow, today=later).callbacks_today == 1
        assert [w.reference for w in countersign.awaiting_countersign(uow)] == [waiting]
