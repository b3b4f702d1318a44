"""Logging a call and delegating it straight away."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ceo_desk.core import queries
from ceo_desk.core.services import complaints
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import Channel, Outcome, Severity, Status
from ceo_desk.ui.dialogs.delegate import DelegateDialog
from ceo_desk.ui.dialogs.log_call import LogCallDialog, describe_earlier
from tests.builders import Office, awaiting_callback, log


def _dialog(qtbot: QtBot, office: Office) -> LogCallDialog:
    dialog = LogCallDialog(office.db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.choices_loaded):
        dialog.show()
    return dialog


def test_saving_a_complete_call_logs_it_with_every_field(qtbot: QtBot, office: Office) -> None:
    dialog = _dialog(qtbot, office)
    dialog.customer_name.setText("Ana Lima")
    dialog.phone.setText("(202) 555-0101")
    dialog.email.setText("Ana@Example.com")
    dialog.summary.setText("Invoice charged twice")
    dialog.details.setPlainText("Charged on the 3rd and again on the 4th.")
    dialog.customer_wants.setPlainText("Refund of the second charge")
    dialog.severity.setCurrentIndex(dialog.severity.findData(Severity.HIGH))
    dialog.category.setCurrentIndex(dialog.category.findText("Billing"))
    dialog.channel.setCurrentIndex(dialog.channel.findData(Channel.EMAIL))
    dialog.ceo_spoke.setChecked(True)
    dialog.ceo_promised.setPlainText("Refund within a week")
    dialog.prior_contacts.setValue(3)
    dialog.caused_by.setCurrentIndex(dialog.caused_by.findText("Billing (department)"))
    dialog.organisation.setText("Lima Bakery")
    dialog.account_ref.setText("ACC-77")
    with qtbot.waitSignal(dialog.complaint_logged) as saved:
        dialog.save()
    reference, summary, severity = saved.args
    assert summary == "Invoice charged twice" and severity == "high"
    with office.db.reading() as uow:
        detail = queries.complaint_detail(uow, reference)
    assert detail.status is Status.NEW
    assert detail.customer_phone == "+12025550101"
    assert detail.customer_email == "ana@example.com"
    assert detail.category == "Billing"
    assert detail.channel is Channel.EMAIL
    assert detail.ceo_spoke and detail.ceo_promised == "Refund within a week"
    assert detail.prior_contacts == 3
    assert detail.caused_by_unit == "Billing"
    assert detail.customer_organisation == "Lima Bakery"
    assert detail.customer_account_ref == "ACC-77"
    assert detail.details.startswith("Charged on the 3rd")
    assert dialog.result() == LogCallDialog.DialogCode.Accepted


def test_missing_contact_is_shown_beside_the_phone_and_nothing_is_saved(
    qtbot: QtBot, office: Office
) -> None:
    dialog = _dialog(qtbot, office)
    dialog.customer_name.setText("Ana Lima")
    dialog.summary.setText("Invoice charged twice")
    dialog.save()
    assert dialog.errors["phone"].isVisible()
    assert "phone number or an email" in dialog.errors["phone"].text()
    assert dialog.focusWidget() is dialog.phone
    with office.db.reading() as uow:
        assert queries.count_complaints(uow, queries.ComplaintFilter()) == 0


def test_unreadable_phone_is_refused_by_the_service_and_shown_at_the_field(
    qtbot: QtBot, office: Office
) -> None:
    dialog = _dialog(qtbot, office)
    dialog.customer_name.setText("Ana Lima")
    dialog.summary.setText("Invoice charged twice")
    dialog.phone.setText("12")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors["phone"].isVisible())
    assert "'12' is not a phone number" in dialog.errors["phone"].text()
    assert not dialog.errors["customer_name"].isVisible()
    assert dialog.save_button.isEnabled()
    with office.db.reading() as uow:
        assert queries.count_complaints(uow, queries.ComplaintFilter()) == 0


def test_earlier_complaints_appear_as_soon_as_the_phone_is_typed(
    qtbot: QtBot, office: Office
) -> None:
    ref = awaiting_callback(office.db, office.ortiz, phone="+12025550101")
    with office.db.transaction() as uow:
        complaints.record_callback(uow, ref, complaints.CallbackInput(outcome=Outcome.SATISFIED))
    log(office.db, "Ana Lima", "Delivery late", "+12025550101")
    dialog = _dialog(qtbot, office)
    with qtbot.waitSignal(dialog.earlier_found, timeout=5000) as found:
        dialog.phone.setText("202-555-0101")
    text = found.args[0]
    assert text.startswith("2 earlier complaints (1 still open)")
    assert "delegate" not in text  # the latest one was never delegated
    assert "2 earlier complaints" in dialog.history_text.text()
    assert dialog.customer_name.text() == "Ana Lima"  # filled from the log


def test_a_new_caller_is_said_to_be_new(qtbot: QtBot, office: Office) -> None:
    dialog = _dialog(qtbot, office)
    with qtbot.waitSignal(dialog.earlier_found, timeout=5000) as found:
        dialog.email.setText("nobody@example.com")
    assert found.args == [""]
    assert "New caller" in dialog.history_text.text()


def test_describe_earlier_names_last_outcome_and_delegate(office: Office) -> None:
    ref = awaiting_callback(office.db, office.ortiz, phone="+12025550101")
    with office.db.transaction() as uow:
        complaints.record_callback(uow, ref, complaints.CallbackInput(outcome=Outcome.SATISFIED))
    with office.db.reading() as uow:
        found = queries.earlier_complaints(uow, phone="+12025550101", email=None)
    text = describe_earlier(found)
    assert text.startswith("1 earlier complaint; last resolved ")
    assert text.endswith("delegate Jamie Ortiz")


def test_delegation_prefills_policy_due_date_and_saves(qtbot: QtBot, office: Office) -> None:
    ref = log(office.db, "Ana Lima", "Invoice charged twice", "+12025550101", severity="high")
    dialog = DelegateDialog(office.db, ref, "Invoice charged twice", Severity.HIGH)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.choices_loaded):
        dialog.show()
    with office.db.reading() as uow:
        settings = load_settings(uow)
    expected_due = complaints.default_report_due(settings, Severity.HIGH)
    assert dialog.due.date().toPython() == expected_due
    assert "2 business days" in dialog.due_hint.text()
    # type-ahead on any part of the name
    completer = dialog.staff.completer()
    assert completer is not None
    completer.setCompletionPrefix("chen")
    assert completer.currentCompletion() == "Wei Chen — Billing"
    dialog.staff.setEditText("Wei Chen — Billing")
    dialog.instructions.setPlainText("Refund today and call her.")
    with qtbot.waitSignal(dialog.complaint_delegated):
        dialog.save()
    with office.db.reading() as uow:
        detail = queries.complaint_detail(uow, ref)
    assert detail.status is Status.DELEGATED
    assert detail.current_delegate == "Wei Chen"
    assert detail.report_due_on == expected_due
    assert detail.delegations[-1].instructions == "Refund today and call her."


def test_delegation_without_a_person_says_so(qtbot: QtBot, office: Office) -> None:
    ref = log(office.db, "Ana Lima", "Invoice charged twice", "+12025550101")
    dialog = DelegateDialog(office.db, ref, "Invoice charged twice", Severity.NORMAL)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.choices_loaded):
        dialog.show()
    dialog.staff.setEditText("nobody here")
    dialog.save()
    assert dialog.errors["staff"].isVisible()
    with office.db.reading() as uow:
        assert queries.complaint_detail(uow, ref).status is Status.NEW


def test_delegation_due_in_the_past_is_refused_at_the_date(qtbot: QtBot, office: Office) -> None:
    ref = log(office.db, "Ana Lima", "Invoice charged twice", "+12025550101")
    dialog = DelegateDialog(office.db, ref, "Invoice charged twice", Severity.NORMAL)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.choices_loaded):
        dialog.show()
    dialog.staff.select_staff(office.baker)
    dialog.due.setMinimumDate(dialog.due.date().addDays(-30))
    dialog.due.setDate(dialog.due.date().addDays(-20))
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors["due_on"].isVisible())
    assert "in the past" in dialog.errors["due_on"].text()
    with office.db.reading() as uow:
        assert queries.complaint_detail(uow, ref).status is Status.NEW


def test_redelegating_a_complaint_someone_else_just_redelegated_is_a_conflict(
    qtbot: QtBot, office: Office
) -> None:
    from ceo_desk.ui import error_dialogs

    ref = log(office.db, "Ana Lima", "Invoice charged twice", "+12025550101")
    with office.db.transaction() as uow:
        complaints.delegate(uow, ref, office.ortiz)
    with office.db.reading() as uow:
        seen = queries.complaint_detail(uow, ref).version
    dialog = DelegateDialog(
        office.db, ref, "Invoice charged twice", Severity.NORMAL, expected_version=seen
    )
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.choices_loaded):
        dialog.show()
    with office.db.transaction() as uow:  # meanwhile, on the other computer
        complaints.delegate(uow, ref, office.chen)
    dialog.staff.select_staff(office.baker)
    dialog.save()
    qtbot.waitUntil(lambda: bool(error_dialogs.shown))
    assert "changed by someone else" in error_dialogs.shown[-1].text() + (
        error_dialogs.shown[-1].informativeText()
    )
    with office.db.reading() as uow:
        assert queries.complaint_detail(uow, ref).current_delegate == "Wei Chen"
