"""The sidebar shows each list with its icon and how much work it holds, overdue apart."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.enums import Outcome, Role
from tests import builders
from tests.builders import Office
from tests.ui.screens import show_main_window


def _work(office: Office) -> list[str]:
    """Two callbacks overdue, one report overdue and one due tomorrow, one call not delegated."""
    db, today = office.db, SYSTEM_CLOCK.today()
    six_days_ago = builders.days_ago(6)
    late_calls = [
        builders.awaiting_callback(
            db, office.ortiz, f"Caller {n}", phone=f"+1202555011{n}", reported_at=six_days_ago
        )
        for n in range(2)
    ]
    late_report = builders.log(db, "Ben Ode", "Lost parcel")
    yesterday = today - timedelta(days=1)
    builders.delegate(db, late_report, office.chen, builders.days_ago(4), due_on=yesterday)
    soon = builders.log(db, "Cy Ray", "Rude driver")
    builders.delegate(db, soon, office.chen, due_on=today)
    builders.log(db, "Di Fox", "Wrong meter reading")
    return late_calls


def test_each_list_shows_its_count_and_the_overdue_part(qtbot: QtBot, office: Office) -> None:
    late_calls = _work(office)
    window = show_main_window(qtbot, office, Role.CEO)
    nav = window.nav

    assert nav.count_of("today") == (2, 2)
    assert nav.count_of("chase") == (2, 1)
    assert nav.count_of("all") == (5, 3)
    assert nav.count_of("directory") == (None, 0)  # a page that lists no work has no count
    today = nav.item_of("today")
    assert today is not None
    assert today.data(0x0B) == "Today, 2, 2 overdue"  # what a screen reader says
    assert not today.icon().isNull()

    builders.callback(office.db, late_calls[0], Outcome.SATISFIED, satisfaction=5)
    qtbot.waitUntil(lambda: nav.count_of("today") == (1, 1), timeout=10_000)


def test_the_sidebar_is_wide_enough_for_titles_and_counts(qtbot: QtBot, office: Office) -> None:
    _work(office)
    window = show_main_window(qtbot, office, Role.CEO)
    nav = window.nav
    for row in range(nav.count()):
        assert nav.sizeHintForRow(row) <= nav.viewport().width()


def test_a_delegate_sees_the_reports_they_owe_beside_my_work(qtbot: QtBot, office: Office) -> None:
    _work(office)  # Wei Chen owes two reports, one of them late
    chen = builders.person(office.db, "wchen", Role.DELEGATE, staff=office.chen)
    window = show_main_window(qtbot, Office(chen, office.ortiz, office.chen, office.baker))
    qtbot.waitUntil(lambda: window.nav.count_of("my_work") == (2, 1), timeout=10_000)
    # The other lists count only what a delegate may see, as they list it.
    assert window.nav.count_of("all") == (2, 1)
    assert window.nav.count_of("chase") == (2, 1)
    assert window.nav.count_of("today") == (0, 0)

    owner = show_main_window(qtbot, office)  # not a delegate: nothing to count
    assert owner.nav.count_of("my_work") == (None, 0)
