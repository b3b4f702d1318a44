"""The CEO's promises as a ledger and "did it stick?" follow-up calls, through the services and
the command line, on a real log."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from ceo_desk.cli import main
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import follow_ups, office, promises
from ceo_desk.enums import FollowUpOutcome, Outcome, PromiseOutcome, Role, Status
from ceo_desk.errors import PermissionDenied, ValidationError
from ceo_desk.store.db import Database
from tests.builders import (
    add_staff,
    awaiting_callback,
    callback,
    days_ago,
    log,
    person,
    report,
    stored_detail,
)

TODAY = SYSTEM_CLOCK.today()


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_log_takes_several_promises_and_the_callback_ticks_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "log.sqlite3")]
    assert _cli(capsys, "staff", "add", "--name", "Jo Ortiz", "--unit", "Billing", *db)[0] == 0
    friday, monday = TODAY + timedelta(days=3), TODAY + timedelta(days=6)
    code, out, _ = _cli(
        capsys, "log", "--customer", "Ann Lee", "--summary", "Charged twice",
        "--phone", "+442079460001", "--promised", "A refund", "--promise-due", friday.isoformat(),
        "--promised", "A call from the billing lead", "--promise-due", monday.isoformat(),
        "--json", *db,
    )  # fmt: skip
    assert code == 0
    ref = json.loads(out)["reference"]
    shown = json.loads(_cli(capsys, "show", ref, "--json", *db)[1])
    made = [(p["what"], p["due_on"], p["outcome"]) for p in shown["promises"]]
    assert made == [
        ("A refund", friday.isoformat(), None),
        ("A call from the billing lead", monday.isoformat(), None),
    ]
    first, second = (p["id"] for p in shown["promises"])
    assert _cli(capsys, "delegate", ref, "--to", "Jo Ortiz", *db)[0] == 0
    assert _cli(capsys, "file-report", ref, "--said", "Sorry", "--done", "Refunded", *db)[0] == 0
    code, _, _ = _cli(
        capsys, "callback", ref, "--outcome", "satisfied", "--kept", str(first),
        "--broken", str(second), *db,
    )  # fmt: skip
    assert code == 0
    shown = json.loads(_cli(capsys, "show", ref, "--json", *db)[1])
    assert [p["outcome"] for p in shown["promises"]] == ["kept", "broken"]
    text = _cli(capsys, "show", ref, *db)[1]
    assert f"Promise #{second}: A call from the billing lead (broken)" in text
    # Ticked once: ticking it again is refused and says so.
    code, _, err = _cli(capsys, "promise", "tick", ref, "--kept", str(second), *db)
    assert code == 2 and "already ticked broken" in err


def test_a_promise_without_its_due_day_is_refused_and_nothing_is_logged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "log.sqlite3")]
    code, _, err = _cli(
        capsys, "log", "--customer", "Ann Lee", "--summary", "Charged twice",
        "--phone", "+442079460001", "--promised", "A refund", *db,
    )  # fmt: skip
    assert code == 2 and "Give each promise its due day" in err and "--ceo-words" in err
    assert _cli(capsys, "list", *db)[1].strip() == "No complaints match."
    code, _, err = _cli(
        capsys, "log", "--customer", "Ann Lee", "--summary", "Charged twice",
        "--phone", "+442079460001", "--promised", "A refund", "--promise-due", "next week", *db,
    )  # fmt: skip
    assert code == 2 and "is not a date" in err


def test_a_promise_added_later_and_the_one_nearly_due_is_on_the_list(db: Database) -> None:
    ref = log(db)
    with db.transaction() as uow:
        (late,) = promises.add(uow, ref, [promises.PromiseInput("Engineer visit", TODAY)])
        promises.add(
            uow, ref, [promises.PromiseInput("Written apology", TODAY + timedelta(days=60))]
        )
    with db.reading() as uow:
        due = promises.nearly_due(uow, today=TODAY)
    assert [(p.promise_id, p.reference, p.what) for p in due] == [(late, ref, "Engineer visit")]
    with db.transaction() as uow:
        promises.settle(uow, ref, {late: PromiseOutcome.KEPT})
    with db.reading() as uow:
        assert promises.nearly_due(uow, today=TODAY) == []


def test_a_delegate_cannot_make_or_tick_a_promise(db: Database) -> None:
    staff = add_staff(db)
    ref = log(db)
    dana = person(db, "dana", Role.DELEGATE, staff=staff)
    with (
        pytest.raises(PermissionDenied, match="Recording a promise needs"),
        dana.transaction() as uow,
    ):
        promises.add(uow, ref, [promises.PromiseInput("A refund", TODAY)])
    assert stored_detail(db, ref).promises == []


def _follow_ups_after(db: Database, weeks: int | None) -> None:
    with db.transaction() as uow:
        office.save_settings(uow, replace(office.load_settings(uow), follow_up_weeks=weeks))


def test_did_it_stick_is_off_by_default(db: Database) -> None:
    staff = add_staff(db)
    ref = awaiting_callback(db, staff)
    callback(db, ref, Outcome.SATISFIED, satisfaction=5)
    with db.reading() as uow:
        assert follow_ups.due(uow, today=TODAY + timedelta(weeks=52)) == []


def test_it_came_back_reopens_the_complaint_and_it_stuck_closes_the_call(db: Database) -> None:
    staff = add_staff(db)
    _follow_ups_after(db, 4)
    came_back = awaiting_callback(db, staff, name="Ana Lima")
    stuck = awaiting_callback(db, staff, name="Bo Chan", phone="+12025550102")
    for ref in (came_back, stuck):
        callback(db, ref, Outcome.SATISFIED, satisfaction=5)
    with db.reading() as uow:
        assert follow_ups.due(uow, today=TODAY + timedelta(weeks=4, days=-1)) == []
        due = follow_ups.due(uow, today=TODAY + timedelta(weeks=4))
    assert sorted(d.reference for d in due) == sorted([came_back, stuck])
    with db.transaction() as uow, pytest.raises(ValidationError, match="Say what came back"):
        follow_ups.record(uow, came_back, FollowUpOutcome.CAME_BACK)
    with db.transaction() as uow:
        result = follow_ups.record(
            uow, came_back, FollowUpOutcome.CAME_BACK, reason="Charged twice again"
        )
        follow_ups.record(uow, stuck, FollowUpOutcome.STUCK)
    assert result.status is Status.DELEGATED and result.delegated_to == "Jo Ortiz"
    reopened = stored_detail(db, came_back)
    assert reopened.status is Status.DELEGATED and reopened.reopen_count == 1
    assert "It came back: Charged twice again" in reopened.delegations[-1].instructions
    assert stored_detail(db, stuck).status is Status.RESOLVED
    with db.reading() as uow:
        assert follow_ups.due(uow, today=TODAY + timedelta(weeks=5)) == []


def test_a_complaint_reopened_and_resolved_again_is_asked_about_its_last_closing(
    db: Database,
) -> None:
    from ceo_desk.core.services import complaints

    staff = add_staff(db)
    _follow_ups_after(db, 4)
    ref = awaiting_callback(db, staff)
    other = awaiting_callback(db, staff, name="Bo Chan", phone="+12025550102")
    callback(db, other, Outcome.SATISFIED, satisfaction=5, when=days_ago(7))
    callback(db, ref, Outcome.SATISFIED, satisfaction=5, when=days_ago(6))
    with db.transaction() as uow:
        complaints.reopen(uow, ref, "The second charge is back", now=days_ago(5))
    report(db, ref, days_ago(5))
    callback(db, ref, Outcome.SATISFIED, satisfaction=5, when=days_ago(4))
    with db.reading() as uow:
        due = follow_ups.due(uow, today=TODAY + timedelta(weeks=4))
    assert [(d.reference, d.closed_at) for d in due] == [
        (other, stored_detail(db, other).closed_at),
        (ref, stored_detail(db, ref).closed_at),
    ]


def test_a_broken_promise_is_an_alarm_on_the_brief(db: Database) -> None:
    from ceo_desk.core import presenting
    from ceo_desk.ui.report_html import section_html

    ref = log(db, ceo_promised="I will sort it myself")
    with db.transaction() as uow:
        kept, broken = promises.add(
            uow,
            ref,
            [promises.PromiseInput("A refund", TODAY), promises.PromiseInput("A visit", TODAY)],
        )
        promises.settle(uow, ref, {kept: PromiseOutcome.KEPT, broken: PromiseOutcome.BROKEN})
    section = presenting.promise_section(stored_detail(db, ref), TODAY)
    shown = [(row.value.text, row.alarm) for row in section.rows]
    assert shown[:3] == [
        ("A refund — kept", False),
        ("A visit — broken", True),
        ("I will sort it myself", False),
    ]
    assert f"color:{presenting.ALARM_RED}'><b>A visit — broken" in section_html(section)


def test_taking_back_a_callback_outcome_takes_back_its_ticks(db: Database) -> None:
    staff = add_staff(db)
    ref = awaiting_callback(db, staff)
    with db.transaction() as uow:
        (promise,) = promises.add(uow, ref, [promises.PromiseInput("A refund", TODAY)])
    with db.transaction() as uow:
        from ceo_desk.core.services import complaints

        complaints.record_callback(uow, ref, complaints.CallbackInput(outcome=Outcome.SATISFIED))
        promises.settle(uow, ref, {promise: PromiseOutcome.BROKEN})
    with db.transaction() as uow:
        complaints.withdraw_outcome(uow, ref)
    (shown,) = stored_detail(db, ref).promises
    assert shown.outcome is None and shown.settled_at is None


def test_follow_up_and_today_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "log.sqlite3"
    db = ["--db", str(path)]
    assert _cli(capsys, "settings", "set", "follow_up_weeks", "1", *db)[0] == 0
    from ceo_desk.core.database import open_database

    log_db = open_database(str(path))
    try:
        staff = add_staff(log_db)
        due = awaiting_callback(log_db, staff, "Bo Chan", phone="+12025550102")
        fixed = awaiting_callback(log_db, staff)
        callback(log_db, fixed, Outcome.SATISFIED, SYSTEM_CLOCK.now() - timedelta(days=8))
        with log_db.transaction() as uow:
            promises.add(uow, due, [promises.PromiseInput("A refund", TODAY)])
    finally:
        log_db.close()
    code, out, _ = _cli(capsys, "today", *db)
    assert code == 0
    assert f"{due}" in out and "promise due today" in out
    assert "Did it stick? 1 follow-up call(s)" in out and fixed in out
    code, _, err = _cli(capsys, "follow-up", fixed, "--came-back", *db)
    assert code == 2 and "Say what came back" in err
    code, out, _ = _cli(capsys, "follow-up", fixed, "--came-back", "--reason", "Again", *db)
    assert code == 0 and "reopened and delegated to Jo Ortiz" in out


def test_erasing_the_customer_erases_them_from_the_promises_too(sqlite_db: Database) -> None:
    from ceo_desk.core.safety.erase import ERASED, erase_customer

    ref = log(sqlite_db, "Ann Smith")
    with sqlite_db.transaction() as uow:
        promises.add(uow, ref, [promises.PromiseInput("Call Ann Smith back myself", TODAY)])
    customer_id = stored_detail(sqlite_db, ref).customer_id
    with sqlite_db.transaction() as uow:
        erase_customer(uow, customer_id)
    (kept,) = stored_detail(sqlite_db, ref).promises
    assert "Smith" not in kept.what and ERASED in kept.what


def test_the_ceos_reported_callback_ticks_the_promises_in_its_transaction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "log.sqlite3")]
    assert _cli(capsys, "staff", "add", "--name", "Jo Ortiz", "--unit", "Billing", *db)[0] == 0
    friday = (TODAY + timedelta(days=3)).isoformat()
    code, out, _ = _cli(
        capsys, "log", "--customer", "Ann Lee", "--summary", "Charged twice",
        "--phone", "+442079460001", "--promised", "A refund", "--promise-due", friday,
        "--promised", "A call from the billing lead", "--promise-due", friday, "--json", *db,
    )  # fmt: skip
    ref = json.loads(out)["reference"]
    first, second = (
        p["id"] for p in json.loads(_cli(capsys, "show", ref, "--json", *db)[1])["promises"]
    )
    assert _cli(capsys, "delegate", ref, "--to", "Jo Ortiz", *db)[0] == 0
    assert _cli(capsys, "file-report", ref, "--said", "Sorry", "--done", "Refunded", *db)[0] == 0
    # A promise number the complaint does not have: refused, and the outcome is not kept either.
    code, _, err = _cli(
        capsys, "--as", "assistant", "callback", ref, "--outcome", "satisfied", "--ceo-reports",
        "--kept", str(second + 10), *db,
    )  # fmt: skip
    assert code == 2 and f"has no promise #{second + 10}" in err
    assert [
        p["outcome"] for p in json.loads(_cli(capsys, "show", ref, "--json", *db)[1])["promises"]
    ] == [None, None]
    assert "Nothing waits" in _cli(capsys, "countersign", *db)[1]
    code, out, err = _cli(
        capsys, "--as", "assistant", "callback", ref, "--outcome", "satisfied", "--ceo-reports",
        "--kept", str(first), "--broken", str(second), *db,
    )  # fmt: skip
    assert code == 0, err
    assert "once the CEO countersigns it" in out
    shown = json.loads(_cli(capsys, "show", ref, "--json", *db)[1])
    assert shown["status"] == Status.AWAITING_CALLBACK.value
    assert [p["outcome"] for p in shown["promises"]] == ["kept", "broken"]
