"""Today's order: what is at stake on each call, and the reasons it is where it is."""

from __future__ import annotations

from datetime import date, timedelta

from ceo_desk.core.risk import assess
from ceo_desk.enums import ReputationFlag, Severity

TODAY = date(2026, 3, 9)


def _risk(**given: object) -> tuple[int, str]:
    values: dict[str, object] = {
        "severity": Severity.NORMAL,
        "vulnerable": False,
        "flags": (),
        "promise_due_on": None,
        "promise_warning_until": TODAY + timedelta(days=2),
        "waiting_since": TODAY,
        "today": TODAY,
    } | given
    found = assess(**values)  # type: ignore[arg-type]
    return found.score, found.text


def test_each_reason_is_named_and_the_heaviest_come_first() -> None:
    score, text = _risk(
        severity=Severity.HIGH,
        vulnerable=True,
        flags=(ReputationFlag.SOCIAL_MEDIA, ReputationFlag.MP),
        promise_due_on=TODAY - timedelta(days=2),
        waiting_since=TODAY - timedelta(days=5),
    )
    assert text == (
        "High · vulnerable customer · promise overdue 2 days · MP · Social media · 5 days waiting"
    )
    assert score == 25 + 30 + 30 + 25 + 15 + 5


def test_a_vulnerable_customer_outranks_a_longer_wait() -> None:
    vulnerable, _ = _risk(vulnerable=True, waiting_since=TODAY - timedelta(days=1))
    waited, _ = _risk(waiting_since=TODAY - timedelta(days=20))
    assert vulnerable > waited


def test_a_promise_counts_only_when_nearly_due() -> None:
    assert _risk(promise_due_on=TODAY)[1] == "Normal · promise due today"
    assert _risk(promise_due_on=TODAY + timedelta(days=2))[1] == "Normal · promise due Wed 11 Mar"
    assert _risk(promise_due_on=TODAY + timedelta(days=3))[1] == "Normal"


def test_waiting_stops_counting_after_a_month() -> None:
    month, _ = _risk(waiting_since=TODAY - timedelta(days=30))
    year, text = _risk(waiting_since=TODAY - timedelta(days=365))
    assert month == year and text == "Normal · 365 days waiting"
