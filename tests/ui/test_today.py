"""The CEO's Today list and the call brief with its outcome buttons."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QFont, QGuiApplication, QTextDocument
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ceo_desk.core import queries
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import complaints, countersign, promises
from ceo_desk.enums import Loyalty, Outcome, Role, Status
from ceo_desk.ui import qsettings_store
from ceo_desk.ui.dialogs.callback_outcome import NotSatisfiedDialog, Reassignment, SendBackDialog
from ceo_desk.ui.main_window import MainWindow
from ceo_desk.ui.views import call_brief
from ceo_desk.ui.views.today import TodayView
from tests.builders import (
    Office,
    awaiting_callback,
    days_ago,
    log,
    person,
    stored_detail,
    unanswered,
)
from tests.ui.screens import show_and_wait


def _today(qtbot: QtBot, office: Office) -> TodayView:
    view = TodayView(office.db)
    show_and_wait(qtbot, view, view.refreshed, (1200, 700))
    return view


def _row_centre(view: TodayView, row: int) -> QPoint:
    return view.table.visualRect(view.model.index(row, 1)).center()


def _shown(qtbot: QtBot, view: TodayView, reference: str) -> None:
    qtbot.waitUntil(lambda: view.brief.reference == reference)


def test_lists_due_and_overdue_callbacks_oldest_first_with_a_count(
    qtbot: QtBot, office: Office
) -> None:
    newer = awaiting_callback(
        office.db, office.ortiz, "Bea Cruz", phone="+12025550102", reported_at=days_ago(2)
    )
    older = awaiting_callback(office.db, office.ortiz, "Ana Lima", reported_at=days_ago(9))
    log(office.db, "Not Due", "Still new", "+12025550199")
    view = _today(qtbot, office)
    assert [r.reference for r in view.model.rows()] == [older, newer]
    assert view.heading.text() == "Callbacks due: 2"
    assert "overdue" in view.model.data(view.model.index(0, 0))
    # the first one is selected and its brief shown
    _shown(qtbot, view, older)


def test_model_passes_the_model_tester(
    qtbot: QtBot, office: Office, qtmodeltester: ModelTester
) -> None:
    awaiting_callback(office.db, office.ortiz)
    view = _today(qtbot, office)
    qtmodeltester.check(view.model)


def test_empty_list_says_nothing_is_waiting(qtbot: QtBot, office: Office) -> None:
    view = _today(qtbot, office)
    assert view.heading.text() == "Callbacks due: 0"
    assert "Nothing is waiting" in view.subheading.text()
    assert view.brief.reference is None


def test_brief_shows_customer_phone_link_promise_and_report(qtbot: QtBot, office: Office) -> None:
    ref = awaiting_callback(office.db, office.ortiz, ceo_promised="A refund within a week")
    view = _today(qtbot, office)
    _shown(qtbot, view, ref)
    text = view.brief.brief_text()
    for expected in (
        "Ana Lima",
        "+1 202-555-0101",
        "Invoice charged twice",
        "What you promised",
        "A refund within a week",
        "Report from Jamie Ortiz",
        "Apologised and explained the double charge.",
        "Refunded the second charge.",
        "Voucher (USD 25.00)",
    ):
        assert expected in text
    assert "tel:+12025550101" in view.brief._browser.toHtml()
    assert view.brief.flag_text() == ""


def test_phone_link_opens_the_dialer(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url.toString())
        return True

    monkeypatch.setattr(call_brief, "open_url", open_url)
    awaiting_callback(office.db, office.ortiz)
    view = _today(qtbot, office)
    qtbot.waitUntil(lambda: view.brief.reference is not None)
    view.brief._browser.anchorClicked.emit(QUrl("tel:+12025550101"))
    assert opened == ["tel:+12025550101"]


def highlighted_runs(document: QTextDocument) -> list[str]:
    """The runs of text shown underlined and bold (links aside), in reading order, with any line
    break inside a run read as a space."""
    runs: list[str] = []
    block = document.begin()
    while block.isValid():
        current = ""
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            style = fragment.charFormat()
            bold = style.fontWeight() >= QFont.Weight.Bold
            if style.fontUnderline() and bold and not style.isAnchor():
                current += fragment.text()
            elif current:
                runs.append(" ".join(current.split()))
                current = ""
            it += 1
        if current:
            runs.append(" ".join(current.split()))
        block = block.next()
    return runs


def test_flagged_report_is_visibly_marked(qtbot: QtBot, office: Office) -> None:
    ref = awaiting_callback(
        office.db,
        office.ortiz,
        said="We can\u2019t refund after 30 days; our Policy is clear.",
        done="Nothing, as it is not\npossible.",
    )
    view = _today(qtbot, office)
    _shown(qtbot, view, ref)
    flag = view.brief.flag_text()
    for term in ("can't", "policy", "not possible"):
        assert f"“{term}”" in flag
    # Every flagged phrase is highlighted where it stands, as typed, and nothing else is.
    assert highlighted_runs(view.brief._browser.document()) == [
        "can\u2019t",
        "Policy",
        "not possible",
    ]
    icon = view.model.data(view.model.index(0, 2), 1)  # DecorationRole
    assert icon is not None


def test_satisfied_in_one_click_resolves_and_the_next_call_is_one_click_away(
    qtbot: QtBot, office: Office
) -> None:
    first = awaiting_callback(office.db, office.ortiz, reported_at=days_ago(5))
    second = awaiting_callback(office.db, office.ortiz, "Bea Cruz", phone="+12025550102")
    view = _today(qtbot, office)
    _shown(qtbot, view, first)
    view.brief._score.setCurrentIndex(view.brief._score.findData(5))
    view.brief._loyalty.setCurrentIndex(view.brief._loyalty.findData(Loyalty.STAYING))
    view.brief._words.setText("Thank you, all sorted")
    with qtbot.waitSignal(view.complaint_changed):
        view.brief._satisfied.click()
    qtbot.waitUntil(lambda: view.heading.text() == "Callbacks due: 1")
    detail = stored_detail(office.db, first)
    assert detail.status is Status.RESOLVED
    callback = detail.callbacks[-1]
    assert (callback.outcome, callback.satisfaction, callback.loyalty) == (
        Outcome.SATISFIED,
        5,
        Loyalty.STAYING,
    )
    assert callback.customer_words == "Thank you, all sorted"
    # The finished call stays where it was, greyed; the next one is a click away.
    assert [r.reference for r in view.model.rows()] == [first, second]
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=_row_centre(view, 1))
    _shown(qtbot, view, second)
    qtbot.waitUntil(view.brief._satisfied.isEnabled)
    view.drop_finished_rows()
    qtbot.waitUntil(lambda: [r.reference for r in view.model.rows()] == [second])


@pytest.mark.parametrize("outcome", [Outcome.NO_ANSWER, Outcome.VOICEMAIL])
def test_unanswered_call_counts_an_attempt_and_moves_the_callback(
    qtbot: QtBot, office: Office, outcome: Outcome
) -> None:
    ref = awaiting_callback(office.db, office.ortiz)
    view = _today(qtbot, office)
    _shown(qtbot, view, ref)
    view.brief._score.setCurrentIndex(3)  # ignored: nobody answered
    button = view.brief._no_answer if outcome is Outcome.NO_ANSWER else view.brief._voicemail
    with qtbot.waitSignal(view.complaint_changed):
        button.click()
    qtbot.waitUntil(lambda: view.heading.text() == "Callbacks due: 0")
    detail = stored_detail(office.db, ref)
    assert detail.status is Status.AWAITING_CALLBACK
    assert detail.unanswered_attempts == 1
    assert detail.callbacks[-1].outcome is outcome
    assert detail.callbacks[-1].satisfaction is None
    assert detail.callback_due_on is not None and detail.callback_due_on > date.today()


def test_not_satisfied_redelegates_to_the_chosen_person(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = awaiting_callback(office.db, office.ortiz)
    asked: list[int | None] = []

    def ask(parent: object, db: object, detail: queries.ComplaintDetail) -> Reassignment:
        asked.append(detail.current_delegate_id)
        return Reassignment(office.chen, date.today(), "Refund the second charge today")

    monkeypatch.setattr(NotSatisfiedDialog, "ask", ask)
    view = _today(qtbot, office)
    _shown(qtbot, view, ref)
    view.brief._words.setText("Still charged twice")
    with qtbot.waitSignal(view.complaint_changed):
        view.brief._not_satisfied.click()
    assert asked == [office.ortiz]
    detail = stored_detail(office.db, ref)
    assert detail.status is Status.DELEGATED
    assert detail.current_delegate == "Wei Chen"
    assert detail.report_due_on == date.today()
    assert detail.reopen_count == 1
    assert detail.delegations[-1].instructions.endswith(
        "Instructions: Refund the second charge today"
    )


def test_not_satisfied_dialog_preselects_the_same_delegate_and_asks_for_instructions(
    qtbot: QtBot, office: Office
) -> None:
    ref = awaiting_callback(office.db, office.ortiz)
    dialog = NotSatisfiedDialog(office.db, stored_detail(office.db, ref))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.choices_loaded):
        dialog.show()
    assert dialog.staff.staff_id() == office.ortiz
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.choice is None
    assert "what to do this time" in dialog.instructions_error.text()
    assert dialog.instructions.hasFocus()
    qtbot.keyClicks(dialog.instructions, "Call her first")
    assert not dialog.instructions_error.isVisibleTo(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.choice is not None
    assert (dialog.choice.staff_id, dialog.choice.instructions) == (office.ortiz, "Call her first")


def test_cancelled_not_satisfied_changes_nothing(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = awaiting_callback(office.db, office.ortiz)
    monkeypatch.setattr(NotSatisfiedDialog, "ask", lambda *a: None)
    view = _today(qtbot, office)
    _shown(qtbot, view, ref)
    view.brief._not_satisfied.click()
    assert stored_detail(office.db, ref).callbacks == []


def test_send_report_back_before_calling(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = awaiting_callback(office.db, office.ortiz)
    monkeypatch.setattr(SendBackDialog, "ask", lambda *a: "Say what the refund amount was.")
    view = _today(qtbot, office)
    _shown(qtbot, view, ref)
    with qtbot.waitSignal(view.complaint_changed):
        view.brief._send_back.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    detail = stored_detail(office.db, ref)
    assert detail.status is Status.DELEGATED
    assert detail.reports[-1].sent_back_comment == "Say what the refund amount was."


def test_mark_unreachable_offered_only_after_enough_attempts(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = awaiting_callback(office.db, office.ortiz)
    view = _today(qtbot, office)
    _shown(qtbot, view, ref)
    assert not view.brief._unreachable.isEnabled()

    monkeypatch.setattr(call_brief, "confirm_unreachable", lambda *a: True)
    unanswered(office.db, ref, 3)
    with office.db.transaction() as uow:  # make the next attempt due again
        complaint = complaints.load(uow, ref)
        complaint.callback_due_on = date.today()
    view.refresh()
    qtbot.waitUntil(
        lambda: view.brief.detail is not None and view.brief.detail.unanswered_attempts == 3
    )
    assert view.brief._unreachable.isEnabled()
    with qtbot.waitSignal(view.complaint_changed):
        view.brief._unreachable.click()
    assert stored_detail(office.db, ref).status is Status.UNREACHABLE


def test_outcome_saved_elsewhere_meanwhile_is_refused_as_a_conflict(
    qtbot: QtBot, office: Office
) -> None:
    from ceo_desk.ui import error_dialogs

    ref = awaiting_callback(office.db, office.ortiz)
    view = _today(qtbot, office)
    _shown(qtbot, view, ref)
    with office.db.transaction() as uow:
        complaints.record_callback(uow, ref, complaints.CallbackInput(outcome=Outcome.NO_ANSWER))
    view.brief._satisfied.click()
    qtbot.waitUntil(lambda: bool(error_dialogs.shown))
    assert "changed by someone else" in error_dialogs.shown[-1].text()
    assert stored_detail(office.db, ref).status is Status.AWAITING_CALLBACK
    assert view.brief._satisfied.isEnabled()


def test_a_callback_waiting_for_the_countersignature_is_listed_once_to_countersign(
    qtbot: QtBot, office: Office
) -> None:
    waiting = awaiting_callback(office.db, office.ortiz, "Ana Lima", reported_at=days_ago(3))
    due = awaiting_callback(
        office.db, office.ortiz, "Bea Cruz", phone="+12025550102", reported_at=days_ago(2)
    )
    with person(office.db, "amy", Role.ASSISTANT).transaction() as uow:
        countersign.report_ceo_satisfied(
            uow, waiting, complaints.CallbackInput(Outcome.SATISFIED, satisfaction=5)
        )
    view = TodayView(person(office.db, "mwang", Role.CEO))
    show_and_wait(qtbot, view, view.countersign.refreshed, (1366, 768))
    qtbot.waitUntil(lambda: view.heading.text() == "Callbacks due: 1", timeout=10_000)
    assert [r.reference for r in view.model.rows()] == [due]
    assert view.countersign.heading.text() == "To countersign: 1"
    assert [r.reference for r in view.countersign.model.rows()] == [waiting]


# ---------------------------------------------------------------- the list beside the brief


def _main_window_on(qtbot: QtBot, office: Office, screen_name: str) -> MainWindow:
    """The CEO's window maximised on an offscreen desk screen (tests/ui/desk_screens.json)."""
    screen = next(s for s in QGuiApplication.screens() if s.name() == screen_name)
    window = MainWindow(office.db, Role.CEO)
    qtbot.addWidget(window)
    window.setScreen(screen)
    window.setGeometry(screen.availableGeometry().adjusted(0, 30, 0, 0))
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.show()
    qtbot.waitUntil(lambda: window.today.model.rowCount() > 0)
    brief = window.today.brief
    qtbot.waitUntil(lambda: brief.reference != "")  # the brief needs more room once filled
    qtbot.waitUntil(lambda: brief.width() >= brief.minimumSizeHint().width())
    return window


