"""The complaint's own fields in the complaint window: built from their declaration
(`core.fields`), filled from a loaded complaint, read back as the changes to save."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import fields
from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.enums import Channel, Severity
from ceo_desk.errors import CeoDeskError
from ceo_desk.ui import field_widgets, formatting
from ceo_desk.ui.complaint_window.data import Loaded
from ceo_desk.ui.form_helpers import FieldError
from ceo_desk.ui.moment_edit import MomentEdit

# The editable fields in the order the form shows them (keyed by the column an edit changes).
FORM_ORDER: tuple[str, ...] = (
    "received_at",
    "channel",
    "severity",
    "category_id",
    "caused_by_unit_id",
    "summary",
    "details",
    "customer_wants",
    "ceo_spoke",
    "ceo_promised",
    "prior_contacts",
    *(f.key for f in fields.REPUTATION_FIELDS),
)
assert set(FORM_ORDER) == set(fields.EDITABLE_FIELDS), "every editable field has its place"
_NOT_SET = {"category_id": "Not set", "caused_by_unit_id": "Not known"}
# The reputational flags share one row of check boxes.
_FLAGS = tuple(f.key for f in fields.REPUTATION_FIELDS)


def values_of(detail: ComplaintDetail) -> dict[str, Any]:
    """The editable fields of a saved complaint, keyed like `fields.EDITABLE_FIELDS` (the
    detail carries each under the column's name); a choice as its stored text."""
    values: dict[str, Any] = {}
    for attribute in FORM_ORDER:
        value = getattr(detail, attribute)
        values[attribute] = value.value if isinstance(value, StrEnum) else value
    return values


def display_values(values: dict[str, Any], data: Loaded | None) -> dict[str, str]:
    """The editable fields as a person reads them, labelled (for the conflict dialog)."""
    categories = {c.id: c.name for c in data.categories} if data else {}
    units = {u.id: u.name for u in data.units} if data else {}
    shown: dict[str, str] = {}
    for key in FORM_ORDER:
        value = values.get(key)
        if key == "received_at":
            text = value if isinstance(value, str) else formatting.moment(value)
        elif key == "channel":
            text = Channel(str(value)).label
        elif key == "severity":
            text = Severity(str(value)).label
        elif key in _NOT_SET:
            names = categories if key == "category_id" else units
            text = names.get(value, _NOT_SET[key]) if value is not None else _NOT_SET[key]
        elif key == "ceo_spoke" or key in _FLAGS:
            text = "Yes" if value else "No"
        else:
            text = str(value if value is not None else "")
        shown[fields.BY_ATTRIBUTE[key].label] = text
    return shown


class ComplaintForm(QGroupBox):
    """The "Complaint" box: one editor per editable field, with its error line.

    Signals:
        edited(): the person changed a field.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Complaint", parent)
        declared = fields.BY_ATTRIBUTE
        self.received = MomentEdit("received_at", self)
        self.channel = field_widgets.choice_box(declared["channel"], as_value=True)
        self.severity = field_widgets.choice_box(
            declared["severity"], as_value=True, highest_first=True
        )
        self.category = field_widgets.list_box(declared["category_id"])
        self.caused_by = field_widgets.list_box(declared["caused_by_unit_id"])
        self.summary = field_widgets.line_edit(declared["summary"], placeholder=False)
        self.details = field_widgets.text_box(declared["details"], lines=6, placeholder=False)
        self.customer_wants = field_widgets.text_box(declared["customer_wants"], placeholder=False)
        self.ceo_spoke = field_widgets.check_box(declared["ceo_spoke"])
        self.ceo_promised = field_widgets.text_box(declared["ceo_promised"], placeholder=False)
        self.prior_contacts = field_widgets.count_box(declared["prior_contacts"])
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
        self.flags = {key: field_widgets.check_box(declared[key]) for key in _FLAGS}
        self.editors.update(self.flags)
        assert tuple(self.editors) == FORM_ORDER
        self.received.setAccessibleName(declared["received_at"].label)
        self.field_errors: dict[str, FieldError] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Narrow (150% on a laptop screen): a field that does not fit beside its label goes under
        # it, instead of the form being cut off at the splitter.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        flags_row = QGridLayout()  # two by two, so the form stays as narrow as before
        flags_error = FieldError(self)
        for key, widget in self.editors.items():
            if key in _FLAGS:
                self.field_errors[key] = flags_error
                placed = flags_row.count()
                flags_row.addWidget(widget, placed // 2, placed % 2)
                continue
            error = FieldError(self)
            self.field_errors[key] = error
            if key == "ceo_spoke":
                form.addRow("", widget)  # the check box carries its own label
            else:
                caption = QLabel(field_widgets.caption(declared[key]))
                caption.setBuddy(widget)
                form.addRow(caption, widget)
            if isinstance(widget, MomentEdit):
                form.addRow("", widget.reading)
            form.addRow("", error)
        flags_row.setColumnStretch(2, 1)
        form.addRow(QLabel("Also watching:"), flags_row)
        form.addRow("", flags_error)
        self.form_error = FieldError(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        self._connect_edits()

    def _connect_edits(self) -> None:
        for widget in self.editors.values():
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self.edited)
            elif isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.textChanged.connect(self.edited)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(self.edited)
            elif isinstance(widget, QSpinBox):
                widget.valueChanged.connect(self.edited)
            else:
                raise AssertionError(f"no edit signal for {type(widget).__name__}")

    def fill(self, data: Loaded) -> None:
        """Show the loaded complaint's values (without announcing them as edits)."""
        detail = data.detail
        self._fill_choices(data, detail)
        for widget in self.editors.values():
            widget.blockSignals(True)
        for key, value in values_of(detail).items():
            _show_value(self.editors[key], value)
        for widget in self.editors.values():
            widget.blockSignals(False)
        self.clear_errors()

    def _fill_choices(self, data: Loaded, detail: ComplaintDetail) -> None:
        for combo, key, rows, current in (
            (
                self.category,
                "category_id",
                [(c.id, c.name, c.active) for c in data.categories],
                detail.category_id,
            ),
            (
                self.caused_by,
                "caused_by_unit_id",
                [(u.id, f"{u.name} ({u.kind.label.lower()})", u.active) for u in data.units],
                detail.caused_by_unit_id,
            ),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_NOT_SET[key], None)
            for row_id, name, active in rows:
                if active or row_id == current:
                    combo.addItem(name if active else f"{name} (deactivated)", row_id)
            combo.blockSignals(False)

    def values(self) -> dict[str, Any]:
        """What the editors hold, keyed like `fields.EDITABLE_FIELDS`."""
        return {key: _typed_value(widget) for key, widget in self.editors.items()}

    def set_editable(self, editable: bool) -> None:
        for widget in self.editors.values():
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                # Read-only text stays selectable for copying, but must not look typeable: it
                # takes the window's background, as the disabled lists beside it do.
                widget.setReadOnly(not editable)
                palette = QPalette(self.palette())
                if not editable:
                    palette.setColor(
                        QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window)
                    )
                widget.setPalette(palette)
            else:
                widget.setEnabled(editable)

    def clear_errors(self) -> None:
        self.form_error.clear_message()
        for error in self.field_errors.values():
            error.clear_message()

    def show_error(self, exc: CeoDeskError) -> None:
        """The refusal under the field it is about (or under the form), the field focused."""
        key = fields.attribute_for_error(exc.field)
        error = self.field_errors.get(key or "")
        if key is None or error is None:
            self.form_error.show_message(exc.message)
            return
        error.show_message(exc.message)
        self.editors[key].setFocus(Qt.FocusReason.OtherFocusReason)


def _show_value(widget: QWidget, value: Any) -> None:
    """Put a saved value into its editor, whatever kind of editor the field has."""
    if isinstance(widget, MomentEdit):
        widget.set_moment(value)
    elif isinstance(widget, QComboBox):
        _select(widget, value)
    elif isinstance(widget, QLineEdit):
        widget.setText(value)
        widget.setCursorPosition(0)
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value))
    else:
        raise AssertionError(f"no way to show a value in {type(widget).__name__}")


def _typed_value(widget: QWidget) -> Any:
    """The value an editor holds, as the edit service takes it."""
    if isinstance(widget, MomentEdit):
        return widget.moment()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox):
        return widget.value()
    raise AssertionError(f"no way to read {type(widget).__name__}")


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))
