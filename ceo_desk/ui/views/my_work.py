"""My work: a delegate's first page. Their open assignments with due dates; for the chosen one
the complaint, the customer, what the CEO promised, reports sent back with the CEO's comment and
requests for more time; and the two things a delegate does: file the report, ask for more time.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import QItemSelection, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import provenance, queries
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.my_work import Assignment, MyWork, my_work
from ceo_desk.core.services import directory, office
from ceo_desk.core.services.directory import StaffRow
from ceo_desk.settings import OfficeSettings
from ceo_desk.ui import final_response, formatting
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.reloader import Reloader
from ceo_desk.ui.widgets.list_page import heading_label, single_row_table, subheading_label


@dataclass(frozen=True)
class Loaded:
    work: MyWork
    today: date


@dataclass(frozen=True)
class ToFile:
    """What the File report form needs, read off the GUI thread."""

    detail: queries.ComplaintDetail
    staff: list[StaffRow]
    settings: OfficeSettings


def _load(db: Database, staff_id: int | None) -> Loaded | None:
    """The work of `staff_id`, or of the signed-in delegate; None for a person who is not one."""
    with db.reading() as uow:
        mine = staff_id if staff_id is not None else provenance.acting_staff_id(uow)
        if mine is None:
            return None
        return Loaded(my_work(uow, mine), SYSTEM_CLOCK.today())


def _load_to_file(db: Database, reference: str, staff_id: int) -> ToFile:
    with db.reading() as uow:
        detail = queries.complaint_detail(uow, reference)
        me = [s for s in directory.list_staff(uow) if s.id == staff_id]
        return ToFile(detail, me, office.load_settings(uow))


def _paragraph(title: str, text: str) -> str:
    if not text:
        return ""
    body = html.escape(text).replace("\n", "<br>")
    return f"<p style='margin:3px 0'><b>{html.escape(title)}:</b> {body}</p>"


def assignment_html(a: Assignment, today: date) -> str:
    """The chosen assignment as the delegate reads it."""
    contact = " · ".join(p for p in (a.customer_phone, a.customer_email) if p)
    due = formatting.due(a.report_due_on, today)
    parts = [
        f"<h2 style='margin-bottom:2px'>{html.escape(a.reference)} — {html.escape(a.summary)}</h2>",
        f"<p style='margin:0 0 6px 0'>Report due <b>{formatting.day(a.report_due_on)}</b> "
        f"({html.escape(due.lower())}) · severity {html.escape(a.severity.label.lower())} · "
        f"delegated {formatting.moment(a.delegated_at)}</p>",
        _paragraph(
            "Final response",
            a.final_response.describe(today).capitalize() if a.final_response else "",
        ),
        _paragraph("Customer", a.customer_name + (f" · {contact}" if contact else "")),
        _paragraph("Details", a.details),
        _paragraph("Customer wants", a.customer_wants),
        _paragraph("The CEO promised", a.ceo_promised or "Nothing specific."),
        _paragraph("Instructions", a.instructions),
    ]
    for sent in reversed(a.sent_back):
        parts.append(
            f"<h3 style='margin-bottom:2px'>Sent back by the CEO "
            f"{formatting.moment(sent.sent_back_at)}</h3>"
        )
        parts.append(_paragraph("The CEO's comment", sent.comment))
        parts.append(_paragraph("Your report said", sent.said))
    for request in a.more_time:
        state = request.answer or "Waiting for the office's answer"
        asked = formatting.moment(request.requested_at)
        parts.append(f"<h3 style='margin-bottom:2px'>More time asked {asked}</h3>")
        parts.append(_paragraph("Until", request.proposed_due_on.isoformat()))
        parts.append(_paragraph("Reason", request.reason))
        parts.append(_paragraph("Answer", state))
    return "".join(parts)


class AssignmentsModel(SnapshotTableModel[Assignment]):
    def __init__(self, view: QWidget) -> None:
        self.today = SYSTEM_CLOCK.today()
        super().__init__(
            [
                Column("Report due", lambda a: formatting.day(a.report_due_on)),
                Column("When", lambda a: formatting.due(a.report_due_on, self.today)),
                Column("Reference", lambda a: a.reference),
                Column("Complaint", lambda a: a.summary, tooltip=lambda a: a.summary),
                Column("Customer", lambda a: a.customer_name),
                final_response.column(lambda a: a.final_response, lambda: self.today),
            ],
            view,
            key=lambda a: a.reference,
        )


class MyWorkView(QWidget):
    """The delegate's own open work.

    Signals:
        complaint_changed(str): a report was filed or more time asked on this reference.
    """

    complaint_changed = Signal(str)
    status_message = Signal(str)
    refreshed = Signal()

    def __init__(
        self, db: Database, staff_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        """`staff_id` defaults to the signed-in delegate's own."""
        super().__init__(parent)
        self._db = db
        self._staff_id = staff_id
        self._today = SYSTEM_CLOCK.today()
        self._reloader = Reloader(
            self, partial(_load, db, staff_id), self._on_work_loaded, self._on_work_failed
        )
        self.heading = heading_label(self, "My work")
        self.subheading = subheading_label(self, "Loading…")
        self.model = AssignmentsModel(self)
        self.table = single_row_table(self.model, "My open assignments", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((0, 110), (1, 110), (2, 120), (4, 150), (5, 165)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.details = QTextBrowser(self)
        self.details.setAccessibleName("The chosen assignment")
        self.details.setOpenExternalLinks(False)

        self.file_button = QPushButton("&File my report…", self)
        self.file_button.setAccessibleName("File my report")
        self.file_button.clicked.connect(self._on_file_clicked)
        self.more_time_button = QPushButton("Ask for &more time…", self)
        self.more_time_button.setAccessibleName("Ask for more time")
        self.more_time_button.clicked.connect(self._on_more_time_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.file_button)
        buttons.addWidget(self.more_time_button)
        buttons.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        self._reloader.request()

    def selected(self) -> Assignment | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_work_loaded(self, loaded: Loaded | None) -> None:
        if loaded is None:
            self.model.set_rows([])
            self.subheading.setText(
                "My work lists the complaints delegated to you. You are not linked to a staff "
                "member as a delegate; the log's owner can link you in Settings, People."
            )
            self._show_selected()
            self.refreshed.emit()
            return
        self._staff_id = loaded.work.staff_id
        self._today = loaded.today
        self.model.today = loaded.today
        self.model.set_rows(loaded.work.assignments)
        count = len(loaded.work.assignments)
        who = loaded.work.staff_name or "you"
        self.subheading.setText(
            f"{formatting.plural(count, 'complaint')} waiting for a report from {who}, "
            "soonest due first."
            if count
            else f"Nothing is waiting for a report from {who}."
        )
        if count and self.selected() is None:
            self.table.selectRow(0)
        self._show_selected()
        self.refreshed.emit()

    def _on_work_failed(self, exc: BaseException) -> None:
        self.subheading.setText("My work could not be loaded.")
        show_error(self, exc)

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        chosen = self.selected()
        self.details.setHtml(assignment_html(chosen, self._today) if chosen else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.file_button.setEnabled(chosen is not None)
        waiting = chosen is not None and any(r.waiting for r in chosen.more_time)
        self.more_time_button.setEnabled(chosen is not None and not waiting)
        self.more_time_button.setToolTip(
            "Your request is waiting for the office's answer." if waiting else ""
        )

    @Slot()
    def _on_file_clicked(self) -> None:
        chosen = self.selected()
        if chosen is None or self._staff_id is None:
            return
        run_in_background(
            partial(_load_to_file, self._db, chosen.reference, self._staff_id),
            self._on_to_file_loaded,
            self._on_work_failed_quietly,
            owner=self,
        )

    def _on_to_file_loaded(self, loaded: ToFile) -> None:
        self.open_file_report(loaded)

    def _on_work_failed_quietly(self, exc: BaseException) -> None:
        show_error(self, exc)

    def open_file_report(self, loaded: ToFile) -> QWidget:
        from ceo_desk.ui.dialogs.file_report import FileReportDialog

        dialog = FileReportDialog(self._db, loaded.detail, loaded.staff, loaded.settings, self)
        dialog.setWindowTitle(f"File my report — {loaded.detail.reference}")
        reference = loaded.detail.reference
        dialog.saved.connect(lambda _r: self._on_changed(reference, "Report filed"))
        dialog.open()
        return dialog

    @Slot()
    def _on_more_time_clicked(self) -> None:
        self.ask_more_time()

    def ask_more_time(self) -> QWidget | None:
        from ceo_desk.ui.dialogs.more_time import MoreTimeDialog

        chosen = self.selected()
        if chosen is None:
            return None
        dialog = MoreTimeDialog(
            self._db, chosen.reference, chosen.summary, chosen.report_due_on, self
        )
        reference = chosen.reference
        dialog.saved.connect(lambda _r: self._on_changed(reference, "More time asked"))
        dialog.open()
        return dialog

    def _on_changed(self, reference: str, what: str) -> None:
        self.status_message.emit(f"{what}: {reference}")
        self.complaint_changed.emit(reference)
        self.refresh()
