"""Sign in: the password of the office's database login, asked when the keyring holds none (or
the server refused the one it held). It can be kept in this computer's keyring for next time."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.errors import PasswordNeeded
from ceo_desk.ui.dialogs.base import Dialog


@dataclass(frozen=True)
class SignIn:
    """What the person typed, and whether to keep it in the keyring."""

    password: str
    remember: bool


class SignInDialog(Dialog):
    def __init__(self, needed: PasswordNeeded, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to the office")
        server = needed.service.rsplit(" at ", 1)[-1]
        self.intro = intro = QLabel(
            (f"The server {server} refused the password for <b>{needed.login}</b>. Type it again.")
            if needed.refused
            else (
                f"The office's database at {server} asks for the password of "
                f"<b>{needed.login}</b>. This computer's keyring does not hold it yet."
            )
        )
        intro.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("The password you were given for this login")
        self.password.textChanged.connect(self._on_password_text_changed)
        self.remember = QCheckBox("Keep it in this computer's keyring (never in a file)")
        self.remember.setChecked(True)
        form = QFormLayout()
        form.addRow("Login", QLabel(needed.login))
        form.addRow("Password", self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText("Sign in")
        self.sign_in_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())

    def answer(self) -> SignIn:
        return SignIn(self.password.text(), self.remember.isChecked())

    @Slot(str)
    def _on_password_text_changed(self, password: str) -> None:
        self.sign_in_button.setEnabled(bool(password))

    @classmethod
    def ask(cls, parent: QWidget | None, needed: PasswordNeeded) -> SignIn | None:
        """The password typed, or None when the person cancelled (tests patch this)."""
        dialog = cls(needed, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.answer()
        finally:
            dialog.deleteLater()