@pytest.mark.parametrize("screen_name", ["desk-100", "desk-150"])
def test_the_list_beside_the_brief_shows_whole_customer_names(
    qtbot: QtBot, office: Office, screen_name: str
) -> None:
    for number, name in enumerate(("Priya Natarajan", "Oluwaseun Adeyemi", "Farah Novák")):
        awaiting_callback(office.db, office.ortiz, name, phone=f"+1202555010{number}")
    view = _main_window_on(qtbot, office, screen_name).today
    header, table = view.table.horizontalHeader(), view.table
    for column in (0, 1):  # the due day and the customer's name, whole and in view
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), column
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= table.viewport().width(), (column, right, table.viewport().width())
    # The brief beside it still names the customer on its buttons, whole.
    satisfied = view.brief._satisfied
    assert satisfied.width() >= satisfied.sizeHint().width()


def _today_filled(qtbot: QtBot, office: Office) -> TodayView:
    """Today at the room it has beside the sidebar at 150% on a laptop, its brief filled."""
    view = TodayView(office.db)
    show_and_wait(qtbot, view, view.refreshed, (720, 440))
    qtbot.waitUntil(lambda: view.brief.reference != "")
    qtbot.waitUntil(lambda: view.brief.width() >= view.brief.minimumSizeHint().width())
    return view


