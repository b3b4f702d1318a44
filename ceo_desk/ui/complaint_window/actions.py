"""The complaint window's lifecycle actions: offered as its status allows, each opening its
dialog or question and running the change at the version the window loaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QToolBar

from ceo_desk.core import lifecycle, permissions, transitions
from ceo_desk.core.database import Database
from ceo_desk.core.lifecycle import Action
from ceo_desk.core.services import complaints, pauses
from ceo_desk.enums import Status
from ceo_desk.errors import CeoDeskError, ConflictError
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.complaint_change import change_at_loaded_version
from ceo_desk.ui.complaint_window.data import Loaded
from ceo_desk.ui.dialogs.action_form import ActionFormDialog
from ceo_desk.ui.dialogs.add_promise import AddPromiseDialog
from ceo_desk.ui.dialogs.base import RequiredTextDialog
from ceo_desk.ui.dialogs.callback_outcome import SendBackDialog, confirm_unreachable
from ceo_desk.ui.dialogs.delegate import DelegateDialog
from ceo_desk.ui.dialogs.file_report import FileReportDialog
from ceo_desk.ui.dialogs.pause import PauseDialog
from ceo_desk.ui.dialogs.record_callback import RecordCallbackDialog
from ceo_desk.ui.dialogs.reopen import ReopenDialog
from ceo_desk.ui.dialogs.withdraw import WithdrawDialog
from ceo_desk.ui.error_dialogs import show_error

if TYPE_CHECKING:
    from ceo_desk.core.database import UnitOfWork
    from ceo_desk.ui.complaint_window.window import ComplaintWindow
    from ceo_desk.ui.report_form_drop import ReturnedForm


PAUSE_TEXT, RESUME_TEXT = "Pause c&lock…", "Resume c&lock"


def toolbar_action(
    toolbar: QToolBar,
    text: str,
    slot: Callable[[], None],
    shortcut: QKeySequence.StandardKey | None = None,
) -> QAction:
    """An action on the window's toolbar, its button named for screen readers."""
    action = QAction(text, toolbar.parent())
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    toolbar.addAction(action)
    button = toolbar.widgetForAction(action)
    if button is not None:
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
    return action


