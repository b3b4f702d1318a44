"""Settings → Email: the office's mail server and the wording of each kind of email.

The server's details are office settings (declared in `ceo_desk.settings`, saved with the rest
on Save); its password goes to this computer's keyring (`ceo_desk.secrets`), never to the log or
a file. Each template is edited here and saved on Save too; "Use the default" drops the office's
wording for that kind.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ceo_desk import secrets
from ceo_desk import settings as declared
from ceo_desk.core.mail import templates
from ceo_desk.core.mail.templates import Template
from ceo_desk.enums import MessageKind
from ceo_desk.errors import ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.ui.form_helpers import FieldError


@dataclass(frozen=True)
class TemplateChange:
    kind: MessageKind
    subject: str
    body: str
    to_default: bool


@dataclass(frozen=True)
class PasswordChange:
    service: str
    user: str
    password: str

    def keep(self) -> None:
        """Into this computer's keyring (run off the GUI thread: a keyring may be slow)."""
        secrets.set_password(self.service, self.user, self.password)


def has_password(settings: OfficeSettings) -> bool:
    """Whether this computer's keyring holds the mail server's password (worker thread)."""
    if not settings.smtp_host or not settings.smtp_user:
        return False
    service = secrets.mail_service(settings.smtp_host, settings.smtp_port)
    return secrets.get_password(service, settings.smtp_user) is not None


