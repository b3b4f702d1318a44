"""Settings → People, the CEO's "To countersign" section on Today, and the screens offering
only what the person's roles allow."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ceo_desk.core import identity
from ceo_desk.core.services import complaints, countersign, people
from ceo_desk.enums import Outcome, Role, Status
from ceo_desk.ui.dialogs.settings_people import PeoplePage
from ceo_desk.ui.views.today import TodayView
from tests.builders import Office, awaiting_callback, person, stored_detail
from tests.ui.screens import open_complaint_window, show_and_wait

ME = identity.os_account()


def _people(qtbot: QtBot, office: Office) -> PeoplePage:
    page = PeoplePage(office.db)
    show_and_wait(qtbot, page, page.loaded, (900, 600))
    return page


def _grants(office: Office) -> set[tuple[str, Role]]:
    with office.db.reading() as uow:
        return {(g.identity, g.role) for g in people.list_grants(uow)}


def test_people_page_lists_grants_and_grants_a_delegate(
    qtbot: QtBot, office: Office, qtmodeltester: ModelTester
) -> None:
    page = _people(qtbot, office)
    qtmodeltester.check(page.model)
    assert {(r.identity, r.role) for r in page.model.rows()} == _grants(office)
    assert page.grant_button.isEnabled() and not page.staff.isEnabled()
    page.identity.setText("wchen")
    page.role.setCurrentIndex(page.role.findData(Role.DELEGATE.value))
    assert page.staff.isEnabled()
    page.staff.setCurrentIndex(page.staff.findData(office.chen))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.grant_button.click()
    assert ("wchen", Role.DELEGATE) in _grants(office)
    assert "wchen now holds the Delegate role" in page.done_label.text()
    assert any(r.identity == "wchen" and r.staff_name == "Wei Chen" for r in page.model.rows())


def test_people_page_refuses_to_revoke_the_last_owner(qtbot: QtBot, office: Office) -> None:
    page = _people(qtbot, office)
    row = page.model.row_of(lambda g: g.identity == ME and g.role is Role.OWNER)
    page.table.selectRow(row)
    assert page.revoke_button.isEnabled()
    page.revoke_button.click()
    qtbot.waitUntil(lambda: page.error.isVisible(), timeout=10_000)
    assert "last owner" in page.error.text()
    assert (ME, Role.OWNER) in _grants(office)


def test_people_page_is_read_only_for_someone_who_is_not_an_owner(
    qtbot: QtBot, office: Office
) -> None:
    page = PeoplePage(person(office.db, "amy", Role.ASSISTANT))
    show_and_wait(qtbot, page, page.loaded, (900, 600))
    assert not page.grant_button.isEnabled() and not page.identity.isEnabled()
    assert "only an owner grants" in page.intro.text()


def test_the_ceo_countersigns_from_today_with_one_click(qtbot: QtBot, office: Office) -> None:
    ref = awaiting_callback(office.db, office.ortiz)
    assistant = person(office.db, "amy", Role.ASSISTANT)
    with assistant.transaction() as uow:
        countersign.report_ceo_satisfied(
            uow, ref, complaints.CallbackInput(Outcome.SATISFIED, satisfaction=4)
        )
    ceo = person(office.db, "mwang", Role.CEO)
    view = TodayView(ceo)
    show_and_wait(qtbot, view, view.countersign.refreshed, (1366, 768))
    panel = view.countersign
    assert panel.isVisible()
    assert panel.heading.text() == "To countersign: 1"
    assert [r.reference for r in panel.model.rows()] == [ref]
    assert stored_detail(office.db, ref).status is Status.AWAITING_CALLBACK
    with qtbot.waitSignal(view.complaint_changed, timeout=10_000):
        panel.countersign_button.click()
    assert stored_detail(office.db, ref).status is Status.RESOLVED
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=10_000)


def test_an_assistants_brief_records_the_ceos_report_and_hides_the_ceos_actions(
    qtbot: QtBot, office: Office
) -> None:
    ref = awaiting_callback(office.db, office.ortiz)
    view = TodayView(person(office.db, "amy", Role.ASSISTANT))
    show_and_wait(qtbot, view, view.refreshed, (1366, 768))
    view.set_roles(frozenset({Role.ASSISTANT}))
    qtbot.waitUntil(lambda: view.brief.reference == ref)
    brief = view.brief
    assert brief._satisfied.text() == "The CEO reports: &satisfied — Ana Lima"  # names the customer
    assert not brief._send_back.isVisible()
    with qtbot.waitSignal(view.complaint_changed, timeout=10_000):
        brief._satisfied.click()
    assert stored_detail(office.db, ref).status is Status.AWAITING_CALLBACK
    assert not view.countersign.isVisible()  # the assistant does not countersign
    with office.db.reading() as uow:
        assert [w.reference for w in countersign.awaiting_countersign(uow)] == [ref]


def test_the_complaint_window_offers_only_what_the_roles_allow(
    qtbot: QtBot, office: Office
) -> None:
    from ceo_desk.core.lifecycle import Action

    ref = awaiting_callback(office.db, office.ortiz)
    window = open_complaint_window(qtbot, person(office.db, "amy", Role.ASSISTANT), ref)
    buttons = window.action_controller.buttons
    assert not buttons[Action.SEND_BACK].isVisible()
    assert buttons[Action.RECORD_CALLBACK].isVisible()
    both = open_complaint_window(qtbot, office.db, ref)
    assert both.action_controller.buttons[Action.SEND_BACK].isVisible()
