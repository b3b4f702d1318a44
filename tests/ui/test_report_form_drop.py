"""A returned report form dropped onto the complaint window fills File report for checking."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from ceo_desk.enums import FiledHow, Status
from ceo_desk.reports.report_form import render_report_form
from ceo_desk.ui import error_dialogs
from ceo_desk.ui.complaint_window import window as window_module
from ceo_desk.ui.dialogs.file_report import FileReportDialog
from tests.builders import Office, delegate, log, stored_detail
from tests.integration.test_report_form import FILLED, fill
from tests.ui.screens import open_complaint_window


@pytest.fixture(autouse=True)
def _never_block_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        window_module, "ask_unsaved", lambda parent, reference: window_module.UnsavedChoice.DISCARD
    )


def _returned(office: Office, tmp_path: Path, ref: str) -> Path:
    form = render_report_form(office.db, ref, tmp_path / f"{ref}.pdf").path
    returned = tmp_path / f"{ref}-returned.pdf"
    returned.write_bytes(fill(form, FILLED))
    return returned


def test_a_dropped_form_fills_file_report_and_files_it_as_from_the_form(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    ref = log(office.db, "Dana Fox", "Boiler still broken", "+12025550150")
    delegate(office.db, ref, office.ortiz)
    window = open_complaint_window(qtbot, office.db, ref)
    window.form_drop.take(_returned(office, tmp_path, ref))
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, FileReportDialog), timeout=10_000)
    dialog = window.active_dialog
    assert isinstance(dialog, FileReportDialog)
    assert dialog.said_box.toPlainText() == FILLED["said"]
    assert dialog.cost.text() == FILLED["cost"]
    assert "Transcribed from Jamie Ortiz's form of 2026-11-30" in dialog.intro.text()
    dialog.done_box.setPlainText(FILLED["done"] + " (confirmed by phone)")
    with qtbot.waitSignal(window.complaint_changed, timeout=10_000):
        dialog.submit()
    detail = stored_detail(office.db, ref)
    assert detail.status is Status.AWAITING_CALLBACK
    filed = detail.reports[-1]
    assert filed.filed_how is FiledHow.FORM
    assert filed.done == FILLED["done"] + " (confirmed by phone)", "the assistant's check counts"


def test_a_form_for_another_complaint_is_refused_on_the_window(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    ref = log(office.db, "Dana Fox", "Boiler still broken", "+12025550150")
    other = log(office.db, "Bo Lund", "Parcel lost", "+12025550102")
    delegate(office.db, ref, office.ortiz)
    delegate(office.db, other, office.ortiz)
    window = open_complaint_window(qtbot, office.db, other)
    window.form_drop.take(_returned(office, tmp_path, ref))
    qtbot.waitUntil(lambda: bool(error_dialogs.shown), timeout=10_000)
    assert f"This form is for {ref}, not {other}" in error_dialogs.shown[-1].text()
    assert window.active_dialog is None
    assert stored_detail(office.db, other).status is Status.DELEGATED


def test_a_dropped_form_goes_to_file_report_and_any_other_pdf_is_attached(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    ref = log(office.db, "Dana Fox", "Boiler still broken", "+12025550150")
    delegate(office.db, ref, office.ortiz)
    window = open_complaint_window(qtbot, office.db, ref)
    letter = tmp_path / "letter.pdf"
    canvas = Canvas(str(letter))
    canvas.drawString(72, 720, "Dear CEO, the boiler is still broken.")
    canvas.save()
    with qtbot.waitSignal(window.attachments.attached, timeout=10_000) as attached:
        window.attachments.attach_paths([letter])
    assert attached.args == [["letter.pdf"]]
    assert window.active_dialog is None

    window.attachments.attach_paths([_returned(office, tmp_path, ref)])
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, FileReportDialog), timeout=10_000)
