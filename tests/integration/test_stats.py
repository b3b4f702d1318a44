"""The monthly figures, checked on a hand-built history whose answers are worked out by hand.

The history (all at noon on this computer's clock, 2026; March 1 is a Sunday) is built with the
services and explicit `now=` moments. Comments beside each complaint say what it contributes to
March's figures.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ceo_desk.core import policy, stats
from ceo_desk.core.history import open_states_at
from ceo_desk.core.services import complaints as svc
from ceo_desk.core.services import directory
from ceo_desk.enums import Loyalty, Outcome, Severity, Status, UnitKind
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import Database

MARCH = policy.Month(2026, 3)
AFTER_MARCH = datetime(2026, 4, 10, 12).astimezone()


def at(month: int, day: int, hour: int = 12) -> datetime:
    # Local time, as the office counts days: noon UTC is already tomorrow in Auckland.
    return datetime(2026, month, day, hour).astimezone()


class History:
    """Builds the complaints through the services and remembers their references."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.refs: dict[str, str] = {}
        self.staff: dict[str, int] = {}
        self._phone = 100

    def add_staff(self, key: str, name: str, unit: str, kind: UnitKind) -> None:
        with self.db.transaction() as uow:
            staff_id, _ = directory.add_staff_with_unit(
                uow, name=name, unit_name=unit, unit_kind=kind, email=None, phone=None
            )
        self.staff[key] = staff_id

    def log(
        self,
        key: str,
        when: datetime,
        customer: str,
        *,
        phone: str | None = None,
        category: str = "Billing",
        unit: str | None = None,
        summary: str | None = None,
        ceo_spoke: bool = False,
        prior: int = 0,
        promised: str = "",
    ) -> str:
        if phone is None:
            self._phone += 1
            phone = f"+1212555{self._phone:04d}"
        with self.db.transaction() as uow:
            logged = svc.log_call(
                uow,
                svc.CallInput(
                    customer_name=customer,
                    summary=summary or f"Complaint {key}",
                    phone=phone,
                    category=category,
                    caused_by_unit=unit,
                    received_at=when,
                    ceo_spoke=ceo_spoke,
                    prior_contacts=prior,
                    ceo_promised=promised,
                    severity=Severity.NORMAL,
                ),
                now=when,
            )
        self.refs[key] = logged.reference
        return logged.reference

    def delegate(self, key: str, who: str, when: datetime) -> None:
        with self.db.transaction() as uow:
            svc.delegate(uow, self.refs[key], self.staff[who], now=when)

    def report(
        self, key: str, when: datetime, *, said: str = "Apologised.", cost: str = ""
    ) -> None:
        with self.db.transaction() as uow:
            svc.file_report(
                uow,
                self.refs[key],
                svc.ReportInput(said=said, done="Put it right.", cost=cost or None),
                now=when,
            )

    def call(
        self,
        key: str,
        when: datetime,
        outcome: Outcome,
        *,
        loyalty: Loyalty | None = None,
        words: str = "",
    ) -> None:
        with self.db.transaction() as uow:
            svc.record_callback(
                uow,
                self.refs[key],
                svc.CallbackInput(outcome=outcome, loyalty=loyalty, customer_words=words),
                now=when,
            )

    def send_back(self, key: str, when: datetime) -> None:
        with self.db.transaction() as uow:
            svc.send_back(uow, self.refs[key], "Please add what was refunded.", now=when)

    def withdraw(self, key: str, when: datetime) -> None:
        with self.db.transaction() as uow:
            svc.withdraw(uow, self.refs[key], "Customer sorted it out.", now=when)

    def unreachable(self, key: str, when: datetime) -> None:
        with self.db.transaction() as uow:
            svc.mark_unreachable(uow, self.refs[key], now=when)


