"""Dropping emails and letters: on Log a call (the form fills, the files are kept on save) and
on a complaint window (attached; a delegate's reply opens the report form filled from it)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ceo_desk.core import attachments, private_copies
from ceo_desk.core.services import complaints
from ceo_desk.enums import Channel
from ceo_desk.ui.complaint_window import attachments as window_attachments
from ceo_desk.ui.complaint_window import window as window_module
from ceo_desk.ui.dialogs.file_report import FileReportDialog
from ceo_desk.ui.dialogs.log_call import LogCallDialog
from tests.builders import Office, log, stored_detail
from tests.intake_files import EML, PNG
from tests.ui.screens import open_complaint_window

REPLY = b"""From: Jamie Ortiz <j.ortiz@example.com>
To: ceo@example.com
Subject: Re: C-2026-0001 Boiler still broken after repair
Date: Tue, 24 Nov 2026 10:00:00 +0000

What I said: I apologised and explained the part was on back order.
What was done: Fitted the new valve on Monday and tested the boiler.
Cost: 85.00

Regards,
Jamie

> On 23 Nov 2026, the CEO's office wrote:
> Please report on C-2026-0001.
"""


@pytest.fixture(autouse=True)
def _never_block_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    # A window closed with unsaved edits would ask first, with a modal question.
    monkeypatch.setattr(
        window_module, "ask_unsaved", lambda parent, reference: window_module.UnsavedChoice.DISCARD
    )


def _drop(target: QWidget, paths: list[Path]) -> None:
    """Files dragged from the desktop onto `target` and dropped, as Qt delivers it: the drag
    entering (whoever accepts it receives the drop), then the drop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the drag was refused"
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted(), "the drop was refused"


def _dialog(qtbot: QtBot, office: Office) -> LogCallDialog:
    dialog = LogCallDialog(office.db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.choices_loaded):
        dialog.show()
    return dialog


def test_an_email_dropped_on_a_text_box_fills_log_a_call_and_is_kept(
    qtbot: QtBot, office: Office
) -> None:
    dialog = _dialog(qtbot, office)
    dialog.severity.setFocus()
    with qtbot.waitSignal(dialog.intake.files_read):
        _drop(dialog.details.viewport(), [EML])  # the text box itself does not take it as text
    assert dialog.customer_name.text() == "Renée Lefèvre"
    assert dialog.email.text() == "renee.lefevre@example.net"
    assert dialog.summary.text() == "Still no refund for the cancelled boiler service"
    assert dialog.details.toPlainText().startswith("Good afternoon,")
    assert dialog.channel.currentData() == Channel.EMAIL
    assert "complaint_with_invoice.eml" in dialog.intake.listing.text()
    assert "invoice.pdf" in dialog.intake.listing.text()

    with qtbot.waitSignal(dialog.complaint_logged) as saved:
        dialog.save()
    reference = saved.args[0]
    detail = stored_detail(office.db, reference)
    assert detail.customer_email == "renee.lefevre@example.net"
    assert detail.channel is Channel.EMAIL
    assert detail.received_at.isoformat().startswith("2026-11-23T16:05:44")
    assert [a.name for a in detail.attachments] == ["complaint_with_invoice.eml", "invoice.pdf"]


def test_what_the_assistant_typed_is_kept_and_a_photo_is_only_attached(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, office)
    dialog.customer_name.setText("Ana Lima")
    dialog.phone.setText("+12025550101")
    photo = tmp_path / "letter.png"
    photo.write_bytes(PNG)
    with qtbot.waitSignal(dialog.intake.files_read):
        _drop(dialog, [photo])
    assert dialog.customer_name.text() == "Ana Lima" and dialog.summary.text() == ""
    assert dialog.channel.currentData() == Channel.LETTER
    assert "picture of a letter" in dialog.intake.listing.text()
    dialog.summary.setText("Letter about the leak")
    with qtbot.waitSignal(dialog.complaint_logged) as saved:
        dialog.save()
    assert [a.name for a in stored_detail(office.db, saved.args[0]).attachments] == ["letter.png"]


