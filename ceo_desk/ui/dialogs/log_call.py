"""Logging a call while the caller is on the line: keyboard first, required fields first.

Name, phone, email and summary come first; everything else is optional and follows in the order a
conversation usually gives it. Tab moves through the fields (text boxes included), Ctrl+Enter
saves. As soon as a phone number or email is typed, what the log already holds about the caller
appears beside the form.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import attachments, fields, validation
from ceo_desk.core.database import Database
from ceo_desk.core.queries import EarlierComplaints, earlier_complaints
from ceo_desk.core.services import complaints, directory, office
from ceo_desk.core.services.directory import UnitRow
from ceo_desk.core.services.office import CategoryRow
from ceo_desk.enums import Severity, Status
from ceo_desk.errors import CeoDeskError, ValidationError
from ceo_desk.ui import field_widgets, formatting
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.base import Dialog
from ceo_desk.ui.dialogs.log_call_intake import LogCallIntake
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import DateTimeField, FieldError, save_shortcuts

LOOKUP_DELAY_MS = 350


@dataclass(frozen=True)
class FormChoices:
    categories: list[CategoryRow]
    units: list[UnitRow]
    phone_region: str


def describe_earlier(found: EarlierComplaints) -> str:
    """'2 earlier complaints; last resolved 3 March, delegate J. Ortiz' (plain text)."""
    if found.count == 0:
        return ""
    parts = [formatting.plural(found.count, "earlier complaint")]
    if found.open_count:
        parts[0] += f" ({found.open_count} still open)"
    if found.last_status is not None:
        if found.last_status.is_open:
            when = (
                formatting.long_day(found.last_received_at.astimezone().date())
                if (found.last_received_at)
                else ""
            )
            last = f"last received {when}, {found.last_status.label.lower()}"
        else:
            closed = found.last_closed_at.astimezone().date() if found.last_closed_at else None
            verb = (
                "resolved"
                if found.last_status is Status.RESOLVED
                else found.last_status.label.lower()
            )
            last = f"last {verb} {formatting.long_day(closed)}".rstrip()
        if found.last_delegate:
            last += f", delegate {found.last_delegate}"
        parts.append(last)
    return "; ".join(parts)


class LogCallDialog(Dialog):
    """The "Log a call" form.

    Signals:
        complaint_logged(str, str, str): reference, summary, severity value of the saved complaint.
        earlier_found(str): the caller's history was looked up (text shown, or "" for none).
    """

    complaint_logged = Signal(str, str, str)
    earlier_found = Signal(str)
    choices_loaded = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._saving = False
        self._lookup_serial = 0
        self.logged_reference: str | None = None
        self.setWindowTitle("Log a call")
        self.setAccessibleName("Log a call")

        body = QWidget(self)
        field = fields.field
        # -- required
        self.customer_name = field_widgets.line_edit(field("customer_name"), body, required=True)
        self.phone = field_widgets.line_edit(field("phone"), body)
        self.email = field_widgets.line_edit(field("email"), body)
        self.summary = field_widgets.line_edit(field("summary"), body, required=True)
        # -- what happened
        self.details = field_widgets.text_box(field("details"), body, lines=4)
        self.customer_wants = field_widgets.text_box(field("customer_wants"), body, lines=2)
        self.severity = field_widgets.choice_box(field("severity"), body)
        self.category = field_widgets.list_box(field("category"), body)
        self.category.addItem("—", None)
        self.channel = field_widgets.choice_box(field("channel"), body)
        # -- the CEO
        self.ceo_spoke = field_widgets.check_box(field("ceo_spoke"), body)
        self.ceo_promised = field_widgets.text_box(field("ceo_promised"), body, lines=2)
        self.ceo_promised.setEnabled(False)
        self.ceo_spoke.toggled.connect(self._on_ceo_spoke_toggled)
        # -- history
        self.prior_contacts = field_widgets.count_box(field("prior_contacts"), body)
        self.caused_by = field_widgets.list_box(field("caused_by_unit"), body)
        self.caused_by.addItem("—", None)
        # -- customer extras
        self.organisation = field_widgets.line_edit(field("organisation"), body)
        self.account_ref = field_widgets.line_edit(field("account_ref"), body)
        self.received_at = DateTimeField(QDateTime.currentDateTime(), body)
        self.received_at.setDisplayFormat("ddd d MMM yyyy HH:mm")
        self.received_at.setCalendarPopup(True)
        self.received_at.setMaximumDateTime(QDateTime.currentDateTime().addSecs(600))
        self.received_at.setAccessibleName(field("received_at").label)
        self._received_touched = False
        self.received_at.dateTimeChanged.connect(self._on_received_at_changed)

        self.errors: dict[str, FieldError] = {}
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)

        def row(
            key: str, widget: QWidget, mnemonic: str | None = None, *, required: bool = False
        ) -> None:
            if key == "ceo_spoke":
                form.addRow("", widget)  # the check box carries its own label
                return
            caption = QLabel(field_widgets.caption(field(key), mnemonic, required=required))
            caption.setBuddy(widget)
            form.addRow(caption, widget)
            error = FieldError(body)
            self.errors[key] = error
            form.addRow("", error)

        # The order a conversation usually gives them; * marks what the save needs.
        row("customer_name", self.customer_name, "n", required=True)
        row("phone", self.phone, "P", required=True)
        row("email", self.email, "E", required=True)
        row("summary", self.summary, "S", required=True)
        row("details", self.details, "D")
        row("customer_wants", self.customer_wants, "w")
        row("severity", self.severity, "v")
        row("category", self.category, "C")
        row("channel", self.channel, "h")
        row("ceo_spoke", self.ceo_spoke)
        row("ceo_promised", self.ceo_promised, "m")
        row("prior_contacts", self.prior_contacts, "b")
        row("caused_by_unit", self.caused_by, "y")
        row("organisation", self.organisation, "O")
        row("account_ref", self.account_ref, "A")
        row("received_at", self.received_at, "R")

        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        # -- beside the form: the caller's history
        self.history = QGroupBox("This caller before", self)
        self.history.setAccessibleName("Earlier complaints from this caller")
        self.history_text = QLabel(
            "Type a phone number or email to see earlier complaints.", self.history
        )
        self.history_text.setWordWrap(True)
        self.history_text.setTextFormat(Qt.TextFormat.RichText)
        self.history_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.history_text.setAccessibleName("Earlier complaints")
        history_layout = QVBoxLayout(self.history)
        history_layout.addWidget(self.history_text)
        history_layout.addStretch(1)
        self.history.setFixedWidth(260)

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            "Save (Ctrl+Enter)", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setAccessibleName("Save")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.save_button, self.cancel_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        save_shortcuts(self, self.save)
        self.save_button.setEnabled(False)

        required_note = QLabel(
            "Fields marked * are required: the name, the summary, and a phone number or an "
            "email. Tab moves on; Ctrl+Enter saves.",
            self,
        )
        required_note.setWordWrap(True)
        required_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        top = QHBoxLayout()
        top.addWidget(scroll, 1)
        top.addWidget(self.history)
        layout = QVBoxLayout(self)
        layout.addWidget(required_note)
        layout.addLayout(top, 1)
        layout.addWidget(self.buttons)
        self.intake = LogCallIntake(self, db, layout)  # emails and letters dropped on the form

        # Tab order: the order of the rows, then the buttons.
        chain: list[QWidget] = [
            self.customer_name,
            self.phone,
            self.email,
            self.summary,
            self.details,
            self.customer_wants,
            self.severity,
            self.category,
            self.channel,
            self.ceo_spoke,
            self.ceo_promised,
            self.prior_contacts,
            self.caused_by,
            self.organisation,
            self.account_ref,
            self.received_at,
            self.save_button,
            self.cancel_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

        self._lookup_timer = QTimer(self)
        self._lookup_timer.setSingleShot(True)
        self._lookup_timer.setInterval(LOOKUP_DELAY_MS)
        self._lookup_timer.timeout.connect(self._on_lookup_timer_timeout)
        self.phone.textChanged.connect(self._on_contact_changed)
        self.email.textChanged.connect(self._on_contact_changed)

        self.resize(880, 720)
        self.customer_name.setFocus()
        self._phone_region = "US"

        def load() -> FormChoices:
            with db.reading() as uow:
                return FormChoices(
                    office.list_categories(uow),
                    directory.list_units(uow),
                    office.load_settings(uow).phone_region,
                )

        run_in_background(load, self._on_choices_loaded, self._on_load_failed, owner=self)

    # ------------------------------------------------------------ set-up

    def _on_choices_loaded(self, choices: FormChoices) -> None:
        for category in choices.categories:
            self.category.addItem(category.name, category.name)
        for unit in choices.units:
            self.caused_by.addItem(f"{unit.name} ({unit.kind.label.lower()})", unit.id)
        self._phone_region = choices.phone_region
        self.save_button.setEnabled(True)
        self.choices_loaded.emit()

    def _on_load_failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    @Slot(bool)
    def _on_ceo_spoke_toggled(self, checked: bool) -> None:
        self.ceo_promised.setEnabled(checked)

    @Slot(QDateTime)
    def _on_received_at_changed(self, _value: QDateTime) -> None:
        self._received_touched = True

    # ------------------------------------------------------------ the caller's history

    @Slot()
    def _on_contact_changed(self) -> None:
        self._lookup_timer.start()

    @Slot()
    def _on_lookup_timer_timeout(self) -> None:
        raw_phone, raw_email = self.phone.text(), self.email.text()
        region = self._phone_region
        try:
            phone = validation.phone(raw_phone, region) if raw_phone.strip() else None
        except ValidationError:
            phone = None
        try:
            email = validation.email(raw_email) if raw_email.strip() else None
        except ValidationError:
            email = None
        self._lookup_serial += 1
        serial = self._lookup_serial
        if phone is None and email is None:
            self._show_history(None, serial)
            return
        db = self._db

        def find() -> EarlierComplaints:
            with db.reading() as uow:
                return earlier_complaints(uow, phone=phone, email=email)

        run_in_background(
            find, lambda found: self._show_history(found, serial), lambda _e: None, owner=self
        )

    def _show_history(self, found: EarlierComplaints | None, serial: int) -> None:
        if serial != self._lookup_serial:
            return  # the caller's details changed since; a newer answer is coming
        if found is None:
            self.history_text.setText("Type a phone number or email to see earlier complaints.")
            self.earlier_found.emit("")
            return
        summary = describe_earlier(found)
        if not summary:
            self.history_text.setText("<b>New caller.</b><br>No earlier complaints.")
        else:
            name = html.escape(found.customer_name or "")
            self.history_text.setText(
                f"<b>{name}</b><br><br><b>{html.escape(summary)}</b>"
                + (
                    f"<br><br>Last: {html.escape(found.last_reference)}"
                    if found.last_reference
                    else ""
                )
            )
            if found.customer_name and not self.customer_name.text().strip():
                self.customer_name.setText(found.customer_name)
        self.earlier_found.emit(summary)

    # ------------------------------------------------------------ saving

    def call_input(self) -> complaints.CallInput:
        received: datetime | None = None
        if self._received_touched:
            typed = self.received_at.dateTime().toPython()
            assert isinstance(typed, datetime)
            received = (typed if typed.tzinfo else typed.astimezone()).astimezone(UTC)
        category = self.category.currentData()
        unit = self.caused_by.currentData()
        return complaints.CallInput(
            customer_name=self.customer_name.text(),
            summary=self.summary.text(),
            phone=self.phone.text() or None,
            email=self.email.text() or None,
            organisation=self.organisation.text() or None,
            account_ref=self.account_ref.text() or None,
            channel=self.channel.currentData(),
            severity=self.severity.currentData(),
            category=category,
            received_at=received,
            details=self.details.toPlainText(),
            customer_wants=self.customer_wants.toPlainText(),
            ceo_spoke=self.ceo_spoke.isChecked(),
            ceo_promised=self.ceo_promised.toPlainText() if self.ceo_spoke.isChecked() else "",
            prior_contacts=self.prior_contacts.value(),
            caused_by_unit=int(unit) if unit is not None else None,
        )

    def _field_widget(self, field: str) -> QWidget:
        widgets: dict[str, QWidget] = {
            "customer_name": self.customer_name,
            "phone": self.phone,
            "email": self.email,
            "summary": self.summary,
            "details": self.details,
            "customer_wants": self.customer_wants,
            "category": self.category,
            "ceo_promised": self.ceo_promised,
            "prior_contacts": self.prior_contacts,
            "caused_by_unit": self.caused_by,
            "unit": self.caused_by,
            "organisation": self.organisation,
            "account_ref": self.account_ref,
            "received_at": self.received_at,
        }
        return widgets.get(field, self.customer_name)

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear_message()

    def show_field_error(self, exc: CeoDeskError) -> None:
        field = exc.field or ""
        if field == "unit":
            field = "caused_by_unit"
        label = self.errors.get(field, self.errors["customer_name"])
        label.show_message(exc.message)
        self._field_widget(field).setFocus()

    def _check_required(self) -> ValidationError | None:
        """The quick checks that need no database, so a missing field is shown at once."""
        if not self.customer_name.text().strip():
            return ValidationError(
                f"{fields.label('customer_name')} is required.", field="customer_name"
            )
        if not self.phone.text().strip() and not self.email.text().strip():
            return ValidationError(
                "Give a phone number or an email so the CEO can call the customer back.",
                field="phone",
            )
        if not self.summary.text().strip():
            return ValidationError(f"{fields.label('summary')} is required.", field="summary")
        return None

    @Slot()
    def save(self) -> None:
        if self._saving or not self.save_button.isEnabled():
            return
        self.clear_errors()
        missing = self._check_required()
        if missing is not None:
            self.show_field_error(missing)
            return
        call = self.call_input()
        db = self._db
        files = self.intake.files()

        def save() -> complaints.LoggedComplaint:
            with db.transaction() as uow:
                logged = complaints.log_call(uow, call)
                attachments.attach_incoming(uow, logged.reference, files)
                return logged

        self._saving = True
        self.save_button.setEnabled(False)
        summary, severity = self.summary.text().strip(), Severity(call.severity)
        run_in_background(
            save,
            lambda logged: self._on_saved(logged, summary, severity),
            self._on_save_failed,
            owner=self,
        )

    def _on_saved(
        self, logged: complaints.LoggedComplaint, summary: str, severity: Severity
    ) -> None:
        self._saving = False
        self.logged_reference = logged.reference
        self.complaint_logged.emit(logged.reference, summary, severity.value)
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, CeoDeskError) and exc.field:
            self.show_field_error(exc)
        else:
            show_error(self, exc)