def build_history(db: Database) -> History:
    h = History(db)
    h.add_staff("L", "Łukasz Nowak", "Billing Dept", UnitKind.DEPARTMENT)
    h.add_staff("Z", "Zoë Martin", "Billing Dept", UnitKind.DEPARTMENT)
    h.add_staff("J", "Jürgen Weiß", "FastShip Ltd", UnitKind.PARTNER)
    h.add_staff("O", "Ольга Петрова", "Field Service", UnitKind.DEPARTMENT)
    ok, no = Outcome.SATISFIED, Outcome.NOT_SATISFIED

    # O1: January; reopened in February; resolved 3 March after 57 days (over 8 weeks).
    h.log("O1", at(1, 5), "Ada Lovelace", category="Technical fault", unit="Field Service")
    h.delegate("O1", "O", at(1, 5))
    h.report("O1", at(1, 30))
    h.call("O1", at(2, 2), no)
    h.report("O1", at(3, 2))
    h.call("O1", at(3, 3), ok)
    # O2: February; first report 9 March (25 business days); resolved 10 March (4 to 8 weeks).
    h.log("O2", at(2, 2), "Grace Hopper", unit="Billing Dept")
    h.delegate("O2", "L", at(2, 2))
    h.report("O2", at(3, 9), cost="25.50")
    h.call("O2", at(3, 10), ok)
    # F1: February, resolved in February.
    h.log("F1", at(2, 10), "Alan Turing")
    h.delegate("F1", "L", at(2, 10))
    h.report("F1", at(2, 12))
    h.call("F1", at(2, 13), ok)
    # F2: February; late report 5 March (7 business days); resolved 6 March (within 4 weeks).
    h.log("F2", at(2, 24), "Edsger Dijkstra", category="Delivery", unit="FastShip Ltd")
    h.delegate("F2", "J", at(2, 24))
    h.report("F2", at(3, 5))
    h.call("F2", at(3, 6), ok)
    # M1: the CEO spoke; 3 earlier contacts; resolved 9 March at the first call.
    h.log("M1", at(3, 2), "Ольга Иванова", phone="+12125550001", unit="Billing Dept",
          ceo_spoke=True, prior=3)  # fmt: skip
    h.delegate("M1", "L", at(3, 2))
    h.report("M1", at(3, 4), cost="100.00")
    h.call("M1", at(3, 9), ok, loyalty=Loyalty.STAYING)
    # M2: flagged report, not satisfied (at risk), reopened, then resolved 17 March.
    h.log("M2", at(3, 3), "Jürgen Schmidt", category="Delivery", unit="FastShip Ltd", prior=1)
    h.delegate("M2", "J", at(3, 3))
    h.report("M2", at(3, 11), said="We can't refund that; it is company policy.")
    h.call("M2", at(3, 12), no, loyalty=Loyalty.AT_RISK, words="I am thinking of leaving.")
    h.report("M2", at(3, 16), cost="50.00")
    h.call("M2", at(3, 17), ok)
    # M3: delegated, no report: 16 days overdue at month end (report due 16 March).
    h.log("M3", at(3, 9), "Zoë Ångström", unit="Billing Dept", prior=2)
    h.delegate("M3", "Z", at(3, 9))
    # M4: report sent back (its 20.00 not counted), re-filed, voicemail: callback due 20 March.
    h.log("M4", at(3, 10), "Barbara Liskov", category="Delivery", unit="FastShip Ltd")
    h.delegate("M4", "J", at(3, 10))
    h.report("M4", at(3, 12), cost="20.00")
    h.send_back("M4", at(3, 13))
    h.report("M4", at(3, 18), cost="30.00")
    h.call("M4", at(3, 19), Outcome.VOICEMAIL)
    # M5: withdrawn; the CEO spoke.
    h.log("M5", at(3, 16), "Donald Knuth", category="Service", ceo_spoke=True)
    h.withdraw("M5", at(3, 18))
    # M6: three unanswered calls, unreachable.
    h.log("M6", at(3, 20), "Margaret Hamilton", category="Product quality", unit="Field Service")
    h.delegate("M6", "O", at(3, 20))
    h.report("M6", at(3, 24))
    for day in (25, 26, 27):
        h.call("M6", at(3, day), Outcome.NO_ANSWER)
    h.unreachable("M6", at(3, 27, 15))
    # M8: the M1 customer again; awaiting callback at month end (due 30 March), resolved in April.
    h.log("M8", at(3, 23), "Ольга Иванова", phone="+12125550001")
    h.delegate("M8", "L", at(3, 23))
    h.report("M8", at(3, 27))
    h.call("M8", at(4, 2), ok)
    # M9: resolved within 3 business days; satisfied but leaving anyway.
    h.log("M9", at(3, 24), "Ken Thompson", category="Service")
    h.delegate("M9", "Z", at(3, 24))
    h.report("M9", at(3, 25))
    h.call("M9", at(3, 26), ok, loyalty=Loyalty.LEAVING)
    # M7: new at month end.
    h.log("M7", at(3, 30), "Niklaus Wirth", category="Other")
    # A1: April, outside the month.
    h.log("A1", at(4, 3), "Dennis Ritchie")
    return h


@pytest.fixture
def history(db: Database) -> History:
    return build_history(db)


def test_headline_figures_match_the_hand_count(db: Database, history: History) -> None:
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
    h = summary.headline
    assert h.received == 9
    assert h.resolved == 6
    assert h.open_at_end == 4
    assert h.overdue_at_end == 3
    assert h.median_days_to_report == 3.0
    assert h.median_days_to_confirmation == 1.0
    assert h.resolved_first_callback == 4
    assert h.first_callback_share == pytest.approx(4 / 6)
    assert h.reopened == 1
    assert h.withdrawn == 1
    assert h.unreachable == 1
    assert h.cost_minor == {"USD": 20550}
    assert h.ceo_spoke == 2
    assert h.avg_prior_contacts == pytest.approx(6 / 9)

    p = summary.previous
    assert (p.received, p.resolved, p.open_at_end, p.overdue_at_end, p.reopened) == (3, 1, 3, 2, 1)