def test_an_unreadable_file_gets_a_clear_message_and_fills_nothing(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, office)
    broken = tmp_path / "letter.pdf"
    broken.write_bytes(b"%PDF-1.4 torn off")
    with qtbot.waitSignal(dialog.intake.files_read):
        _drop(dialog, [broken])
    assert dialog.intake.problem.isVisible()
    assert "letter.pdf could not be read as a PDF" in dialog.intake.problem.text()
    assert dialog.intake.files() == [] and dialog.summary.text() == ""


def _delegated(office: Office) -> str:
    ref = log(office.db, "Dana Fox", "Boiler still broken after repair", "+12025550150")
    with office.db.transaction() as uow:
        complaints.delegate(uow, ref, office.ortiz)
    return ref


def test_a_delegates_reply_dropped_on_the_window_opens_the_report_form_filled(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    ref = _delegated(office)
    reply = tmp_path / "reply.eml"
    reply.write_bytes(REPLY)
    window = open_complaint_window(qtbot, office.db, ref)
    controller = window.attachments
    with qtbot.waitSignal(controller.report_form_opened, timeout=10_000) as opened:
        _drop(window.summary, [reply])
    dialog = opened.args[0]
    assert isinstance(dialog, FileReportDialog) and window.active_dialog is dialog
    assert dialog.said_box.toPlainText().startswith("I apologised")
    assert dialog.done_box.toPlainText().startswith("Fitted the new valve")
    assert dialog.cost.text() == "85.00"
    assert dialog.filed_by.staff_id() == office.ortiz
    qtbot.waitUntil(lambda: window.attachments_tab.model.rowCount() == 1)
    assert window.tabs.tabText(window.tabs.indexOf(window.attachments_tab)) == "Files (1)"
    assert [a.name for a in stored_detail(office.db, ref).attachments] == ["reply.eml"]


def test_a_file_dropped_on_a_new_complaint_is_attached_and_opens_from_a_private_copy(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = log(office.db, "Dana Fox", "Boiler", "+12025550150")
    photo = tmp_path / "boiler.png"
    photo.write_bytes(PNG)
    opened: list[Path] = []

    def viewer(path: Path) -> bool:
        opened.append(path)
        return True

    monkeypatch.setattr(window_attachments, "open_in_viewer", viewer)
    window = open_complaint_window(qtbot, office.db, ref)
    with qtbot.waitSignal(window.attachments.attached):
        _drop(window, [photo])
    qtbot.waitUntil(lambda: window.attachments_tab.model.rowCount() == 1)
    assert window.action_controller.active_dialog is None  # not a reply: no report form
    window.attachments_tab.table.selectRow(0)
    window.attachments_tab.open_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1)
    copy = opened[0]
    assert copy.read_bytes() == PNG and copy.name == "boiler.png"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(private_copies.folder().stat().st_mode) == 0o700
    private_copies.remove_all()
    assert not copy.exists()
    with office.db.reading() as uow:
        assert [a.name for a in attachments.list_for(uow, ref)] == ["boiler.png"]


def test_a_reply_dropped_over_unsaved_edits_is_attached_and_says_what_to_do(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    ref = _delegated(office)
    reply = tmp_path / "reply.eml"
    reply.write_bytes(REPLY)
    window = open_complaint_window(qtbot, office.db, ref)
    window.summary.setText("Boiler broken, edited")
    with qtbot.waitSignal(window.attachments.attached):
        _drop(window, [reply])
    qtbot.waitUntil(lambda: window.attachments_tab.model.rowCount() == 1)
    assert window.active_dialog is None
    assert "Save or undo your changes" in window.statusBar().currentMessage()
    assert window.summary.text() == "Boiler broken, edited" and window.is_dirty()  # kept
    assert [a.name for a in stored_detail(office.db, ref).attachments] == ["reply.eml"]