def test_a_width_the_person_dragged_comes_back(qtbot: QtBot, office: Office) -> None:
    awaiting_callback(office.db, office.ortiz, "Priya Natarajan")
    view = _today_filled(qtbot, office)
    splitter = view.splitter
    handle = splitter.handle(1)
    start = QPoint(handle.width() // 2, handle.height() // 2)
    list_width = splitter.sizes()[0]
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(handle, start + QPoint(-30, 0))
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=start + QPoint(-30, 0))
    dragged = splitter.sizes()[0]
    assert dragged < list_width
    qsettings_store.save_all()  # as the main window does when it closes
    view.close()
    qsettings_store.reset()
    assert _today_filled(qtbot, office).splitter.sizes()[0] == dragged


def _fill_today_for_a_desk(office: Office) -> str:
    """Four callbacks, the first long waiting with a report that leans on "can't"."""
    flagged = awaiting_callback(
        office.db,
        office.ortiz,
        "Oluwaseun Adeyemi",
        "Parcel lost twice, refund refused",
        logged_at=days_ago(24),
        said="We can\u2019t refund after 30 days; our Policy is clear.",
    )
    for number, name in enumerate(("Priya Natarajan", "Farah Novák", "Ben Ode")):
        awaiting_callback(office.db, office.ortiz, name, phone=f"+1202555010{number}")
    return flagged


