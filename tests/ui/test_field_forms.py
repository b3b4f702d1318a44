"""The Log-a-call form and the complaint window are built from the field declaration."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from ceo_desk.core import fields
from ceo_desk.ui.dialogs.log_call import LogCallDialog
from tests.builders import Office, log
from tests.ui.screens import open_complaint_window


def _caption(form: QWidget, editor: QWidget) -> str:
    """The label a person reads beside `editor`, without its mnemonic and required marks."""
    captions = [label for label in form.findChildren(QLabel) if label.buddy() is editor]
    assert len(captions) == 1
    return captions[0].text().replace("&", "").removesuffix(" *").removesuffix(":")


def _declare(monkeypatch: pytest.MonkeyPatch, key: str, **changes: object) -> None:
    changed = replace(fields.BY_KEY[key], **changes)  # type: ignore[arg-type]
    monkeypatch.setitem(fields.BY_KEY, key, changed)
    if changed.attribute:
        monkeypatch.setitem(fields.BY_ATTRIBUTE, changed.attribute, changed)


def _log_dialog(qtbot: QtBot, office: Office) -> LogCallDialog:
    dialog = LogCallDialog(office.db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.choices_loaded):
        dialog.show()
    return dialog


def test_a_label_and_bounds_changed_in_the_declaration_show_in_both_forms(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    _declare(monkeypatch, "prior_contacts", label="Colleagues seen first", maximum=7)
    _declare(monkeypatch, "summary", label="In one line", max_length=40)
    dialog = _log_dialog(qtbot, office)
    window = open_complaint_window(
        qtbot, office.db, log(office.db, "Ana Lima", "Invoice charged twice", "+12025550101")
    )
    for form in (dialog, window):
        assert _caption(form, form.prior_contacts) == "Colleagues seen first"
        assert form.prior_contacts.maximum() == 7
        assert _caption(form, form.summary) == "In one line"
        assert form.summary.maxLength() == 40


def test_both_forms_call_each_field_by_its_declared_label(qtbot: QtBot, office: Office) -> None:
    dialog = _log_dialog(qtbot, office)
    window = open_complaint_window(
        qtbot, office.db, log(office.db, "Ana Lima", "Invoice charged twice", "+12025550101")
    )
    shared = {
        "received_at": (dialog.received_at, window.received),
        "channel": (dialog.channel, window.channel),
        "severity": (dialog.severity, window.severity),
        "category": (dialog.category, window.category),
        "caused_by_unit": (dialog.caused_by, window.caused_by),
        "summary": (dialog.summary, window.summary),
        "details": (dialog.details, window.details),
        "customer_wants": (dialog.customer_wants, window.customer_wants),
        "ceo_promised": (dialog.ceo_promised, window.ceo_promised),
        "prior_contacts": (dialog.prior_contacts, window.prior_contacts),
    }
    for key, (in_dialog, in_window) in shared.items():
        label = fields.label(key)
        assert _caption(dialog, in_dialog) == label, key
        assert _caption(window, in_window) == label, key
    assert dialog.ceo_spoke.text() == window.ceo_spoke.text() == fields.label("ceo_spoke")
    assert dialog.prior_contacts.maximum() == fields.field("prior_contacts").maximum


def test_the_conflict_view_names_fields_by_their_declared_labels(
    qtbot: QtBot, office: Office
) -> None:
    window = open_complaint_window(
        qtbot, office.db, log(office.db, "Ana Lima", "Invoice charged twice", "+12025550101")
    )
    shown = window.display_values(window.form_values())
    assert "People dealt with before" in shown
    assert set(shown) == {fields.BY_ATTRIBUTE[a].label for a in fields.EDITABLE_FIELDS}