class ActionController(QObject):
    """The Delegate … Withdraw actions of one complaint window."""

    def __init__(self, window: ComplaintWindow, db: Database, toolbar: QToolBar) -> None:
        super().__init__(window)
        self._window = window
        self._db = db
        self.active_dialog: QDialog | None = None
        self.buttons: dict[Action, QAction] = {
            Action.DELEGATE: toolbar_action(toolbar, "&Delegate…", self._on_delegate_triggered),
            Action.FILE_REPORT: toolbar_action(
                toolbar, "File &report…", self._on_file_report_triggered
            ),
            Action.SEND_BACK: toolbar_action(toolbar, "Send &back…", self._on_send_back_triggered),
            Action.RECORD_CALLBACK: toolbar_action(
                toolbar, "Record &callback…", self._on_record_callback_triggered
            ),
            Action.MARK_UNREACHABLE: toolbar_action(
                toolbar, "Mark &unreachable…", self._on_mark_unreachable_triggered
            ),
            Action.WITHDRAW: toolbar_action(toolbar, "&Withdraw…", self._on_withdraw_triggered),
            Action.REOPEN: toolbar_action(toolbar, "Re&open…", self._on_reopen_triggered),
            Action.PAUSE_CLOCK: toolbar_action(toolbar, PAUSE_TEXT, self._on_pause_clock_triggered),
        }
        for action in self.buttons.values():
            action.setEnabled(False)
        # Not a step of the loop: a promise can be added while the complaint is open or resolved.
        self.add_promise = toolbar_action(toolbar, "&Promise…", self._on_add_promise_triggered)
        self.add_promise.setToolTip("Add a promise the CEO made: what, and by when")
        self.add_promise.setEnabled(False)

    # ------------------------------------------------------------ what is offered

    def update(self, data: Loaded | None, *, busy: bool) -> None:
        """Enable what the status allows now; a disabled action's tooltip says why."""
        detail = data.detail if data else None
        allowed = lifecycle.allowed_actions(detail.status) if detail else []
        for action, qaction in self.buttons.items():
            enabled = detail is not None and action in allowed and not busy
            tip = ""
            if detail is not None and action not in allowed:
                try:
                    lifecycle.require(detail.reference, detail.status, action)
                except CeoDeskError as exc:
                    tip = exc.message
            if enabled and action is Action.MARK_UNREACHABLE and data is not None:
                assert detail is not None
                if not transitions.can_mark_unreachable(detail.unanswered_attempts, data.settings):
                    enabled = False
                    tip = (
                        f"Possible {transitions.unreachable_after(data.settings)}; "
                        f"so far {detail.unanswered_attempts}."
                    )
            if action is Action.PAUSE_CLOCK and detail is not None:
                # A closed complaint's clock is neither running nor paused: nothing to offer.
                paused = detail.paused_for is not None and action in allowed
                qaction.setText(RESUME_TEXT if paused else PAUSE_TEXT)
                if paused:
                    enabled, tip = not busy, f"Paused: {detail.paused_for}"
            if action is Action.DELEGATE and detail is not None:
                qaction.setText(
                    "Re-&delegate…" if detail.status is Status.DELEGATED else "&Delegate…"
                )
            qaction.setEnabled(enabled)
            qaction.setToolTip(tip or qaction.text().replace("&", "").rstrip("…"))
            roles = data.roles if data else None
            qaction.setVisible(roles is None or permissions.offers(roles, action))

        promise_possible = detail is not None and detail.status is not Status.WITHDRAWN
        self.add_promise.setEnabled(promise_possible and not busy)
        roles = data.roles if data else None
        self.add_promise.setVisible(
            roles is None or permissions.allows(roles, permissions.Action.MAKE_PROMISE)
        )

    def enabled(self) -> set[Action]:
        return {action for action, qaction in self.buttons.items() if qaction.isEnabled()}

    # ------------------------------------------------------------ running them

    def open_dialog(self, dialog: QDialog) -> None:
        """Open a window-modal dialog, remembered as the active one until it closes."""
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog))
        dialog.open()

    def _on_dialog_finished(self, dialog: QDialog) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None

    def _run(self, op: Callable[[], object]) -> None:
        window = self._window
        window.set_busy(True)

        def failed(exc: BaseException) -> None:
            window.set_busy(False)
            show_error(window, exc)
            if isinstance(exc, ConflictError):
                window.after_action()

        def done(result: object) -> None:
            window.set_busy(False)
            window.after_action(result)

        run_in_background(op, done, failed, owner=window)

    def _ready(self, action: Action) -> Loaded | None:
        data = self._window.loaded_data()
        if data is None or action not in self.enabled():
            return None
        if self._window.is_dirty():
            show_error(self._window, CeoDeskError("Save or undo your changes to the fields first."))
            return None
        return data

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
            self._window,
            current_delegate_id=detail.current_delegate_id,
            expected_version=detail.version,
        )
        dialog.complaint_delegated.connect(self._window.after_action)
        self.open_dialog(dialog)

    @Slot()
    def _on_file_report_triggered(self) -> None:
        self._open_form(
            Action.FILE_REPORT,
            lambda data: FileReportDialog(
                self._db, data.detail, data.staff, data.settings, self._window
            ),
        )

    def open_file_report(self, form: ReturnedForm) -> None:
        """File report, filled from a returned report form for the assistant to check."""
        self._open_form(
            Action.FILE_REPORT,
            lambda data: FileReportDialog(
                self._db, data.detail, data.staff, data.settings, self._window, form=form
            ),
        )

    @Slot()
    def _on_record_callback_triggered(self) -> None:
        self._open_form(
            Action.RECORD_CALLBACK,
            lambda data: RecordCallbackDialog(
                self._db, data.detail, data.staff, data.settings, self._window, roles=data.roles
            ),
        )

    @Slot()
    def _on_withdraw_triggered(self) -> None:
        self._open_form(
            Action.WITHDRAW, lambda data: WithdrawDialog(self._db, data.detail, self._window)
        )

    def _open_form(self, action: Action, make: Callable[[Loaded], ActionFormDialog]) -> None:
        """Open the form for `action`, if it may be taken now; its save reloads the window."""
        data = self._ready(action)
        if data is None:
            return
        dialog = make(data)
        dialog.saved.connect(self._window.after_action)
        self.open_dialog(dialog)

    @Slot()
    def _on_add_promise_triggered(self) -> None:
        data = self._window.loaded_data()
        if data is None or not self.add_promise.isEnabled():
            return
        dialog = AddPromiseDialog(self._db, data.detail, self._window)
        dialog.saved.connect(self._window.after_action)
        self.open_dialog(dialog)

    def _ask_then_change(
        self,
        data: Loaded,
        dialog: type[RequiredTextDialog],
        change: Callable[[UnitOfWork, str, str, int], object],
    ) -> None:
        """Ask the dialog's required text, then `change(uow, reference, text, version)` at the
        version the window loaded; nothing when the person cancels."""
        text = dialog.ask(self._window, data.detail)
        if text is None:
            return
        self._run(
            change_at_loaded_version(
                self._db,
                data.detail,
                lambda uow, reference, version: change(uow, reference, text, version),
            )
        )

    @Slot()
    def _on_send_back_triggered(self) -> None:
        data = self._ready(Action.SEND_BACK)
        if data is not None:
            self._ask_then_change(
                data,
                SendBackDialog,
                lambda uow, ref, comment, version: complaints.send_back(
                    uow, ref, comment, expected_version=version
                ),
            )

    @Slot()
    def _on_reopen_triggered(self) -> None:
        data = self._ready(Action.REOPEN)
        if data is not None:
            self._ask_then_change(
                data,
                ReopenDialog,
                lambda uow, ref, reason, version: complaints.reopen(
                    uow, ref, reason, expected_version=version
                ),
            )

    @Slot()
    def _on_pause_clock_triggered(self) -> None:
        data = self._ready(Action.PAUSE_CLOCK)
        if data is None:
            return
        if data.detail.paused_for is not None:
            self._run(
                change_at_loaded_version(
                    self._db,
                    data.detail,
                    lambda uow, reference, _version: pauses.resume(uow, reference),
                )
            )
            return
        self._ask_then_change(
            data, PauseDialog, lambda uow, ref, reason, _version: pauses.pause(uow, ref, reason)
        )

    @Slot()
    def _on_mark_unreachable_triggered(self) -> None:
        data = self._ready(Action.MARK_UNREACHABLE)
        if data is None or not confirm_unreachable(self._window, data.detail):
            return
        self._run(
            change_at_loaded_version(
                self._db,
                data.detail,
                lambda uow, reference, version: complaints.mark_unreachable(
                    uow, reference, expected_version=version
                ),
            )
        )
