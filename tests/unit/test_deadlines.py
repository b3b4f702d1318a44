"""The final-response deadline: weeks from receipt, moved by paused days, with its warning."""

from __future__ import annotations

from datetime import date

import pytest

from ceo_desk.core import deadlines, policy
from ceo_desk.settings import OfficeSettings

RECEIVED = date(2026, 3, 2)  # a Monday
SETTINGS = OfficeSettings()


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 4, 12), "ok"),  # the day before six weeks
        (date(2026, 4, 13), "warning"),  # six weeks
        (date(2026, 4, 27), "warning"),  # eight weeks: the deadline day itself
        (date(2026, 4, 28), "overdue"),
    ],
)
def test_the_deadline_is_eight_weeks_after_receipt_with_a_warning_at_six(
    today: date, state: str
) -> None:
    found = deadlines.final_response(RECEIVED, SETTINGS, today=today)
    assert (found.due, found.warning_from, found.state) == (
        date(2026, 4, 27),
        date(2026, 4, 13),
        state,
    )


def test_paused_days_move_the_deadline_and_its_warning() -> None:
    pauses = [(date(2026, 3, 10), date(2026, 3, 20)), (date(2026, 4, 1), date(2026, 4, 3))]
    found = deadlines.final_response(RECEIVED, SETTINGS, pauses, today=date(2026, 4, 28))
    assert found.paused_days == 12
    assert found.due == date(2026, 5, 9)
    assert found.warning_from == date(2026, 4, 25)
    assert found.state == "warning"


def test_a_closed_complaint_has_met_its_deadline_and_says_when_late() -> None:
    on_time = deadlines.final_response(
        RECEIVED, SETTINGS, today=date(2026, 6, 1), closed_on=date(2026, 4, 27)
    )
    late = deadlines.final_response(
        RECEIVED, SETTINGS, today=date(2026, 6, 1), closed_on=date(2026, 4, 28)
    )
    assert (on_time.state, on_time.late) == ("met", False)
    assert (late.state, late.late) == ("met", True)


def test_the_weeks_are_settings() -> None:
    settings = OfficeSettings(final_response_weeks=4, final_response_warning_weeks=3)
    found = deadlines.final_response(RECEIVED, settings, today=date(2026, 3, 23))
    assert (found.due, found.state) == (date(2026, 3, 30), "warning")


def test_business_days_leave_out_the_paused_ones() -> None:
    # Monday 2 to Monday 16 March: ten business days; paused Wednesday 4 to Tuesday 10 (Thu, Fri,
    # Mon, Tue: four business days stood still).
    pauses = [(date(2026, 3, 4), date(2026, 3, 10))]
    assert policy.business_days_between(date(2026, 3, 2), date(2026, 3, 16), SETTINGS) == 10
    assert policy.business_days_unpaused(date(2026, 3, 2), date(2026, 3, 16), pauses, SETTINGS) == 6
    # A pause partly outside the measured stretch counts only inside it.
    assert policy.business_days_unpaused(date(2026, 3, 6), date(2026, 3, 16), pauses, SETTINGS) == 4
    cached = policy.BusinessDays(SETTINGS)
    assert cached.between_unpaused(date(2026, 3, 2), date(2026, 3, 16), pauses) == 6


def test_a_list_cell_says_how_near_or_late_and_whether_paused() -> None:
    def cell(today: date, **kw: object) -> str:
        return deadlines.final_response(RECEIVED, SETTINGS, today=today, **kw).short(today)  # type: ignore[arg-type]

    assert cell(date(2026, 3, 10)) == "2026-04-27"
    assert cell(date(2026, 4, 18)) == "2026-04-27 (9 days left)"
    assert cell(date(2026, 4, 27)) == "2026-04-27 (due today)"
    assert cell(date(2026, 4, 28)) == "2026-04-27 (1 day late)"
    assert cell(date(2026, 3, 10), paused_now=True) == "2026-04-27 (paused)"
    assert cell(date(2026, 5, 1), closed_on=date(2026, 4, 20)) == "met"
    assert cell(date(2026, 5, 1), closed_on=date(2026, 4, 30)) == "met late"


def test_the_warning_must_come_before_the_deadline() -> None:
    from ceo_desk import settings as office_settings
    from ceo_desk.errors import ValidationError

    with pytest.raises(ValidationError, match="must come before the deadline"):
        office_settings.validate(
            OfficeSettings(final_response_weeks=6, final_response_warning_weeks=6)
        )
    office_settings.validate(OfficeSettings(final_response_weeks=6, final_response_warning_weeks=5))