def test_status_at_month_end_is_rebuilt_from_history(db: Database, history: History) -> None:
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
    assert summary.status_at_end == {
        Status.NEW: 1,
        Status.DELEGATED: 1,
        Status.AWAITING_CALLBACK: 2,  # M8 is resolved today, but was awaiting its call then
        Status.RESOLVED: 3,
        Status.UNREACHABLE: 1,
        Status.WITHDRAWN: 1,
    }
    slipping = [(s.reference, s.status, s.due_on, s.days_overdue) for s in summary.slipping]
    r = history.refs
    assert slipping == [
        (r["M3"], Status.DELEGATED, date(2026, 3, 16), 16),
        (r["M4"], Status.AWAITING_CALLBACK, date(2026, 3, 20), 12),
        (r["M8"], Status.AWAITING_CALLBACK, date(2026, 3, 30), 2),
    ]
    assert [s.delegate for s in summary.slipping] == ["Zoë Martin", "Jürgen Weiß", "Łukasz Nowak"]


def test_charts_buckets_and_categories(db: Database, history: History) -> None:
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
    assert [(w.first_day.day, w.last_day.day, w.count) for w in summary.weeks] == [
        (1, 1, 0),
        (2, 8, 2),
        (9, 15, 2),
        (16, 22, 2),
        (23, 29, 2),
        (30, 31, 1),
    ]
    assert summary.buckets == {
        stats.WITHIN_3_BUSINESS_DAYS: 1,
        stats.WITHIN_4_WEEKS: 3,
        stats.FOUR_TO_8_WEEKS: 1,
        stats.OVER_8_WEEKS: 1,
    }
    counts = {c.name: (c.count, c.previous) for c in summary.categories}
    assert counts["Billing"] == (3, 2)
    assert counts["Delivery"] == (2, 1)
    assert counts["Service"] == (2, 0)
    assert summary.categories[0].name == "Billing"


def test_league_table_ranks_and_flags_the_weakest(db: Database, history: History) -> None:
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
    league = [
        (u.name, u.caused, u.resolved, u.reports, u.reports_on_time, u.callbacks_answered,
         u.satisfied_first, u.sent_back, u.weakest)
        for u in summary.units
    ]  # fmt: skip
    assert league == [
        ("Billing Dept", 2, 3, 4, 3, 3, 3, 0, False),
        ("Field Service", 1, 1, 2, 1, 1, 1, 0, False),
        ("FastShip Ltd", 2, 2, 5, 3, 3, 2, 1, True),
    ]


def test_staff_figures(db: Database, history: History) -> None:
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
    people = {
        p.name: (p.delegated, p.reports, p.reports_on_time, p.satisfied, p.reopened,
                 p.median_days_to_report)
        for p in summary.staff
    }  # fmt: skip
    assert people == {
        "Łukasz Nowak": (2, 3, 2, 2, 0, 4.0),
        "Zoë Martin": (2, 1, 1, 1, 0, 1.0),
        "Jürgen Weiß": (4, 5, 3, 2, 1, 3.0),
        "Ольга Петрова": (1, 2, 1, 1, 0, 11.0),
    }


def test_warnings_repeats_and_appendix(db: Database, history: History) -> None:
    r = history.refs
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
    assert [(c.name, c.complaints, c.this_month) for c in summary.repeat_customers] == [
        ("Ольга Иванова", 2, 2)
    ]
    assert [(f.reference, f.terms) for f in summary.flagged] == [(r["M2"], ["can't", "policy"])]
    assert [(x.reference, x.loyalty) for x in summary.at_risk] == [
        (r["M9"], Loyalty.LEAVING),
        (r["M2"], Loyalty.AT_RISK),
    ]
    lines = [(a.reference, a.outcome) for a in summary.appendix]
    assert lines == [
        (r["O1"], Status.RESOLVED),
        (r["O2"], Status.RESOLVED),
        (r["F2"], Status.RESOLVED),
        (r["M1"], Status.RESOLVED),
        (r["M2"], Status.RESOLVED),
        (r["M3"], Status.DELEGATED),
        (r["M4"], Status.AWAITING_CALLBACK),
        (r["M5"], Status.WITHDRAWN),
        (r["M6"], Status.UNREACHABLE),
        (r["M8"], Status.AWAITING_CALLBACK),
        (r["M9"], Status.RESOLVED),
        (r["M7"], Status.NEW),
    ]


def test_an_empty_month_gives_zeros_not_errors(db: Database) -> None:
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
    assert summary.headline.received == 0
    assert summary.headline.median_days_to_report is None
    assert summary.headline.first_callback_share is None
    assert summary.units == [] and summary.appendix == [] and summary.slipping == []
    assert sum(w.count for w in summary.weeks) == 0


def test_a_month_not_begun_is_refused(db: Database) -> None:
    with db.reading() as uow, pytest.raises(ValidationError, match="has not begun"):
        stats.monthly_summary(uow, policy.Month(2026, 5), now=AFTER_MARCH)


def test_open_states_agree_with_todays_status(db: Database, history: History) -> None:
    """Reconstructed "now" must equal the denormalised status the app shows."""
    now = AFTER_MARCH
    with db.reading() as uow:
        states = open_states_at(uow, now)
        from ceo_desk.core.queries import ComplaintFilter, list_complaints

        rows = list_complaints(uow, ComplaintFilter(open_only=True), today=now.date())
    assert sorted((s.reference, s.status, s.due_on) for s in states) == sorted(
        (row.reference, row.status, row.due_on) for row in rows
    )