def _caption(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class EmailPage(QWidget):
    """The Email tab. `errors` maps a setting's key to its message label and the field to focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors: dict[str, tuple[FieldError, QWidget]] = {}
        self._templates: dict[MessageKind, Template] = {}
        self._edited: dict[MessageKind, tuple[str, str]] = {}
        self._to_default: set[MessageKind] = set()
        self._shown: MessageKind | None = None

        server = QGroupBox("Mail server", self)
        grid = QGridLayout(server)
        host, port, security, user, sender = (
            declared.option(k)
            for k in ("smtp_host", "smtp_port", "smtp_security", "smtp_user", "mail_from")
        )
        self.host = QLineEdit()
        self.host.setAccessibleName(host.label)
        self.host.setPlaceholderText("smtp.example.com (empty: messages wait as drafts)")
        self.host.setToolTip(host.help[:1].upper() + host.help[1:] + ".")
        self.port = QSpinBox()
        self.port.setRange(port.minimum, port.maximum)
        self.port.setAccessibleName(port.label)
        self.security = QComboBox()
        self.security.setAccessibleName(security.label)
        for value, label in security.choices:
            self.security.addItem(label, value)
        self.security.currentIndexChanged.connect(self._on_security_current_index_changed)
        self.user = QLineEdit()
        self.user.setAccessibleName(user.label)
        self.user.setPlaceholderText("empty: the server needs no sign-in")
        self.password = QLineEdit()
        self.password.setAccessibleName("Mail server password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.send_as = QLineEdit()
        self.send_as.setAccessibleName(sender.label)
        self.send_as.setPlaceholderText("ceo.office@example.com")

        self.password.setToolTip("Kept in this computer's keyring, never in the log or a file.")
        grid.addWidget(_caption("Mail &server:", self.host), 0, 0)
        grid.addWidget(self.host, 0, 1)
        grid.addWidget(_caption("&Port:", self.port), 0, 2)
        grid.addWidget(self.port, 0, 3)
        grid.addWidget(_caption("Securit&y:", self.security), 1, 0)
        grid.addWidget(self.security, 1, 1, 1, 3)
        grid.addWidget(_caption("&User name:", self.user), 2, 0)
        grid.addWidget(self.user, 2, 1)
        grid.addWidget(_caption("Pass&word:", self.password), 2, 2)
        grid.addWidget(self.password, 2, 3)
        grid.addWidget(_caption("Send &as:", self.send_as), 3, 0)
        grid.addWidget(self.send_as, 3, 1, 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        errors = QVBoxLayout()
        for key, widget in (
            (host.key, self.host),
            (port.key, self.port),
            (user.key, self.user),
            (sender.key, self.send_as),
        ):
            error = FieldError(self)
            self.errors[key] = (error, widget)
            errors.addWidget(error)
        grid.addLayout(errors, 4, 0, 1, 4)

        wording = QGroupBox("Templates", self)
        box = QVBoxLayout(wording)
        row = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of email")
        for kind in MessageKind:
            self.kind.addItem(kind.label, kind.value)
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.default_button = QPushButton("Use the &default")
        self.default_button.setAccessibleName("Use the default template")
        self.default_button.clicked.connect(self._on_default_clicked)
        self.edited_label = _muted("")
        row.addWidget(_caption("&Email:", self.kind))
        row.addWidget(self.kind, 1)
        row.addWidget(self.edited_label)
        row.addWidget(self.default_button)
        self.subject = QLineEdit()
        self.subject.setAccessibleName("Template subject")
        self.body = QPlainTextEdit()
        self.body.setAccessibleName("Template body")
        self.body.setTabChangesFocus(True)
        self.template_error = FieldError(self)
        self.errors["subject"] = (self.template_error, self.subject)
        self.errors["body"] = (self.template_error, self.body)
        subject_row = QHBoxLayout()
        subject_row.addWidget(_caption("Su&bject:", self.subject))
        subject_row.addWidget(self.subject, 1)
        box.addLayout(row)
        box.addLayout(subject_row)
        box.addWidget(self.body, 1)
        box.addWidget(self.template_error)
        values = _muted(
            "Values such as {reference}, {customer}, {summary} and {delegate_first_name} are "
            "filled in; hover here for all of them."
        )
        values.setToolTip("\n".join(f"{{{n}}}: {w}" for n, w in templates.VALUES.items()))
        box.addWidget(values)

        layout = QVBoxLayout(self)
        layout.addWidget(server)
        layout.addWidget(wording, 1)

    # ------------------------------------------------------------ loading

    def load(self, settings: OfficeSettings, found: list[Template], *, password_kept: bool) -> None:
        self.host.setText(settings.smtp_host)
        self.port.setValue(settings.smtp_port)
        index = self.security.findData(settings.smtp_security)
        self.security.setCurrentIndex(max(0, index))
        self.user.setText(settings.smtp_user)
        self.send_as.setText(settings.mail_from)
        self.password.clear()
        self.password.setPlaceholderText(
            "kept in the keyring (type to replace it)"
            if password_kept
            else "kept in the keyring only"
        )
        self._templates = {t.kind: t for t in found}
        self._edited.clear()
        self._to_default.clear()
        self._shown = None
        self._show_kind(MessageKind(self.kind.currentData()))

    def _show_kind(self, kind: MessageKind) -> None:
        self._keep_shown()
        self._shown = kind
        subject, body = self._current(kind)
        self.subject.setText(subject)
        self.body.setPlainText(body)
        self._update_edited_label()

    def _current(self, kind: MessageKind) -> tuple[str, str]:
        if kind in self._edited:
            return self._edited[kind]
        if kind in self._to_default:
            return templates.DEFAULTS[kind]
        found = self._templates.get(kind)
        return (found.subject, found.body) if found else templates.DEFAULTS[kind]

    def _keep_shown(self) -> None:
        """What is typed for the kind on screen, kept when another kind is chosen."""
        if self._shown is None:
            return
        typed = (self.subject.text(), self.body.toPlainText())
        if typed != self._current(self._shown):
            self._edited[self._shown] = typed

    def _update_edited_label(self) -> None:
        kind = self._shown
        if kind is None:
            return
        found = self._templates.get(kind)
        is_default = kind in self._to_default or (
            kind not in self._edited and not (found and found.edited)
        )
        self.edited_label.setText("the default wording" if is_default else "the office's wording")
        self.default_button.setEnabled(not is_default or kind in self._edited)

    @Slot(int)
    def _on_kind_current_index_changed(self, _index: int) -> None:
        self.template_error.clear_message()
        self._show_kind(MessageKind(self.kind.currentData()))

    @Slot(int)
    def _on_security_current_index_changed(self, _index: int) -> None:
        # The usual port follows the security, unless a person typed another one.
        usual = {"starttls": 587, "tls": 465, "none": 25}
        if self.port.value() in usual.values():
            self.port.setValue(usual[str(self.security.currentData())])

    @Slot()
    def _on_default_clicked(self) -> None:
        kind = self._shown
        if kind is None:
            return
        self._edited.pop(kind, None)
        self._to_default.add(kind)
        self._shown = None
        self._show_kind(kind)

    # ------------------------------------------------------------ saving

    def apply(self, settings: OfficeSettings) -> OfficeSettings:
        return replace(
            settings,
            smtp_host=self.host.text(),
            smtp_port=self.port.value(),
            smtp_security=str(self.security.currentData()),
            smtp_user=self.user.text(),
            mail_from=self.send_as.text(),
        )

    def template_changes(self) -> list[TemplateChange]:
        """The templates changed on the page, checked; a refused one is shown and raised."""
        self._keep_shown()
        changes = []
        for kind in MessageKind:
            if kind in self._edited:
                subject, body = self._edited[kind]
                try:
                    subject, body = templates.check(subject, body)
                except ValidationError:
                    self.kind.setCurrentIndex(self.kind.findData(kind.value))
                    raise
                changes.append(TemplateChange(kind, subject, body, to_default=False))
            elif kind in self._to_default:
                changes.append(TemplateChange(kind, "", "", to_default=True))
        return changes

    def password_change(self, settings: OfficeSettings) -> PasswordChange | None:
        typed = self.password.text()
        if not typed:
            return None
        if not settings.smtp_host or not settings.smtp_user:
            raise ValidationError(
                "A password needs the mail server and the user name it belongs to; give both, "
                "or leave the password empty.",
                field="smtp_user",
            )
        return PasswordChange(
            secrets.mail_service(settings.smtp_host, settings.smtp_port),
            settings.smtp_user,
            typed,
        )
