"""The complaint window: the customer, the complaint's fields, its history and its actions.

The window keeps the version it loaded. Saving an edit sends that version along; when someone else
saved in between, the service refuses with a ConflictError and the window shows both versions side
by side (ConflictDialog) so the person chooses: keep theirs, keep mine (re-applied on the new
version), or decide later with the edit still in the form.
"""

from __future__ import annotations

import html
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import lifecycle, permissions, presenting, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.lifecycle import Action
from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.core.services import complaints
from ceo_desk.enums import Status
from ceo_desk.errors import CeoDeskError, ConflictError, NotFoundError
from ceo_desk.ui import customer_data, formatting, qsettings_store
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.complaint_window.actions import ActionController, toolbar_action
from ceo_desk.ui.complaint_window.attachments import AttachmentsController, AttachmentsTab
from ceo_desk.ui.complaint_window.data import Loaded, load
from ceo_desk.ui.complaint_window.form import ComplaintForm, display_values, values_of
from ceo_desk.ui.complaint_window.history import HistoryTabs
from ceo_desk.ui.dialogs.conflict import ConflictChoice, ConflictDialog
from ceo_desk.ui.dialogs.customer_details import CustomerDetailsDialog, CustomerShown
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.report_form_drop import FormDrop
from ceo_desk.ui.screen_fit import fit_when_shown
from ceo_desk.ui.widgets import colours


class UnsavedChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_unsaved(parent: QWidget, reference: str) -> UnsavedChoice:
    """Ask what to do with an edit that was not saved, before closing or reloading the window
    (tests replace this)."""
    answer = QMessageBox.question(
        parent,
        "Unsaved changes",
        f"Your changes to {reference} are not saved. Save them?",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )
    if answer == QMessageBox.StandardButton.Save:
        return UnsavedChoice.SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return UnsavedChoice.DISCARD
    return UnsavedChoice.CANCEL


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
        self._close_after_save = False
        self.setWindowTitle(f"{reference} — CEO Desk")
        self.setAccessibleName(f"Complaint {reference}")
        self._build()
        self.attachments = AttachmentsController(self, db, self.attachments_tab)
        self.resize(1180, 760)
        qsettings_store.remember("complaint_window", self)
        # A splitter the person has not set yet gives the form its width once shown (the
        # screen's scale is known only then): at 150% the form needs more than at 100%.
        self._split_for_the_form = not qsettings_store.remember(
            "complaint_window/splitter", self.splitter
        )
        fit_when_shown(self)
        self.reload()

    # ------------------------------------------------------------ building

    def _toolbar(self, title: str, name: str) -> QToolBar:
        toolbar = QToolBar(title)
        toolbar.setObjectName(name)  # saveState() needs a name to restore it
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        return toolbar

    def _build(self) -> None:
        self.heading = QLabel(f"<h2>{html.escape(self.reference)}</h2>")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAccessibleName("Reference and status")
        self.due_line = QLabel("Loading…")
        self.due_line.setWordWrap(True)
        self.due_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.due_line.setAccessibleName("Status and what is due")
        # "Overdue." is in the palette's red: written again when the palette changes.
        colours.follow_palette(
            self.due_line, lambda: self._show_heading(self._data) if self._data else None
        )

        # Two rows: the edits of the form (Save, Undo, Reload) above, the complaint's steps
        # below, so at 150% on a laptop screen no action is hidden behind the "»" overflow.
        self.edit_toolbar = self._toolbar("Edits", "edits_toolbar")
        self.save_action = toolbar_action(
            self.edit_toolbar, "&Save changes", self.save, QKeySequence.StandardKey.Save
        )
        self.revert_action = toolbar_action(self.edit_toolbar, "&Undo my changes", self.revert)
        self.edit_toolbar.addSeparator()
        self.reload_action = toolbar_action(
            self.edit_toolbar, "Re&load", self.reload, QKeySequence.StandardKey.Refresh
        )
        self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.toolbar = self._toolbar("Actions", "actions_toolbar")
        self.action_controller = ActionController(self, self._db, self.toolbar)
        self.action_buttons = self.action_controller.buttons
        self.form_drop = FormDrop(self, self._db)  # a returned report form dropped here
        close = QAction("Close", self)
        close.setShortcut(QKeySequence(QKeySequence.StandardKey.Close))
        close.triggered.connect(self.close)
        self.addAction(close)

        # The complaint's own fields; the editors stay reachable as the window's attributes.
        self.form = ComplaintForm()
        self.form.edited.connect(self._on_form_edited)
        self.editors = self.form.editors
        self.field_errors = self.form.field_errors
        self.form_error = self.form.form_error
        self.received = self.form.received
        self.channel = self.form.channel
        self.severity = self.form.severity
        self.category = self.form.category
        self.caused_by = self.form.caused_by
        self.summary = self.form.summary
        self.details = self.form.details
        self.customer_wants = self.form.customer_wants
        self.ceo_spoke = self.form.ceo_spoke
        self.ceo_promised = self.form.ceo_promised
        self.prior_contacts = self.form.prior_contacts

        self.customer_labels: dict[str, QLabel] = {}
        customer_form = QFormLayout()
        for key, title in (
            ("name", "Name"),
            ("phone", "Phone"),
            ("email", "Email"),
            ("organisation", "Organisation"),
            ("account_ref", "Account ref"),
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
        left_layout.addWidget(self.form)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(left)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        # The history.
        self.tabs = HistoryTabs()
        self.timeline_model = self.tabs.timeline_model
        self.delegations_model = self.tabs.delegations_model
        self.reports = self.tabs.reports
        self.callbacks = self.tabs.callbacks
        self.attachments_tab = AttachmentsTab()
        self.tabs.addTab(self.attachments_tab, "Files")

        self._form_pane = scroll
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
        self._set_editable(False)

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

    # ------------------------------------------------------------ loading and showing

    @property
    def detail(self) -> ComplaintDetail | None:
        return self._data.detail if self._data else None

    @property
    def loaded_version(self) -> int | None:
        return self._data.detail.version if self._data else None

    @property
    def active_dialog(self) -> QDialog | None:
        """The action or customer dialog open over this window, if any."""
        return self.action_controller.active_dialog

    def loaded_data(self) -> Loaded | None:
        return self._data

    @Slot()
    def reload(self) -> None:
        """Read the complaint again (drops unsaved edits only after asking)."""
        if self.is_dirty():
            choice = ask_unsaved(self, self.reference)
            if choice is UnsavedChoice.SAVE:
                self.save()  # a saved edit is shown as read back, which is the reload
                return
            if choice is UnsavedChoice.CANCEL:
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
        self.form.fill(data)
        self._pristine = self.form_values()

        self.customer_labels["name"].setText(detail.customer_name)
        self.customer_labels["phone"].setText(
            validation.phone_for_display(detail.customer_phone) or "—"
        )
        self.customer_labels["email"].setText(detail.customer_email or "—")
        self.customer_labels["organisation"].setText(detail.customer_organisation or "—")
        self.customer_labels["account_ref"].setText(detail.customer_account_ref or "—")

        self._show_heading(data)
        self.tabs.show_history(detail)
        self.attachments.show_files(detail.attachments)
        self._set_editable(self._may_edit(data))
        self._update_actions()
        self.loaded.emit()

    def _may_edit(self, data: Loaded) -> bool:
        """The status allows editing, and so do the person's roles."""
        roles = data.roles
        return Action.EDIT in lifecycle.allowed_actions(data.detail.status) and (
            roles is None or permissions.offers(roles, Action.EDIT)
        )

    def _show_heading(self, data: Loaded) -> None:
        detail = data.detail
        today = SYSTEM_CLOCK.today()
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
        if (final := presenting.final_response_row(detail, today)) is not None:
            said = final.value.text
            words = html.escape(f"Final response {said[:1].lower()}{said[1:]}")
            parts.append(f"<b>{words}</b>" if final.strong else words)
        text = " · ".join(parts)
        if late:
            colour = colours.warning_text(self.palette()).name()
            text = f"<span style='color:{colour}'><b>Overdue.</b> {text}</span>"
        self.due_line.setText(text)

    def _set_editable(self, editable: bool) -> None:
        self.form.set_editable(editable)
        self.save_action.setEnabled(editable and self.is_dirty())
        self.revert_action.setEnabled(editable and self.is_dirty())

    def set_busy(self, busy: bool) -> None:
        """A change is being saved: nothing else may start until it is done."""
        self._saving = busy
        self._update_actions()

    def _update_actions(self) -> None:
        detail = self.detail
        self.action_controller.update(self._data, busy=self._saving)
        allowed = lifecycle.allowed_actions(detail.status) if detail else []
        dirty = self.is_dirty()
        editable = detail is not None and Action.EDIT in allowed
        editable = editable and self._data is not None and self._may_edit(self._data)
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
        return self.action_controller.enabled()

    def after_action(self, _result: object = None) -> None:
        """Something was saved from this window: say so, and show the complaint as it is now."""
        self.complaint_changed.emit(self.reference)
        db, reference = self._db, self.reference
        run_in_background(lambda: load(db, reference), self._show, self._on_load_failed, owner=self)

    # ------------------------------------------------------------ editing

    def form_values(self) -> dict[str, Any]:
        return self.form.values()

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
        self.form.clear_errors()
        self._update_actions()

        def op() -> Loaded:
            with db.transaction() as uow:
                complaints.edit(
                    uow, reference, complaints.ComplaintEdit(changes), expected_version=version
                )
            return load(db, reference)

        def failed(exc: BaseException) -> None:
            self._saving = False
            self._close_after_save = False  # the window stays open with the edit
            self._update_actions()
            if isinstance(exc, ConflictError):
                self._resolve_conflict(changes)
            elif isinstance(exc, CeoDeskError):
                self.form.show_error(exc)
            else:
                show_error(self, exc)

        run_in_background(op, self._on_saved, failed, owner=self)

    def _on_saved(self, data: Loaded) -> None:
        self._saving = False
        self._show(data)
        self.statusBar().showMessage("Saved.", 5000)
        self.complaint_changed.emit(self.reference)
        if self._close_after_save:
            self._close_after_save = False
            self.close()

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
        return display_values(values, data or self._data)

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
            version=detail.customer_version,
            vulnerable=detail.customer_vulnerable,
        )

    @Slot()
    def _on_edit_customer_triggered(self) -> None:
        if self._customer_ready(changes_records=True) is None:
            return
        customer = self.customer_shown()
        assert customer is not None
        dialog = CustomerDetailsDialog(self._db, customer, self)
        dialog.saved.connect(self._on_customer_saved)
        dialog.customer_missing.connect(self.after_action)
        self.action_controller.open_dialog(dialog)

    def _on_customer_saved(self, _result: object) -> None:
        self.statusBar().showMessage("Customer details saved.", 5000)
        self.after_action()

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
            self, self._db, data.detail.customer_id, on_erased=self.after_action
        )

    # ------------------------------------------------------------ Qt overrides

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._split_for_the_form:
            self._split_for_the_form = False
            pane = self._form_pane
            inner = pane.widget()
            assert inner is not None, "the form pane holds the form"
            needed = inner.sizeHint().width() + pane.verticalScrollBar().sizeHint().width()
            total = sum(self.splitter.sizes()) or self.splitter.width()
            form = min(needed, total * 3 // 5)  # the history keeps at least two fifths
            if form > self.splitter.sizes()[0]:
                self.splitter.setSizes([form, total - form])

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty():
            choice = ask_unsaved(self, self.reference)
            if choice is not UnsavedChoice.DISCARD:
                event.ignore()
                if choice is UnsavedChoice.SAVE:
                    self._close_after_save = True  # closed once the save is through
                    self.save()
                return
        qsettings_store.save(self)
        qsettings_store.save(self.splitter)
        super().closeEvent(event)
