"""Logging a call while the caller is on the line: keyboard first, required fields first.

Name, phone, email and summary come first; everything else is optional and follows in the order a
conversation usually gives it. Tab moves through the fields (text boxes included), so does Enter in
a one-line field; only Ctrl+Enter (or the Save button) saves, and Escape asks before throwing away
what was typed. Every problem is shown at once beside its field and goes as soon as the field is
put right. As soon as a phone number or email is typed, the caller's earlier complaints appear
beside the form, each opening its complaint window.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
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
from ceo_desk.ui.form_helpers import FieldError, save_shortcuts
from ceo_desk.ui.widgets.promise_rows import PromiseRows

LOOKUP_DELAY_MS = 350
RECEIVED_HINT = "Now — or type 09:30, yesterday 16:00, 30 Nov 09:30"


def confirm_discard_call(parent: QWidget | None) -> bool:
    """Ask before throwing away a call typed but not saved; replaced in tests."""
    answer = QMessageBox.question(
        parent,
        "Discard this call?",
        "The call you typed has not been saved. Discard it?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


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


def earlier_list_html(found: EarlierComplaints) -> str:
    """The caller's latest complaints, one a line: reference (a link), date, status, delegate."""
    lines = []
    for earlier in found.recent:
        day = formatting.day(earlier.received_at.astimezone().date())
        parts = [day, earlier.status.label.lower()]
        if earlier.delegate:
            parts.append(earlier.delegate)
        lines.append(
            f"<a href='complaint:{html.escape(earlier.reference)}'>"
            f"{html.escape(earlier.reference)}</a> · " + html.escape(" · ".join(parts))
        )
    more = found.count - len(found.recent)
    if more > 0:
        lines.append(f"and {formatting.plural(more, 'older one')}")
    return "<br>".join(lines)


