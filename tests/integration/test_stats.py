"""The monthly figures, checked on the hand-built March history (tests/march_history.py) whose
answers are worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ceo_desk.core import policy, stats
from ceo_desk.core.history import open_states_at
from ceo_desk.core.services import office
from ceo_desk.enums import Loyalty, Status
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import Database
from tests.march_history import AFTER_MARCH, MARCH, History, build_history


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
        # Business days, as every day the pack counts, to Wednesday 1 April: M3's report was due
        # 16 calendar days before, M4's call 12.
        (r["M3"], Status.DELEGATED, date(2026, 3, 16), 12),
        (r["M4"], Status.AWAITING_CALLBACK, date(2026, 3, 20), 8),
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
    # The resolved ones as before: M9; F2, M1, M2; O2; O1.
    assert summary.buckets.exclusive(Status.RESOLVED) == {
        stats.WITHIN_3_BUSINESS_DAYS: 1,
        stats.WITHIN_4_WEEKS: 3,
        stats.FOUR_TO_8_WEEKS: 1,
        stats.OVER_8_WEEKS: 1,
    }
    # Every closing counts, with its kind: M5 withdrawn in 2 business days, M6 unreachable in 5.
    assert summary.buckets.exclusive(Status.WITHDRAWN)[stats.WITHIN_3_BUSINESS_DAYS] == 1
    assert summary.buckets.exclusive(Status.UNREACHABLE)[stats.WITHIN_4_WEEKS] == 1
    assert summary.buckets.exclusive() == {
        stats.WITHIN_3_BUSINESS_DAYS: 2,
        stats.WITHIN_4_WEEKS: 4,
        stats.FOUR_TO_8_WEEKS: 1,
        stats.OVER_8_WEEKS: 1,
    }
    # Cumulative, as regulators count: within 8 weeks holds the faster ones too.
    assert summary.buckets.cumulative() == {
        stats.WITHIN_3_BUSINESS_DAYS: 2,
        stats.WITHIN_8_WEEKS: 7,
    }
    assert summary.buckets.cumulative(Status.RESOLVED)[stats.WITHIN_8_WEEKS] == 5
    # The buckets hold the headline's closings, each once.
    head = summary.headline
    assert summary.buckets.total() == head.resolved + head.withdrawn + head.unreachable == 8
    counts = {c.name: (c.count, c.previous) for c in summary.categories}
    assert counts["Billing"] == (3, 2)
    assert counts["Delivery"] == (2, 1)
    assert counts["Service"] == (2, 0)
    assert summary.categories[0].name == "Billing"


def test_league_table_keeps_its_figures_and_ranks_only_units_with_enough_cases(
    db: Database, history: History
) -> None:
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
    league = [
        (u.name, u.caused, u.resolved, u.reports, u.reports_on_time, u.callbacks_answered,
         u.satisfied_first, u.sent_back, u.weakest)
        for u in summary.units
    ]  # fmt: skip
    assert league == [
        ("Billing Dept", 2, 3, 4, 3, 3, 3, 0, False),
        ("FastShip Ltd", 2, 2, 5, 3, 3, 2, 1, False),
        ("Field Service", 1, 1, 2, 1, 1, 1, 0, False),
    ]
    # Billing: O2, M1, M3, M8, M9; three resolved; M3's report is still missing (late).
    # FastShip: F2, M2, M4 (3 cases, too few to rank); Field Service: O1, M6.
    cases = [(u.name, u.cases, u.cases_resolved, u.reports_missing, u.rank) for u in summary.units]
    assert cases == [
        ("Billing Dept", 5, 3, 1, 1),
        ("FastShip Ltd", 3, 2, 0, 0),
        ("Field Service", 2, 1, 0, 0),
    ]
    billing = summary.units[0]
    assert (billing.resolved_rate, billing.on_time_rate) == (3 / 5, 3 / 5)
    assert billing.trend[:2] == (None, None) and billing.trend[2] == pytest.approx(0.6)


def test_league_trend_follows_the_minimum_of_cases(db: Database, history: History) -> None:
    with db.transaction() as uow:
        office.save_settings(uow, replace(office.load_settings(uow), league_min_cases=1))
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
    trends = {u.name: u.trend for u in summary.units}
    # Billing in February: F1 resolved, O2 not (its report missing at month end): 1/2 and 1/2.
    assert trends["Billing Dept"][:2] == (None, 0.5)
    assert trends["Billing Dept"][2] == pytest.approx(0.6)
    assert trends["Field Service"] == (0.0, 0.0, 0.5)
    assert [u.rank for u in summary.units] == [1, 2, 3]
    assert [u.name for u in summary.units if u.weakest] == ["Field Service"]


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
