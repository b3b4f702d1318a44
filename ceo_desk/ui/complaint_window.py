"""One complaint, whole: every field, the full history, and only the actions its status allows.

The window keeps the version it loaded. Saving an edit sends that version along; when someone else
saved in between, the service refuses with a ConflictError and the window shows both versions side
by side (ConflictDialog) so the person chooses: keep theirs, keep mine (re-applied on the new
version), or decide later with the edit still in the form.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import lifecycle, validation
from ceo_desk.core.database import Database
from ceo_desk.core.lifecycle import Action
from ceo_desk.core.queries import (
    ComplaintDetail,
    DelegationView,
    EventView,
    complaint_detail,
)
from ceo_desk.core.services import complaints, directory, office
from ceo_desk.core.services.directory import StaffRow, UnitRow
from ceo_desk.core.services.office import CategoryRow
from ceo_desk.enums import Channel, Severity, Status
from ceo_desk.errors import CeoDeskError, ConflictError, NotFoundError
from ceo_desk.settings import OfficeSettings
from ceo_desk.ui import customer_data, formatting, qsettings_store
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.complaint_change import change_at_loaded_version
from ceo_desk.ui.dialogs.callback_outcome import SendBackDialog, confirm_unreachable
from ceo_desk.ui.dialogs.conflict import ConflictChoice, ConflictDialog
from ceo_desk.ui.dialogs.customer_details import CustomerDetailsDialog, CustomerShown
from ceo_desk.ui.dialogs.delegate import DelegateDialog
from ceo_desk.ui.dialogs.file_report import FileReportDialog
from ceo_desk.ui.dialogs.record_callback import RecordCallbackDialog
from ceo_desk.ui.dialogs.withdraw import WithdrawDialog
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import FieldError
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.report_html import reports_html
from ceo_desk.ui.widgets import colours

# What each editable field is called on screen, in form order.
FIELD_LABELS: dict[str, str] = {
    "received_at": "Received",
    "channel": "Channel",
    "severity": "Severity",
    "category_id": "Category",
    "caused_by_unit_id": "Caused by",
    "summary": "Summary",
    "details": "Details",
    "customer_wants": "Customer wants",
    "ceo_spoke": "CEO spoke to the customer",
    "ceo_promised": "CEO promised",
    "prior_contacts": "Earlier contacts",
}
# Error fields the services name differently from the form's keys.
_FIELD_ALIASES = {"category": "category_id", "caused_by_unit": "caused_by_unit_id"}


@dataclass(frozen=True)
class Loaded:
    """Everything the window shows, read in one unit of work on a worker thread."""

    detail: ComplaintDetail
    categories: list[CategoryRow]
    units: list[UnitRow]
    staff: list[StaffRow]
    settings: OfficeSettings
    customer_erased: bool = False
    customer_complaints: int = 1


def load(db: Database, reference: str) -> Loaded:
    with db.reading() as uow:
        detail = complaint_detail(uow, reference)
        return Loaded(
            detail,
            office.list_categories(uow, include_inactive=True),
            directory.list_units(uow, include_inactive=True),
            directory.list_staff(uow),
            office.load_settings(uow),
            customer_erased=detail.customer_erased,
            customer_complaints=detail.customer_complaints,
        )


def values_of(detail: ComplaintDetail) -> dict[str, Any]:
    """The editable fields of a saved complaint, keyed like `complaints.EDITABLE_FIELDS`."""
    return {
        "received_at": detail.received_at,
        "channel": detail.channel.value,
        "severity": detail.severity.value,
        "category_id": detail.category_id,
        "caused_by_unit_id": detail.caused_by_unit_id,
        "summary": detail.summary,
        "details": detail.details,
        "customer_wants": detail.customer_wants,
        "ceo_spoke": detail.ceo_spoke,
        "ceo_promised": detail.ceo_promised,
        "prior_contacts": detail.prior_contacts,
    }


def confirm_discard(parent: QWidget, reference: str) -> bool:
    """Ask before closing a window whose edit was not saved (tests replace this)."""
    answer = QMessageBox.question(
        parent,
        "Unsaved changes",
        f"Your changes to {reference} are not saved. Close the window and discard them?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


def _text_box(height: int = 64) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def _who(event: EventView) -> str:
    return f"{event.os_user} ({event.role.upper() if event.role == 'ceo' else event.role})"


TIMELINE_COLUMNS: tuple[Column[EventView], ...] = (
    Column("When", lambda e: formatting.moment(e.at)),
    Column("Who", _who),
    Column("What happened", lambda e: e.description, tooltip=lambda e: e.description),
)
DELEGATION_COLUMNS: tuple[Column[DelegationView], ...] = (
    Column("Delegated", lambda d: formatting.moment(d.delegated_at)),
    Column("To", lambda d: f"{d.staff_name} — {d.unit_name}"),
    Column("Report due", lambda d: formatting.day(d.report_due_on)),
    Column("By", lambda d: d.delegated_by),
    Column("Instructions", lambda d: d.instructions, tooltip=lambda d: d.instructions or None),
)


class ComplaintWindow(QMainWindow):
    """A top-level window for one complaint.

    Signals:
        complaint_changed(str): an edit or an action was saved (the reference).
        loaded(): the complaint was (re)read and is on screen.
    """

    complaint_changed = Signal(str)
    loaded = Signal()

    def __init__(self, db: Database, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.reference = reference
        self._data: Loaded | None = None
        self._pristine: dict[str, Any] = {}
        self._saving = False
        self.active_dialog: QDialog | None = None
        self.setWindowTitle(f"{reference} — CEO Desk")
        self.setAccessibleName(f"Complaint {reference}")
        self._build()
        self.resize(1180, 760)
        qsettings_store.remember("complaint_window", self)
        qsettings_store.remember("complaint_window/splitter", self.splitter)
        self.reload()

    # ------------------------------------------------------------ building

    def _build(self) -> None:
        self.heading = QLabel(f"<h2>{html.escape(self.reference)}</h2>")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAccessibleName("Reference and status")
        self.due_line = QLabel("Loading…")
        self.due_line.setWordWrap(True)
        self.due_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.due_line.setAccessibleName("Status and what is due")

        self.toolbar = QToolBar("Actions")
        self.toolbar.setObjectName("actions_toolbar")  # saveState() needs a name to restore it
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.save_action = self._action("&Save changes", self.save, QKeySequence.StandardKey.Save)
        self.revert_action = self._action("&Undo my changes", self.revert)
        self.toolbar.addSeparator()
        self.action_buttons: dict[Action, QAction] = {
            Action.DELEGATE: self._action("&Delegate…", self._on_delegate_triggered),
            Action.FILE_REPORT: self._action("File &report…", self._on_file_report_triggered),
            Action.SEND_BACK: self._action("Send &back…", self._on_send_back_triggered),
            Action.RECORD_CALLBACK: self._action(
                "Record &callback…", self._on_record_callback_triggered
            ),
            Action.MARK_UNREACHABLE: self._action(
                "Mark &unreachable…", self._on_mark_unreachable_triggered
            ),
            Action.WITHDRAW: self._action("&Withdraw…", self._on_withdraw_triggered),
        }
        self.toolbar.addSeparator()
        self.reload_action = self._action("Re&load", self.reload, QKeySequence.StandardKey.Refresh)
        close = QAction("Close", self)
        close.setShortcut(QKeySequence(QKeySequence.StandardKey.Close))
        close.triggered.connect(self.close)
        self.addAction(close)

        # The complaint's own fields.
        self.received = QDateTimeEdit()
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.channel = QComboBox()
        for channel in Channel:
            self.channel.addItem(channel.label, channel.value)
        self.severity = QComboBox()
        for severity in reversed(Severity):
            self.severity.addItem(severity.label, severity.value)
        self.category = QComboBox()
        self.caused_by = QComboBox()
        self.summary = QLineEdit()
        self.details = _text_box(110)
        self.customer_wants = _text_box()
        self.ceo_spoke = QCheckBox("The CEO spoke to the customer")
        self.ceo_promised = _text_box()
        self.prior_contacts = QSpinBox()
        self.prior_contacts.setRange(0, 1000)
        self.editors: dict[str, QWidget] = {
            "received_at": self.received,
            "channel": self.channel,
            "severity": self.severity,
            "category_id": self.category,
            "caused_by_unit_id": self.caused_by,
            "summary": self.summary,
            "details": self.details,
            "customer_wants": self.customer_wants,
            "ceo_spoke": self.ceo_spoke,
            "ceo_promised": self.ceo_promised,
            "prior_contacts": self.prior_contacts,
        }
        self.field_errors: dict[str, FieldError] = {}
        fields_form = QFormLayout()
        fields_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, widget in self.editors.items():
            widget.setAccessibleName(FIELD_LABELS[name])
            error = FieldError(self)
            self.field_errors[name] = error
            if name == "ceo_spoke":
                fields_form.addRow("", widget)
            else:
                caption = QLabel(f"{FIELD_LABELS[name]}:")
                caption.setBuddy(widget)
                fields_form.addRow(caption, widget)
            fields_form.addRow("", error)
        self.form_error = FieldError(self)
        complaint_box = QGroupBox("Complaint")
        box_layout = QVBoxLayout(complaint_box)
        box_layout.addLayout(fields_form)
        box_layout.addWidget(self.form_error)

        self.customer_labels: dict[str, QLabel] = {}
        customer_form = QFormLayout()
        for key, title in (
            ("name", "Name"),
            ("phone", "Phone"),
            ("email", "Email"),
            ("organisation", "Organisation"),
            ("account_ref", "Account"),
        ):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(f"Customer {title.lower()}")
            value.setWordWrap(True)
            self.customer_labels[key] = value
            customer_form.addRow(f"{title}:", value)
        customer_box = QGroupBox("Customer")
        customer_layout = QHBoxLayout(customer_box)
        customer_layout.addLayout(customer_form, 1)
        customer_layout.addLayout(self._build_customer_actions())

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(customer_box)
        left_layout.addWidget(complaint_box)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(left)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        # The history.
        self.timeline_model: SnapshotTableModel[EventView] = SnapshotTableModel(
            TIMELINE_COLUMNS, self
        )
        self.timeline = self._table(self.timeline_model, "Timeline")
        self.delegations_model: SnapshotTableModel[DelegationView] = SnapshotTableModel(
            DELEGATION_COLUMNS, self
        )
        self.delegations = self._table(self.delegations_model, "Delegations")
        self.reports = QTextBrowser()
        self.reports.setAccessibleName("Reports")
        self.callbacks = QTextBrowser()
        self.callbacks.setAccessibleName("Callbacks")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.timeline, "Timeline")
        self.tabs.addTab(self.reports, "Reports")
        self.tabs.addTab(self.callbacks, "Callbacks")
        self.tabs.addTab(self.delegations, "Delegations")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([470, 700])

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.due_line, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self._connect_dirty_tracking()
        self._set_editable(False)
        for action in self.action_buttons.values():
            action.setEnabled(False)

    def _build_customer_actions(self) -> QVBoxLayout:
        """The customer's actions: buttons under the customer block and a Customer menu."""
        self.edit_customer_action = QAction("&Edit customer details…", self)
        self.export_customer_action = QAction("E&xport customer's data…", self)
        self.erase_customer_action = QAction("E&rase customer…", self)
        self.customer_actions: tuple[QAction, ...] = (
            self.edit_customer_action,
            self.export_customer_action,
            self.erase_customer_action,
        )
        for action, slot in (
            (self.edit_customer_action, self._on_edit_customer_triggered),
            (self.export_customer_action, self._on_export_customer_triggered),
            (self.erase_customer_action, self._on_erase_customer_triggered),
        ):
            action.triggered.connect(slot)
            action.setEnabled(False)
        self.customer_menu = self.menuBar().addMenu("&Customer")
        self.customer_menu.addAction(self.edit_customer_action)
        self.customer_menu.addAction(self.export_customer_action)
        self.customer_menu.addSeparator()
        self.customer_menu.addAction(self.erase_customer_action)

        column = QVBoxLayout()
        column.setSpacing(6)
        self.customer_buttons: dict[QAction, QToolButton] = {}
        for action, text, name in (
            (self.edit_customer_action, "Edit details…", "Edit customer details"),
            (self.export_customer_action, "Export data…", "Export customer's data"),
            (self.erase_customer_action, "Erase…", "Erase customer"),
        ):
            # The button says it briefly (the group box says whose details); the menu in full.
            action.setIconText(text)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setAccessibleName(name)
            self.customer_buttons[action] = button
            column.addWidget(button)
        column.addStretch(1)
        return column

    def _action(
        self,
        text: str,
        slot: Callable[[], None],
        shortcut: QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.toolbar.addAction(action)
        button = self.toolbar.widgetForAction(action)
        if button is not None:
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
        return action

    def _table(self, model: SnapshotTableModel[Any], name: str) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setAccessibleName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        return table

    def _connect_dirty_tracking(self) -> None:
        self.received.dateTimeChanged.connect(self._on_form_edited)
        for combo in (self.channel, self.severity, self.category, self.caused_by):
            combo.currentIndexChanged.connect(self._on_form_edited)
        self.summary.textChanged.connect(self._on_form_edited)
        for box in (self.details, self.customer_wants, self.ceo_promised):
            box.textChanged.connect(self._on_form_edited)
        self.ceo_spoke.toggled.connect(self._on_form_edited)
        self.prior_contacts.valueChanged.connect(self._on_form_edited)

    # ------------------------------------------------------------ loading and showing

    @property
    def detail(self) -> ComplaintDetail | None:
        return self._data.detail if self._data else None

    @property
    def loaded_version(self) -> int | None:
        return self._data.detail.version if self._data else None

    @Slot()
    def reload(self) -> None:
        """Read the complaint again (drops unsaved edits only after asking)."""
        if self.is_dirty() and not confirm_discard(self, self.reference):
            return
        db, reference = self._db, self.reference
        run_in_background(lambda: load(db, reference), self._show, self._on_load_failed, owner=self)

    def _on_load_failed(self, exc: BaseException) -> None:
        self.due_line.setText("Could not load this complaint.")
        show_error(self, exc)

    def _show(self, data: Loaded) -> None:
        self._data = data
        detail = data.detail
        self.reference = detail.reference
        self._fill_choices(data, detail)
        for widget in self.editors.values():
            widget.blockSignals(True)
        self.received.setDateTime(QDateTime.fromSecsSinceEpoch(int(detail.received_at.timestamp())))
        self._select(self.channel, detail.channel.value)
        self._select(self.severity, detail.severity.value)
        self._select(self.category, detail.category_id)
        self._select(self.caused_by, detail.caused_by_unit_id)
        self.summary.setText(detail.summary)
        self.summary.setCursorPosition(0)
        self.details.setPlainText(detail.details)
        self.customer_wants.setPlainText(detail.customer_wants)
        self.ceo_spoke.setChecked(detail.ceo_spoke)
        self.ceo_promised.setPlainText(detail.ceo_promised)
        self.prior_contacts.setValue(detail.prior_contacts)
        for widget in self.editors.values():
            widget.blockSignals(False)
        self._pristine = self.form_values()
        self._clear_errors()

        self.customer_labels["name"].setText(detail.customer_name)
        self.customer_labels["phone"].setText(
            validation.phone_for_display(detail.customer_phone) or "—"
        )
        self.customer_labels["email"].setText(detail.customer_email or "—")
        self.customer_labels["organisation"].setText(detail.customer_organisation or "—")
        self.customer_labels["account_ref"].setText(detail.customer_account_ref or "—")

        self._show_heading(data)
        self.timeline_model.set_rows(detail.events)
        self.delegations_model.set_rows(detail.delegations)
        self.reports.setHtml(reports_html(detail))
        self.callbacks.setHtml(_callbacks_html(detail))
        self.tabs.setTabText(0, f"Timeline ({len(detail.events)})")
        self.tabs.setTabText(1, f"Reports ({len(detail.reports)})")
        self.tabs.setTabText(2, f"Callbacks ({len(detail.callbacks)})")
        self.tabs.setTabText(3, f"Delegations ({len(detail.delegations)})")
        self._set_editable(Action.EDIT in lifecycle.allowed_actions(detail.status))
        self._update_actions()
        self.loaded.emit()

    def _fill_choices(self, data: Loaded, detail: ComplaintDetail) -> None:
        for combo, none_text, rows, current in (
            (
                self.category,
                "Not set",
                [(c.id, c.name, c.active) for c in data.categories],
                detail.category_id,
            ),
            (
                self.caused_by,
                "Not known",
                [(u.id, f"{u.name} ({u.kind.label.lower()})", u.active) for u in data.units],
                detail.caused_by_unit_id,
            ),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(none_text, None)
            for row_id, name, active in rows:
                if active or row_id == current:
                    combo.addItem(name if active else f"{name} (deactivated)", row_id)
            combo.blockSignals(False)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def _show_heading(self, data: Loaded) -> None:
        detail = data.detail
        today = complaints.local_day(complaints.utc_now())
        self.heading.setText(
            f"<h2 style='margin:0'>{html.escape(detail.reference)}"
            f" <span style='font-weight:normal'>· {html.escape(detail.status.label)}</span></h2>"
        )
        parts: list[str] = []
        due = detail.due_on
        late = due is not None and due < today
        if detail.status is Status.DELEGATED and due is not None:
            parts.append(
                f"Report from <b>{html.escape(detail.current_delegate or '?')}</b> due "
                f"{formatting.day(due)} ({formatting.due(due, today).lower()})"
            )
        elif detail.status is Status.AWAITING_CALLBACK and due is not None:
            parts.append(
                f"CEO's callback due {formatting.day(due)} ({formatting.due(due, today).lower()})"
            )
            if detail.unanswered_attempts:
                parts.append(
                    f"{formatting.plural(detail.unanswered_attempts, 'unanswered attempt')}"
                )
        elif detail.status is Status.NEW:
            parts.append("Not delegated yet")
        else:
            parts.append(f"Closed {formatting.moment(detail.closed_at)}")
            if detail.withdrawn_reason:
                parts.append(f"Reason: {html.escape(detail.withdrawn_reason)}")
            if detail.duplicate_of:
                parts.append(f"Duplicate of {html.escape(detail.duplicate_of)}")
        if detail.reopen_count:
            parts.append(f"reopened {formatting.plural(detail.reopen_count, 'time')}")
        text = " · ".join(parts)
        if late:
            colour = colours.warning_text(self.palette()).name()
            text = f"<span style='color:{colour}'><b>Overdue.</b> {text}</span>"
        self.due_line.setText(text)

    def _set_editable(self, editable: bool) -> None:
        for widget in self.editors.values():
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(not editable)
            else:
                widget.setEnabled(editable)
        self.save_action.setEnabled(editable and self.is_dirty())
        self.revert_action.setEnabled(editable and self.is_dirty())

    def _update_actions(self) -> None:
        detail = self.detail
        allowed = lifecycle.allowed_actions(detail.status) if detail else []
        for action, qaction in self.action_buttons.items():
            enabled = detail is not None and action in allowed and not self._saving
            tip = ""
            if detail is not None and action not in allowed:
                try:
                    lifecycle.require(detail.reference, detail.status, action)
                except CeoDeskError as exc:
                    tip = exc.message
            if (
                enabled
                and action is Action.MARK_UNREACHABLE
                and self._data is not None
                and detail is not None
            ):
                needed = self._data.settings.unreachable_after_attempts
                if detail.unanswered_attempts < needed:
                    enabled = False
                    tip = (
                        f"Possible after {formatting.plural(needed, 'unanswered call')}; "
                        f"so far {detail.unanswered_attempts}."
                    )
            if action is Action.DELEGATE and detail is not None:
                qaction.setText(
                    "Re-&delegate…" if detail.status is Status.DELEGATED else "&Delegate…"
                )
            qaction.setEnabled(enabled)
            qaction.setToolTip(tip or qaction.text().replace("&", "").rstrip("…"))
        dirty = self.is_dirty()
        editable = detail is not None and Action.EDIT in allowed
        self.save_action.setEnabled(editable and dirty and not self._saving)
        self.revert_action.setEnabled(editable and dirty and not self._saving)
        title = f"{self.reference} — CEO Desk"
        self.setWindowTitle(f"*{title}" if dirty else title)
        self._update_customer_actions()

    def _update_customer_actions(self) -> None:
        data = self._data
        erased = data is not None and data.customer_erased
        living = data is not None and not erased and not self._saving
        self.edit_customer_action.setEnabled(living)
        self.erase_customer_action.setEnabled(living)
        self.export_customer_action.setEnabled(data is not None)
        gone = "This customer was erased; there is nothing left to change or erase."
        tips = {
            self.edit_customer_action: gone
            if erased
            else "Correct the customer's name, phone, email, organisation or account",
            self.export_customer_action: "Save everything held about this customer as a file",
            self.erase_customer_action: gone
            if erased
            else "Remove the customer's name, phone and email from every record",
        }
        for action, tip in tips.items():
            action.setToolTip(tip)
            action.setStatusTip(tip)

    def enabled_actions(self) -> set[Action]:
        """The lifecycle actions offered right now (for tests and the main window)."""
        return {action for action, qaction in self.action_buttons.items() if qaction.isEnabled()}

    # ------------------------------------------------------------ editing

    def form_values(self) -> dict[str, Any]:
        value = self.received.dateTime().toPython()
        assert isinstance(value, datetime)
        return {
            "received_at": value.astimezone(),
            "channel": self.channel.currentData(),
            "severity": self.severity.currentData(),
            "category_id": self.category.currentData(),
            "caused_by_unit_id": self.caused_by.currentData(),
            "summary": self.summary.text(),
            "details": self.details.toPlainText(),
            "customer_wants": self.customer_wants.toPlainText(),
            "ceo_spoke": self.ceo_spoke.isChecked(),
            "ceo_promised": self.ceo_promised.toPlainText(),
            "prior_contacts": self.prior_contacts.value(),
        }

    def changes(self) -> dict[str, Any]:
        """The fields the person changed since the complaint was loaded."""
        if self._data is None:
            return {}
        current = self.form_values()
        return {k: v for k, v in current.items() if self._pristine.get(k) != v}

    def is_dirty(self) -> bool:
        return bool(self.changes())

    @Slot()
    def _on_form_edited(self) -> None:
        self._update_actions()

    @Slot()
    def revert(self) -> None:
        if self._data is not None:
            self._show(self._data)

    @Slot()
    def save(self) -> None:
        """Save the edited fields against the version this window loaded."""
        if self._data is None or self._saving:
            return
        changes = self.changes()
        if not changes:
            return
        self._save_changes(changes, self._data.detail.version)

    def _save_changes(self, changes: dict[str, Any], version: int) -> None:
        db, reference = self._db, self.reference
        self._saving = True
        self._clear_errors()
        self._update_actions()

        def op() -> Loaded:
            with db.uow() as uow:
                complaints.edit(
                    uow, reference, complaints.ComplaintEdit(changes), expected_version=version
                )
            return load(db, reference)

        def failed(exc: BaseException) -> None:
            self._saving = False
            self._update_actions()
            if isinstance(exc, ConflictError):
                self._resolve_conflict(changes)
            elif isinstance(exc, CeoDeskError):
                self._show_field_error(exc)
            else:
                show_error(self, exc)

        run_in_background(op, self._on_saved, failed, owner=self)

    def _on_saved(self, data: Loaded) -> None:
        self._saving = False
        self._show(data)
        self.statusBar().showMessage("Saved.", 5000)
        self.complaint_changed.emit(self.reference)

    def _resolve_conflict(self, changes: dict[str, Any]) -> None:
        db, reference = self._db, self.reference
        run_in_background(
            lambda: load(db, reference),
            lambda theirs: self._on_conflict_loaded(changes, theirs),
            self._on_load_failed,
            owner=self,
        )

    def _on_conflict_loaded(self, changes: dict[str, Any], theirs: Loaded) -> None:
        # "Keep my edit" applies only the fields I changed on top of the saved version, so that
        # is what the dialog shows as mine: their other changes survive either way.
        saved_values = values_of(theirs.detail)
        mine = self.display_values({**saved_values, **changes}, theirs)
        saved = self.display_values(saved_values, theirs)
        choice = ConflictDialog.ask(self, mine, saved)
        if choice is ConflictChoice.KEEP_MINE:
            if Action.EDIT not in lifecycle.allowed_actions(theirs.detail.status):
                self._show(theirs)
                show_error(
                    self,
                    CeoDeskError(
                        f"{theirs.detail.reference} was closed meanwhile "
                        f"({theirs.detail.status.label.lower()}); your edit cannot be applied."
                    ),
                )
                return
            self._save_changes(changes, theirs.detail.version)
        elif choice is ConflictChoice.TAKE_THEIRS:
            self._show(theirs)
            self.complaint_changed.emit(self.reference)
        else:
            self.statusBar().showMessage(
                "Not saved: your edit is still here. Save again to choose, or reload.", 10000
            )

    def display_values(self, values: dict[str, Any], data: Loaded | None = None) -> dict[str, str]:
        """The editable fields as a person reads them, labelled (for the conflict dialog)."""
        source = data or self._data
        categories = {c.id: c.name for c in source.categories} if source else {}
        units = {u.id: u.name for u in source.units} if source else {}
        shown: dict[str, str] = {}
        for key, label in FIELD_LABELS.items():
            value = values.get(key)
            if key == "received_at":
                text = formatting.moment(value)
            elif key == "channel":
                text = Channel(str(value)).label
            elif key == "severity":
                text = Severity(str(value)).label
            elif key == "category_id":
                text = categories.get(value, "Not set") if value is not None else "Not set"
            elif key == "caused_by_unit_id":
                text = units.get(value, "Not known") if value is not None else "Not known"
            elif key == "ceo_spoke":
                text = "Yes" if value else "No"
            else:
                text = str(value if value is not None else "")
            shown[label] = text
        return shown

    def _clear_errors(self) -> None:
        self.form_error.clear_message()
        for error in self.field_errors.values():
            error.clear_message()

    def _show_field_error(self, exc: CeoDeskError) -> None:
        field = _FIELD_ALIASES.get(exc.field or "", exc.field or "")
        error = self.field_errors.get(field)
        if error is None:
            self.form_error.show_message(exc.message)
            return
        error.show_message(exc.message)
        self.editors[field].setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------ lifecycle actions

    def _open(self, dialog: QDialog) -> None:
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog))
        dialog.open()

    def _on_dialog_finished(self, dialog: QDialog) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None

    def _after_action(self, _result: object = None) -> None:
        self.complaint_changed.emit(self.reference)
        db, reference = self._db, self.reference
        run_in_background(lambda: load(db, reference), self._show, self._on_load_failed, owner=self)

    def _run_action(self, op: Callable[[], object]) -> None:
        self._saving = True
        self._update_actions()

        def failed(exc: BaseException) -> None:
            self._saving = False
            self._update_actions()
            show_error(self, exc)
            if isinstance(exc, ConflictError):
                self._after_action()

        def done(result: object) -> None:
            self._saving = False
            self._after_action(result)

        run_in_background(op, done, failed, owner=self)

    def _ready(self, action: Action) -> Loaded | None:
        if self._data is None or action not in self.enabled_actions():
            return None
        if self.is_dirty():
            show_error(
                self,
                CeoDeskError("Save or undo your changes to the fields first."),
            )
            return None
        return self._data

    @Slot()
    def _on_delegate_triggered(self) -> None:
        data = self._ready(Action.DELEGATE)
        if data is None:
            return
        detail = data.detail
        dialog = DelegateDialog(
            self._db,
            detail.reference,
            detail.summary,
            detail.severity,
            self,
            current_delegate_id=detail.current_delegate_id,
            expected_version=detail.version,
        )
        dialog.complaint_delegated.connect(self._after_action)
        self._open(dialog)

    @Slot()
    def _on_file_report_triggered(self) -> None:
        data = self._ready(Action.FILE_REPORT)
        if data is None:
            return
        dialog = FileReportDialog(self._db, data.detail, data.staff, data.settings, self)
        dialog.saved.connect(self._after_action)
        self._open(dialog)

    @Slot()
    def _on_record_callback_triggered(self) -> None:
        data = self._ready(Action.RECORD_CALLBACK)
        if data is None:
            return
        dialog = RecordCallbackDialog(self._db, data.detail, data.staff, data.settings, self)
        dialog.saved.connect(self._after_action)
        self._open(dialog)

    @Slot()
    def _on_withdraw_triggered(self) -> None:
        data = self._ready(Action.WITHDRAW)
        if data is None:
            return
        dialog = WithdrawDialog(self._db, data.detail, self)
        dialog.saved.connect(self._after_action)
        self._open(dialog)

    @Slot()
    def _on_send_back_triggered(self) -> None:
        data = self._ready(Action.SEND_BACK)
        if data is None:
            return
        comment = SendBackDialog.ask(self, data.detail)
        if comment is None:
            return
        self._run_action(
            change_at_loaded_version(
                self._db,
                data.detail,
                lambda uow, reference, version: complaints.send_back(
                    uow, reference, comment, expected_version=version
                ),
            )
        )

    @Slot()
    def _on_mark_unreachable_triggered(self) -> None:
        data = self._ready(Action.MARK_UNREACHABLE)
        if data is None or not confirm_unreachable(self, data.detail):
            return
        self._run_action(
            change_at_loaded_version(
                self._db,
                data.detail,
                lambda uow, reference, version: complaints.mark_unreachable(
                    uow, reference, expected_version=version
                ),
            )
        )

    # ------------------------------------------------------------ customer actions

    def _customer_ready(self, *, changes_records: bool) -> Loaded | None:
        """The loaded data when a customer action may start now, else None (after saying why)."""
        data = self._data
        if data is None:
            return None
        if not changes_records:
            return data
        if data.customer_erased:
            show_error(
                self,
                NotFoundError(
                    f"{data.detail.customer_name} was erased; nothing is left to change."
                ),
            )
            return None
        if self._saving:
            return None
        if self.is_dirty():
            show_error(self, CeoDeskError("Save or undo your changes to the fields first."))
            return None
        return data

    def customer_shown(self) -> CustomerShown | None:
        """The customer's details as loaded (what the edit dialog starts from)."""
        data = self._data
        if data is None:
            return None
        detail = data.detail
        return CustomerShown(
            customer_id=detail.customer_id,
            name=detail.customer_name,
            phone=detail.customer_phone,
            email=detail.customer_email,
            organisation=detail.customer_organisation,
            account_ref=detail.customer_account_ref,
            complaints=data.customer_complaints,
        )

    @Slot()
    def _on_edit_customer_triggered(self) -> None:
        if self._customer_ready(changes_records=True) is None:
            return
        customer = self.customer_shown()
        assert customer is not None
        dialog = CustomerDetailsDialog(self._db, customer, self)
        dialog.saved.connect(self._on_customer_saved)
        dialog.customer_missing.connect(self._after_action)
        self._open(dialog)

    def _on_customer_saved(self, _result: object) -> None:
        self.statusBar().showMessage("Customer details saved.", 5000)
        self._after_action()

    @Slot()
    def _on_export_customer_triggered(self) -> None:
        data = self._customer_ready(changes_records=False)
        if data is not None:
            customer_data.export_customer_data(self, self._db, data.detail.customer_id)

    @Slot()
    def _on_erase_customer_triggered(self) -> None:
        data = self._customer_ready(changes_records=True)
        if data is None:
            return
        customer_data.erase_customer(
            self, self._db, data.detail.customer_id, on_erased=self._after_action
        )

    # ------------------------------------------------------------ Qt overrides

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty() and not confirm_discard(self, self.reference):
            event.ignore()
            return
        qsettings_store.save(self)
        qsettings_store.save(self.splitter)
        super().closeEvent(event)


# ---------------------------------------------------------------- the history as text


def _paragraph(title: str, text: str) -> str:
    if not text:
        return ""
    body = html.escape(text).replace("\n", "<br>")
    return f"<p style='margin:4px 0'><b>{html.escape(title)}:</b> {body}</p>"


def _callbacks_html(detail: ComplaintDetail) -> str:
    if not detail.callbacks:
        return "<p><i>No callback made yet.</i></p>"
    parts = []
    for callback in reversed(detail.callbacks):
        score = f", satisfaction {callback.satisfaction}/5" if callback.satisfaction else ""
        loyalty = f", {callback.loyalty.label.lower()}" if callback.loyalty else ""
        parts.append(
            f"<h3 style='margin-bottom:2px'>{html.escape(callback.outcome.label)}{score}"
            f"{html.escape(loyalty)}</h3>"
            f"<p style='margin:0'>{formatting.moment(callback.made_at)} by "
            f"{html.escape(callback.made_by)} (due {formatting.day(callback.scheduled_for)})</p>"
        )
        parts.append(_paragraph("Customer's words", callback.customer_words))
        parts.append(_paragraph("Notes", callback.notes))
    return "".join(parts)
