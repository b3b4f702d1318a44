"""The base every dialog of the app shares: one modality rule and a remembered size and place.

A dialog is window-modal: it blocks the window it belongs to (the main window, or one complaint
window) and nothing else, so a question asked over one complaint never freezes the lists. Its
geometry is kept in the layout file under `geometry_key` (through `qsettings_store`, the one place
that remembers window state), restored the first time it is shown and saved when it closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QPlainTextEdit, QWidget

from ceo_desk.ui import qsettings_store
from ceo_desk.ui.screen_fit import fit_to_screen

if TYPE_CHECKING:
    from ceo_desk.core.queries import ComplaintDetail
    from ceo_desk.ui.form_helpers import FieldError


def apply_modality(dialog: QWidget) -> None:
    """The app's one modality rule, for dialogs that cannot derive from `Dialog` (a wizard)."""
    dialog.setWindowModality(Qt.WindowModality.WindowModal)


class Dialog(QDialog):
    """A window-modal dialog that remembers its geometry under `geometry_key` (by default
    the class name)."""

    def __init__(self, parent: QWidget | None = None, *, geometry_key: str = "") -> None:
        super().__init__(parent)
        apply_modality(self)
        self.geometry_key = f"dialogs/{geometry_key or type(self).__name__}"
        self._geometry_restored = False

    def done(self, result: int) -> None:
        if self._geometry_restored:
            qsettings_store.save(self)
        super().done(result)

    # Qt overrides

    def showEvent(self, event: QShowEvent) -> None:
        # Restored on first show, after the subclass has set its default size; then made to fit
        # the screen it opens on (a form taller than the room scrolls).
        if not self._geometry_restored:
            self._geometry_restored = True
            qsettings_store.remember(self.geometry_key, self)
            fit_to_screen(self)
        super().showEvent(event)


class RequiredTextDialog(Dialog):
    """A dialog whose answer is one text that may not be left empty (a reason, a comment).

    Subclasses set `answer` (the text box) and `missing` (what to say when it is empty) and
    connect their accept button to `_on_buttons_accepted`."""

    answer: QPlainTextEdit
    missing: str
    error: FieldError

    def __init__(self, detail: ComplaintDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = detail

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if not self.answer.toPlainText().strip():
            self.error.show_message(self.missing)
            self.answer.setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, detail: ComplaintDetail) -> str | None:
        """The text typed, or None when the person cancelled."""
        dialog = cls(detail, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.answer.toPlainText().strip()
            return None
        finally:
            dialog.deleteLater()