@pytest.mark.parametrize("screen_name", ["desk-100", "desk-150"])
def test_why_first_is_read_whole_without_scrolling_sideways(
    qtbot: QtBot, office: Office, screen_name: str
) -> None:
    from ceo_desk.ui.views.today_columns import WHY

    flagged = _fill_today_for_a_desk(office)
    view = _main_window_on(qtbot, office, screen_name).today
    table, header = view.table, view.table.horizontalHeader()
    assert not table.horizontalScrollBar().isVisible()
    shown = [n for n in range(view.model.columnCount()) if not header.isSectionHidden(n)]
    for column in shown:  # every column shown lies wholly in view
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= table.viewport().width(), (column, right, table.viewport().width())
    first = view.model.row_of(lambda r: r.reference == flagged)
    reasons = view.model.risks[flagged].text
    assert "24 days waiting" in reasons
    tip = str(view.model.data(view.model.index(first, 1), Qt.ItemDataRole.ToolTipRole))
    assert "24 days waiting" in tip
    if screen_name == "desk-100":  # beside the brief at 100%, "Why first" is a column, uncut
        assert WHY in shown
        assert header.sectionSize(WHY) >= table.sizeHintForColumn(WHY)
    # What the list folded away is in each row's tooltip; and the brief says why it is first.
    for column in set(range(view.model.columnCount())) - set(shown) - {WHY}:
        title = str(view.model.headerData(column, Qt.Orientation.Horizontal))
        assert f"{title}:" in tip, (title, tip)
    qtbot.waitUntil(lambda: view.brief.reference == flagged)
    assert f"Why first: {reasons}" in view.brief.brief_text()


def test_a_flagged_report_and_a_promise_leave_the_brief_its_name_and_phone_at_150_percent(
    qtbot: QtBot, office: Office
) -> None:
    flagged = _fill_today_for_a_desk(office)
    with office.db.transaction() as uow:  # its ticks take their room below the brief too
        promises.add(
            uow,
            flagged,
            [promises.PromiseInput("The refund in the customer's account", SYSTEM_CLOCK.today())],
        )
    brief = _main_window_on(qtbot, office, "desk-150").today.brief
    qtbot.waitUntil(lambda: brief.reference == flagged)
    assert "can't" in brief.flag_text()
    assert brief.promise_ticks.isVisible()
    browser = brief._browser
    assert browser.viewport().height() >= 100
    for text in ("Oluwaseun Adeyemi", "+1 202-555-0101"):
        found = browser.document().find(text)
        assert not found.isNull(), text
        seen = browser.cursorRect(found)
        assert seen.top() >= 0 and seen.bottom() <= browser.viewport().height(), (text, seen)
