"""Editors made from a field's declaration (`core.fields`): its label, limits, help and choices.

Every form that shows a complaint's field builds its editor here, so the Log-a-call form and the
complaint window agree on what a field is called and what it accepts.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from ceo_desk.core.fields import Field, Kind


def caption(declared: Field, mnemonic: str | None = None, *, required: bool = False) -> str:
    """The form's label for the field: "Customer &name: *" (the mnemonic letter underlined)."""
    text = declared.label
    if mnemonic:
        at = text.find(mnemonic)
        if at < 0:
            at = text.lower().find(mnemonic.lower())
        if at >= 0:
            text = f"{text[:at]}&{text[at:]}"
    return f"{text}: *" if required else f"{text}:"


def _describe(widget: QWidget, declared: Field, required: bool) -> None:
    widget.setAccessibleName(f"{declared.label} (required)" if required else declared.label)
    widget.setToolTip(declared.help[:1].upper() + declared.help[1:] + ".")


def line_edit(
    declared: Field,
    parent: QWidget | None = None,
    *,
    required: bool = False,
    placeholder: bool = True,
) -> QLineEdit:
    assert declared.kind is Kind.LINE, declared.key
    edit = QLineEdit(parent)
    edit.setMaxLength(declared.length_limit)
    if placeholder and declared.placeholder:
        edit.setPlaceholderText(declared.placeholder)
    _describe(edit, declared, required)
    return edit


def text_box(
    declared: Field, parent: QWidget | None = None, *, lines: int = 3, placeholder: bool = True
) -> QPlainTextEdit:
    """Free text that Tab leaves (a form is filled with the keyboard), `lines` high. The
    placeholder is typing guidance, left out where a saved value is shown."""
    assert declared.kind is Kind.TEXT, declared.key
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    if placeholder and declared.placeholder:
        box.setPlaceholderText(declared.placeholder)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    _describe(box, declared, False)
    return box


def count_box(declared: Field, parent: QWidget | None = None) -> QSpinBox:
    assert declared.kind is Kind.COUNT, declared.key
    spin = QSpinBox(parent)
    spin.setRange(declared.minimum, declared.maximum)
    _describe(spin, declared, False)
    return spin


def check_box(declared: Field, parent: QWidget | None = None) -> QCheckBox:
    assert declared.kind is Kind.FLAG, declared.key
    box = QCheckBox(declared.label, parent)
    _describe(box, declared, False)
    return box


def choice_box(
    declared: Field,
    parent: QWidget | None = None,
    *,
    as_value: bool = False,
    highest_first: bool = False,
) -> QComboBox:
    """The enum's choices by label; each item holds the member (or its value, `as_value`)."""
    assert declared.kind is Kind.CHOICE and declared.choices is not None, declared.key
    combo = QComboBox(parent)
    members: list[StrEnum] = list(declared.choices)
    if highest_first:
        members.reverse()
    for member in members:
        label = getattr(member, "label", member.value)
        combo.addItem(str(label), member.value if as_value else member)
    if declared.default is not None:
        combo.setCurrentIndex(max(0, [m.value for m in members].index(declared.default)))
    _describe(combo, declared, False)
    return combo


def list_box(declared: Field, parent: QWidget | None = None) -> QComboBox:
    """A choice among rows read from the log (categories, units); filled by the form."""
    assert declared.kind in (Kind.CATEGORY, Kind.UNIT), declared.key
    combo = QComboBox(parent)
    _describe(combo, declared, False)
    return combo
