"""Property-based: random text, dates, numbers, phone numbers and emails fed into every service
entry point give either success or a clear CeoDeskError, never another exception, and a refused
call writes nothing (row and event counts, versions unchanged)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from ceo_desk.core import fields as declared_fields
from ceo_desk.core.services import complaints, directory, office
from ceo_desk.enums import Channel, Loyalty, Outcome, ReputationFlag, Severity, UnitKind
from ceo_desk.errors import CeoDeskError
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.db import Database, UnitOfWork
from ceo_desk.store.models import Complaint
from tests.builders import add_staff, log

TABLES = (
    "complaint",
    "customer",
    "delegation",
    "report",
    "callback",
    "event",
    "event_change",
    "unit",
    "staff",
    "category",
    "setting",
    "complaint_search",
)
FAST = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

texts = st.text(max_size=60) | st.sampled_from(["", " ", "\x00", "=1+1", "é" * 300, "a" * 20_001])
phones = (
    st.from_regex(r"\+?[0-9 ()\-.]{0,18}", fullmatch=True)
    | st.sampled_from(["+442079460000", "020 7946 0000", "555-0100", "+1 (202) 555-0143"])
    | texts
)
emails = st.emails() | texts | st.sampled_from(["ann@example.com", "ann@", "@x.org", "a@b"])
numbers = (
    st.integers(-(10**15), 10**15).map(str)
    | st.decimals(allow_nan=True, allow_infinity=True).map(str)
    | st.sampled_from(["1,234.50", "€12", "1e9", "NaN", "-0", "12.345", ""])
    | texts
)
day_texts = st.dates().map(date.isoformat) | st.sampled_from(["2026-02-30", "14/03/2026"]) | texts
moments = (
    st.datetimes(timezones=st.just(UTC) | st.none()).map(datetime.isoformat)
    | st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    )
    | day_texts
)


def _counts(db: Database) -> tuple[int, ...]:
    with db.reading() as uow:
        counts = [
            int(uow.session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in TABLES
        ]
        counts.append(int(uow.session.scalar(select(func.sum(Complaint.version))) or 0))
    return tuple(counts)


def _attempt(db: Database, call: Callable[[UnitOfWork], Any]) -> bool:
    """Run one service call: success, or a CeoDeskError that changed nothing."""
    before = _counts(db)
    try:
        with db.transaction() as uow:
            call(uow)
    except CeoDeskError as exc:
        assert exc.message.strip(), "an error without a message"
        assert _counts(db) == before, f"refused ({exc}) but something was written"
        return False
    return True


@FAST
@given(
    name=texts,
    summary=texts,
    phone=phones,
    email=emails,
    received=moments,
    prior=numbers,
    details=texts,
    organisation=texts,
    channel=st.sampled_from(Channel),
    severity=st.sampled_from(Severity),
    category=st.none() | texts | st.just("Billing"),
    caused_by=st.none() | texts | st.integers(-5, 5),
)
def test_log_call(sqlite_db: Database, **fields: Any) -> None:
    call = complaints.CallInput(
        customer_name=fields["name"],
        summary=fields["summary"],
        phone=fields["phone"],
        email=fields["email"],
        received_at=fields["received"],
        prior_contacts=fields["prior"],
        details=fields["details"],
        organisation=fields["organisation"],
        channel=fields["channel"],
        severity=fields["severity"],
        category=fields["category"],
        caused_by_unit=fields["caused_by"],
    )
    _attempt(sqlite_db, lambda uow: complaints.log_call(uow, call))


@FAST
@given(
    step=st.sampled_from(
        ["delegate", "report", "send_back", "callback", "unreachable", "withdraw"]
    ),
    words=texts,
    number=numbers,
    day=day_texts | st.dates() | st.none(),
    ref=st.sampled_from(["", "C-1999-0001", "c-2026-0001 "]) | texts | st.none(),
    staff_id=st.integers(-3, 10**12),
    outcome=st.sampled_from(Outcome),
    loyalty=st.none() | st.sampled_from(Loyalty),
    currency=st.none() | texts | st.sampled_from(["USD", "JPY", "usd", "XX"]),
)
def test_loop_actions(sqlite_db: Database, step: str, **f: Any) -> None:
    """Whatever state the complaint is in, any input is accepted or clearly refused."""
    ref = f["ref"] if f["ref"] is not None else _a_complaint(sqlite_db)
    calls: dict[str, Callable[[UnitOfWork], Any]] = {
        "delegate": lambda u: complaints.delegate(
            u, ref, f["staff_id"], due_on=f["day"], instructions=f["words"]
        ),
        "report": lambda u: complaints.file_report(
            u,
            ref,
            complaints.ReportInput(
                said=f["words"], done=f["words"], cost=f["number"], currency=f["currency"]
            ),
        ),
        "send_back": lambda u: complaints.send_back(u, ref, f["words"], due_on=f["day"]),
        "callback": lambda u: complaints.record_callback(
            u,
            ref,
            complaints.CallbackInput(
                outcome=f["outcome"],
                satisfaction=f["number"],
                customer_words=f["words"],
                loyalty=f["loyalty"],
            ),
        ),
        "unreachable": lambda u: complaints.mark_unreachable(u, ref),
        "withdraw": lambda u: complaints.withdraw(u, ref, f["words"], duplicate_of=f["words"]),
    }
    _attempt(sqlite_db, calls[step])


_state: dict[str, str] = {}


def _a_complaint(db: Database) -> str:
    """A complaint moved along a random-ish path, shared across examples of one test."""
    key = db.url
    if key not in _state:
        staff = add_staff(db)
        ref = log(db)
        with db.transaction() as uow:
            complaints.delegate(uow, ref, staff)
        _state[key] = ref
    return _state[key]


EDIT_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "summary": texts,
    "details": texts,
    "customer_wants": texts,
    "ceo_promised": texts,
    "channel": st.sampled_from(Channel),
    "severity": st.sampled_from(Severity),
    "category_id": st.none() | st.integers(-5, 10**12),
    "caused_by_unit_id": st.none() | st.integers(-5, 10**12),
    "ceo_spoke": st.booleans(),
    "prior_contacts": numbers | st.integers(-(10**6), 10**6),
    "received_at": moments,
    **{flag.attribute: st.booleans() for flag in ReputationFlag},
}


@FAST
@given(data=st.data(), version=st.none() | st.none() | st.integers(-1, 5))
def test_edit(sqlite_db: Database, data: st.DataObject, version: int | None) -> None:
    """Each editable field, with values of the types the screens send and random content."""
    assert set(EDIT_VALUES) == set(declared_fields.EDITABLE_FIELDS)
    field = data.draw(st.sampled_from(sorted(EDIT_VALUES)))
    value = data.draw(EDIT_VALUES[field])
    ref = _a_complaint(sqlite_db)
    if version is None:  # mostly the right version, so the values themselves are checked
        with sqlite_db.reading() as uow:
            version = uow.session.scalar(
                select(Complaint.version).where(Complaint.reference == ref)
            )
            assert version is not None
    _attempt(
        sqlite_db,
        lambda u: complaints.edit(
            u, ref, complaints.ComplaintEdit({field: value}), expected_version=version
        ),
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("received_at", None, id="received_at-empty"),
        pytest.param("received_at", 0, id="received_at-number"),
        pytest.param("channel", "carrier pigeon", id="channel-unknown"),
        pytest.param("caused_by_unit_id", "Billing", id="unit-name-not-id"),
        pytest.param("ceo_spoke", "maybe", id="ceo-spoke-not-yes-or-no"),
    ],
)
def test_edit_refuses_malformed_values_clearly(sqlite_db: Database, field: str, value: Any) -> None:
    ref = _a_complaint(sqlite_db)
    with sqlite_db.reading() as uow:
        version = uow.session.scalar(select(Complaint.version).where(Complaint.reference == ref))
    assert version is not None
    assert not _attempt(
        sqlite_db,
        lambda u: complaints.edit(
            u, ref, complaints.ComplaintEdit({field: value}), expected_version=version
        ),
    )


ascii_names = st.text(alphabet=st.characters(max_codepoint=127), max_size=30)


@FAST
@given(
    unit=texts,
    kind=st.sampled_from(UnitKind),
    name=texts,
    email=emails,
    phone=phones,
    unit_id=st.integers(-2, 10**12),
    category=ascii_names,
)
def test_directory_and_categories(sqlite_db: Database, **f: Any) -> None:
    _attempt(sqlite_db, lambda u: directory.add_unit(u, f["unit"], f["kind"]))
    _attempt(
        sqlite_db,
        lambda u: directory.add_staff(
            u, directory.StaffInput(f["name"], f["unit_id"], f["email"], f["phone"])
        ),
    )
    _attempt(
        sqlite_db,
        lambda u: directory.add_staff_with_unit(
            u,
            name=f["name"],
            unit_name=f["unit"],
            unit_kind=None,
            email=f["email"],
            phone=f["phone"],
        ),
    )
    _attempt(sqlite_db, lambda u: office.add_category(u, f["category"]))


@FAST
@given(
    days=st.integers(-5, 100),
    callback_days=st.integers(-5, 40),
    weekend=st.lists(st.integers(-2, 9), max_size=8),
    region=texts | st.sampled_from(["GB", "us", "XX"]),
    currency=texts | st.sampled_from(["EUR", "eur", "E"]),
    ceo=texts,
    attempts=st.integers(-1, 30),
    retention=st.none() | st.integers(-1, 200),
    holidays=st.lists(st.dates(), max_size=3),
)
def test_office_settings(sqlite_db: Database, **f: Any) -> None:
    candidate = OfficeSettings(
        report_due_days={s: f["days"] for s in Severity},
        callback_due_days=f["callback_days"],
        weekend_days=tuple(f["weekend"]),
        holidays=tuple(f["holidays"]),
        phone_region=f["region"],
        currency=f["currency"],
        ceo_name=f["ceo"],
        unreachable_after_attempts=f["attempts"],
        retention_years=f["retention"],
    )
    _attempt(sqlite_db, lambda u: office.save_settings(u, candidate))


def test_the_harness_notices_a_partial_write(sqlite_db: Database) -> None:
    """The check can fail: a call that writes and then raises is caught."""

    def half_done(uow: UnitOfWork) -> None:
        log(sqlite_db)  # commits in its own unit of work
        raise CeoDeskError("refused after writing")

    try:
        _attempt(sqlite_db, half_done)
    except AssertionError as exc:
        assert "something was written" in str(exc)
    else:
        raise AssertionError("the partial write went unnoticed")


def test_a_second_unit_with_a_non_ascii_name_is_refused_clearly(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as uow:
        directory.add_unit(uow, "Équipe", UnitKind.DEPARTMENT)
    assert not _attempt(sqlite_db, lambda u: directory.add_unit(u, "Équipe", UnitKind.PARTNER))