class LogCallDialog(Dialog):
    """The "Log a call" form.

    Signals:
        complaint_logged(str, str, str): reference, summary, severity value of the saved complaint.
        earlier_found(str): the caller's history was looked up (text shown, or "" for none).
    """

    complaint_logged = Signal(str, str, str)
    earlier_found = Signal(str)
    open_requested = Signal(str)
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
        self.promises = PromiseRows(body)
        self.promises.setAccessibleName("Promises")
        self.ceo_spoke.toggled.connect(self._on_ceo_spoke_toggled)
        # -- who else is watching, and a customer who needs extra care
        self.flags = {f.key: field_widgets.check_box(f, body) for f in fields.REPUTATION_FIELDS}
        flags_box = QWidget(body)
        flags_grid = QGridLayout(flags_box)  # two by two: the form stays narrow
        flags_grid.setContentsMargins(0, 0, 0, 0)
        for number, box in enumerate(self.flags.values()):
            flags_grid.addWidget(box, number // 2, number % 2)
        flags_grid.setColumnStretch(2, 1)
        self.vulnerable = field_widgets.check_box(field("vulnerable"), body)
        # -- history
        self.prior_contacts = field_widgets.count_box(field("prior_contacts"), body)
        self.caused_by = field_widgets.list_box(field("caused_by_unit"), body)
        self.caused_by.addItem("—", None)
        # -- customer extras
        self.organisation = field_widgets.line_edit(field("organisation"), body)
        self.account_ref = field_widgets.line_edit(field("account_ref"), body)
        # Typed as text and read by the same rule as the command line: a sectioned date editor
        # turns the spaces and colons of "30 Nov 09:30" into jumps between its parts.
        self.received_at = QLineEdit(body)
        self.received_at.setPlaceholderText(RECEIVED_HINT)
        self.received_at.setAccessibleName(field("received_at").label)
        self.received_reading = QLabel(body)
        self.received_reading.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.received_reading.setAccessibleName("Received, as read")
        self.received_at.textChanged.connect(self._on_received_at_text_changed)
        received_box = QWidget(body)
        received_row = QHBoxLayout(received_box)
        received_row.setContentsMargins(0, 0, 0, 0)
        received_row.addWidget(self.received_at, 1)
        received_row.addWidget(self.received_reading)
        # Only as tall as the line: spare height in the form must not open a gap above it.
        received_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.errors: dict[str, FieldError] = {}
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)

        def row(
            key: str,
            widget: QWidget,
            mnemonic: str | None = None,
            *,
            required: bool = False,
            buddy: QWidget | None = None,
        ) -> None:
            if key in ("ceo_spoke", "vulnerable"):
                form.addRow("", widget)  # the check box carries its own label
                return
            caption = QLabel(field_widgets.caption(field(key), mnemonic, required=required))
            caption.setBuddy(buddy or widget)
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
        # Each promise with its due day, after the quick path of a call (Tab from the CEO's
        # words still reaches "people dealt with before" at once).
        promises_caption = QLabel("Promises:")
        promises_caption.setBuddy(self.promises.add_button)
        form.addRow(promises_caption, self.promises)
        self.errors["promise"] = self.errors["promise_due"] = FieldError(body)
        form.addRow("", self.errors["promise"])
        form.addRow(QLabel("Also watching:"), flags_box)
        row("organisation", self.organisation, "O")
        row("account_ref", self.account_ref, "A")
        row("vulnerable", self.vulnerable)
        row("received_at", received_box, "R", buddy=self.received_at)

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
        self.history_text.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.history_text.linkActivated.connect(self._on_history_text_link_activated)
        history_layout = QVBoxLayout(self.history)
        history_layout.addWidget(self.history_text)
        history_layout.addStretch(1)
        self.history.setFixedWidth(300)

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
            "email. Tab or Enter moves on; Ctrl+Enter saves.",
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
            self.promises.add_button,
            *self.flags.values(),
            self.organisation,
            self.account_ref,
            self.vulnerable,
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
        # A problem shown beside a field goes as soon as the field is put right.
        for key, editor in self._checked_editors().items():
            signal = (
                editor.textChanged
                if isinstance(editor, QLineEdit | QPlainTextEdit)
                else editor.currentIndexChanged
            )
            signal.connect(lambda *_args, key=key: self._recheck(key))

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

    @Slot(str)
    def _on_received_at_text_changed(self, text: str) -> None:
        """Echo how the typed time is read, so a slip shows before saving."""
        if not text.strip():
            self.received_reading.setText("")
            return
        try:
            read = validation.moment(text, "received_at")
        except ValidationError:
            self.received_reading.setText("?")
            return
        assert read is not None
        local = read.astimezone()
        self.received_reading.setText(f"{formatting.long_day(local.date())}, {local:%H:%M}")

    # ------------------------------------------------------------ keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in a one-line field moves on to the next field, as Tab does; it never saves
        (Ctrl+Enter does). Qt's dialogs press their default button on Enter instead."""
        plain_enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        )
        focused = self.focusWidget()
        if plain_enter and isinstance(focused, QLineEdit | QAbstractSpinBox | QComboBox):
            self.focusNextChild()
            return
        if plain_enter:
            return  # on a button or a check box Enter does nothing here; Space presses it
        super().keyPressEvent(event)

    def has_input(self) -> bool:
        """Whether anything was typed or chosen that closing would throw away."""
        typed = [
            self.customer_name.text(),
            self.phone.text(),
            self.email.text(),
            self.summary.text(),
            self.details.toPlainText(),
            self.customer_wants.toPlainText(),
            self.ceo_promised.toPlainText(),
            self.organisation.text(),
            self.account_ref.text(),
            self.received_at.text(),
        ]
        chosen = (
            self.ceo_spoke.isChecked()
            or self.promises.has_input()
            or self.vulnerable.isChecked()
            or any(box.isChecked() for box in self.flags.values())
            or self.prior_contacts.value() != 0
            or self.category.currentIndex() > 0
            or self.caused_by.currentIndex() > 0
            or self.severity.currentData() != Severity.NORMAL
        )
        return chosen or any(text.strip() for text in typed)

    def reject(self) -> None:
        """Escape and Cancel ask first when the call would be lost."""
        unsaved = self.logged_reference is None and self.has_input() and not self._saving
        if unsaved and not confirm_discard_call(self):
            return
        super().reject()

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
            who = " · ".join(
                html.escape(part) for part in (found.organisation, found.account_ref) if part
            )
            self.history_text.setText(
                f"<b>{name}</b>"
                + (f"<br>{who}" if who else "")
                + f"<br><br><b>{html.escape(summary)}</b><br>"
                + earlier_list_html(found)
            )
            # The caller is known: fill what the log holds, never over what was typed.
            for editor, value in (
                (self.customer_name, found.customer_name),
                (self.organisation, found.organisation),
                (self.account_ref, found.account_ref),
            ):
                if value and not editor.text().strip():
                    editor.setText(value)
        if found.vulnerable:
            self.vulnerable.setChecked(True)  # known to need care; the customer details clear it
        self.earlier_found.emit(summary)

    @Slot(str)
    def _on_history_text_link_activated(self, link: str) -> None:
        self.open_requested.emit(link.removeprefix("complaint:"))

    # ------------------------------------------------------------ saving

    def call_input(self) -> complaints.CallInput:
        received = self.received_at.text().strip() or None
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
            # Unticked leaves a known caller's flag as it is; the customer details clear it.
            vulnerable=True if self.vulnerable.isChecked() else None,
            promises=self.promises.promises(),
            **{key: box.isChecked() for key, box in self.flags.items()},
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
            "promise": self.promises.first_editor(),
            "promise_due": self.promises.first_editor(),
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

    def _checked_editors(self) -> dict[str, QLineEdit | QPlainTextEdit | QComboBox]:
        """The fields checked before saving, by the key their errors are shown under."""
        return {
            "customer_name": self.customer_name,
            "phone": self.phone,
            "email": self.email,
            "summary": self.summary,
            "received_at": self.received_at,
        }

    def _problem(self, key: str) -> ValidationError | None:
        """What is wrong with one field by the rules that need no database, or None."""
        try:
            if key == "customer_name" and not self.customer_name.text().strip():
                raise ValidationError(f"{fields.label('customer_name')} is required.", field=key)
            if key == "summary" and not self.summary.text().strip():
                raise ValidationError(f"{fields.label('summary')} is required.", field=key)
            if key == "phone":
                if not self.phone.text().strip() and not self.email.text().strip():
                    raise ValidationError(
                        "Give a phone number or an email so the CEO can call the customer back.",
                        field=key,
                    )
                validation.phone(self.phone.text(), self._phone_region)
            if key == "email":
                validation.email(self.email.text())
            if key == "received_at" and self.received_at.text().strip():
                fields.received_at(self.received_at.text())
        except ValidationError as exc:
            return exc
        return None

    def _check_all(self) -> list[ValidationError]:
        """Every problem the form can see for itself, in the order of the fields."""
        found = [self._problem(key) for key in self._checked_editors()]
        return [problem for problem in found if problem is not None]

    def _recheck(self, key: str) -> None:
        """Clear a field's error (and the contact pair's) once it is put right; typing never
        raises a new one."""
        keys = ("phone", "email") if key in ("phone", "email") else (key,)
        for each in keys:
            label = self.errors[each]
            if label.isVisible() and self._problem(each) is None:
                label.clear_message()

    @Slot()
    def save(self) -> None:
        if self._saving or not self.save_button.isEnabled():
            return
        self.clear_errors()
        problems = self._check_all()
        if problems:
            for problem in reversed(problems):  # focus ends on the first of them
                self.show_field_error(problem)
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
