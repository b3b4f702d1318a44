"""The reminder mail to a delegate: wording and escaping of the mailto: link."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from ceo_desk.core.chase import chase_body, chase_mailto
from ceo_desk.core.queries import ReportToChase
from ceo_desk.enums import Severity

TODAY = date(2026, 3, 11)


def row(**changes: object) -> ReportToChase:
    values: dict[str, object] = {
        "id": 7,
        "reference": "C-2026-0042",
        "summary": "Boiler not repaired",
        "ceo_promised": "An engineer by Friday",
        "severity": Severity.HIGH,
        "delegate_id": 3,
        "delegate": "Jamie Ortiz",
        "delegate_email": "j.ortiz@example.com",
        "delegate_phone": None,
        "report_due_on": date(2026, 3, 9),
        "days_overdue": 2,
        "version": 4,
    }
    values.update(changes)
    return ReportToChase(**values)  # type: ignore[arg-type]


def _parts(url: str) -> tuple[str, dict[str, list[str]]]:
    split = urlsplit(url)
    assert split.scheme == "mailto"
    return unquote(split.path), parse_qs(split.query, keep_blank_values=True)


def test_overdue_reminder_names_reference_promise_and_due_date() -> None:
    address, query = _parts(chase_mailto(row(), TODAY))
    assert address == "j.ortiz@example.com"
    assert query["subject"] == ["Overdue report: C-2026-0042 — Boiler not repaired"]
    body = query["body"][0]
    assert body.startswith("Hello Jamie,")
    assert "C-2026-0042 was due on Monday 9 March 2026 (2 days ago)" in body
    assert "What the CEO promised the customer: An engineer by Friday" in body
    assert "\r\n" in body


def test_report_due_later_says_when() -> None:
    text = chase_body(row(report_due_on=date(2026, 3, 13), days_overdue=0), TODAY)
    assert "is due on Friday 13 March 2026" in text
    assert "ago" not in text


def test_no_promise_no_promise_line() -> None:
    assert "promised" not in chase_body(row(ceo_promised=""), TODAY)


def test_missing_email_gives_an_empty_recipient() -> None:
    address, query = _parts(chase_mailto(row(delegate_email=None), TODAY))
    assert address == ""
    assert query["subject"]


def test_characters_that_end_a_field_are_escaped() -> None:
    summary = "Refund & credit? 100% #1 a+b=c\nsecond line, Zoë"
    url = chase_mailto(row(summary=summary), TODAY)
    assert "\n" not in url and " " not in url
    _, query = _parts(url)
    assert set(query) == {"subject", "body"}
    # An email's subject is one line: a line break in the summary becomes a space there.
    assert query["subject"] == [f"Overdue report: C-2026-0042 — {' '.join(summary.split())}"]
    assert summary.replace("\n", "\r\n") in query["body"][0]


@given(st.text(min_size=1, max_size=80))
def test_any_summary_survives_the_round_trip(summary: str) -> None:
    url = chase_mailto(row(summary=summary), TODAY)
    _, query = _parts(url)
    assert set(query) == {"subject", "body"}
    assert query["subject"][0] == " ".join(f"Overdue report: C-2026-0042 — {summary}".split())
