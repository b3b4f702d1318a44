"""A small form dialog that saves through a service in the background and answers bad input
beside the field it concerns (the `field` of a `ValidationError`), never with a crash."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.errors import CeoDeskError
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.dialogs.base import Dialog
from ceo_desk.ui.dialogs.conflict import ConflictChoice, ConflictDialog
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import FieldError, save_shortcuts

T = TypeVar("T")


class ActionFormDialog(Dialog):
    """Subclasses add fields with `add_field` and return the work to do from `operation()`.

    Signals:
        saved(object): the service succeeded; the argument is its result.
    """

    saved = Signal(object)

    def __init__(
        self, title: str, intro: str, submit_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.result_value: object = None
        self._busy = False
        self.errors: dict[str, FieldError] = {}
        self._widgets: dict[str, QWidget] = {}

        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self.general_error = FieldError(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox()
        self.submit_button: QPushButton = self.buttons.addButton(
            submit_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.submit_button.setAccessibleName(submit_text)
        self.submit_button.setToolTip("Ctrl+Enter")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        save_shortcuts(self, self.submit)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def add_field(self, name: str, label: str, widget: QWidget, *aliases: str) -> FieldError:
        """Add a row; errors for `name` (or any alias) are shown right under it."""
        caption = QLabel(label)
        caption.setBuddy(widget)
        if not widget.accessibleName():
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        self.form.addRow(caption, widget)
        error = FieldError(self)
        self.form.addRow("", error)
        for key in (name, *aliases):
            self.errors[key] = error
            self._widgets[key] = widget
        return error

    def operation(self) -> Callable[[], Any]:
        """The work to run off the GUI thread; raise a CeoDeskError to refuse before saving."""
        raise NotImplementedError

    @property
    def busy(self) -> bool:
        return self._busy

    @Slot()
    def submit(self) -> None:
        if self._busy:
            return
        self.clear_errors()
        try:
            op = self.operation()
        except CeoDeskError as exc:
            self.show_field_error(exc)
            return
        self._busy = True
        self.submit_button.setEnabled(False)
        run_in_background(op, self._on_operation_done, self._on_operation_failed, owner=self)

    def clear_errors(self) -> None:
        self.general_error.clear_message()
        for error in self.errors.values():
            error.clear_message()

    def show_field_error(self, exc: CeoDeskError) -> None:
        error = self.errors.get(exc.field or "")
        if error is None:
            self.general_error.show_message(exc.message)
            return
        error.show_message(exc.message)
        self._widgets[exc.field or ""].setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_operation_done(self, result: object) -> None:
        self._busy = False
        self.submit_button.setEnabled(True)
        self.result_value = result
        self.saved.emit(result)
        self.accept()

    def _on_operation_failed(self, exc: BaseException) -> None:
        self._show_failure(exc)

    def _show_failure(self, exc: BaseException) -> None:
        self._busy = False
        self.submit_button.setEnabled(True)
        if isinstance(exc, CeoDeskError):
            self.show_field_error(exc)
        else:
            show_error(self, exc)

    # ------------------------------------------------------------ a save on a stale copy

    def reload_theirs(self, read: Callable[[], T], on_loaded: Callable[[T], None]) -> None:
        """Someone else saved first: read their version off the GUI thread for `on_loaded`,
        staying busy until the person has chosen."""
        self._busy = True
        run_in_background(read, on_loaded, self._show_failure)

    def choose_over_theirs(
        self, started: dict[str, str], typed: dict[str, str], theirs: dict[str, str], *, what: str
    ) -> tuple[bool, dict[str, str]] | None:
        """Their version beside mine, where mine is the fields changed here on top of theirs,
        so "Keep my edit" leaves their other changes as they are.

        Returns:
            Whether mine is kept, and the values to show; None when the person chose to decide
            later (they are told their edit is still here).
        """
        self._busy = False
        self.submit_button.setEnabled(True)
        mine = theirs | {k: v for k, v in typed.items() if v != started[k]}
        choice = ConflictDialog.ask(self, mine, theirs, what=what)
        if choice is ConflictChoice.CANCEL:
            self.general_error.show_message(
                "Not saved: your edit is still here. Save again to choose."
            )
            return None
        keep = choice is ConflictChoice.KEEP_MINE
        return keep, mine if keep else theirs

    def finish_conflict(self, keep: bool) -> None:
        """Save mine again on top of theirs, or show theirs as they are now."""
        if keep:
            self.submit()
        else:
            self.general_error.show_message("Showing the details as saved by someone else.")


def escape(text: str) -> str:
    return html.escape(text, quote=False)
