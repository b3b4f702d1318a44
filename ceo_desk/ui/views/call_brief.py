"""The call brief: everything the CEO needs on screen while calling a customer back, and the
buttons that record how the call went."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from datetime import time as time_of_day

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QResizeEvent, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import links, permissions, policy, presenting, transitions, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.queries import ComplaintDetail, complaint_detail
from ceo_desk.core.services import complaints, countersign, office
from ceo_desk.enums import Loyalty, Outcome, Role, Status
from ceo_desk.settings import OfficeSettings
from ceo_desk.ui import formatting
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.complaint_change import change_at_loaded_version
from ceo_desk.ui.dialogs.callback_outcome import (
    NotSatisfiedDialog,
    SendBackDialog,
    confirm_unreachable,
)
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.report_html import section_html, text_html
from ceo_desk.ui.widgets import colours
from ceo_desk.ui.widgets.next_try import fill_next_try
from ceo_desk.ui.widgets.promise_ticks import PromiseTicks, settle_with

# A warm amber border reads as "look here" on light and dark backgrounds alike.
FLAG_ACCENT = "#d9822b"

# The score's meaning, shown beside it: a 1-5 score means nothing without its scale.
SCORE_MEANINGS = {
    1: "very dissatisfied",
    2: "dissatisfied",
    3: "neither",
    4: "satisfied",
    5: "very satisfied",
}

# Shorter than this (Today at 150% on a laptop screen) the score's legend and the heading above
# the outcome buttons give way, so that the brief keeps room for whom to call and how: the
# score's own choices and its tooltip say what each number means.
COMPACT_BELOW = 420

# A name on an outcome button is cut here, so a long one cannot push the other buttons away.
BUTTON_NAME_LENGTH = 24


def outcome_for(outcome_label: str, customer_name: str) -> str:
    """'Satisfied — Farah Novák': an outcome always names the customer it applies to."""
    name = customer_name
    if len(name) > BUTTON_NAME_LENGTH:
        name = name[: BUTTON_NAME_LENGTH - 1].rstrip() + "…"
    return f"{outcome_label} — {name}"


@dataclass(frozen=True)
class RecordedOutcome:
    """The last outcome recorded from this brief, which can be withdrawn for a few minutes."""

    reference: str
    customer_name: str
    outcome: Outcome
    recorded_at: float  # time.monotonic()

    @property
    def text(self) -> str:
        return f"{self.outcome.label} — {self.customer_name} ✓"


def open_url(url: QUrl) -> bool:
    """Hand a tel: or mailto: link to the desktop (the dialer, the mail client); replaced in
    tests."""
    return QDesktopServices.openUrl(url)


@dataclass(frozen=True)
class BriefData:
    detail: ComplaintDetail
    settings: OfficeSettings


def flag_html(detail: ComplaintDetail) -> str:
    """The warning on a report that leans on policy or "can't", as a framed box, or ""."""
    notice = presenting.latest_report_section(detail).notice
    if notice is None:
        return ""
    return (
        f"<table width='100%' border='2' cellspacing='0' cellpadding='6' style='border-color:"
        f"{FLAG_ACCENT}; border-style:solid; border-collapse:collapse; margin:6px 0'><tr><td>"
        f"<b>⚠ {text_html(notice)}.</b> Check that the problem was really fixed; you can send "
        "the report back before calling.</td></tr></table>"
    )


def brief_html(detail: ComplaintDetail, today: date, why_first: str = "") -> str:
    """The brief as simple HTML that takes its colours from the palette. A report's warning
    comes right below whom to call and how: inside the scrolling brief, so that at 150% on a
    laptop screen it never squeezes the customer's name and phone out of sight."""
    parts: list[str] = []
    who = [detail.customer_organisation or "", detail.customer_account_ref or ""]
    parts.append(f"<h2 style='margin-bottom:2px'>{text_html(detail.customer_name)}</h2>")
    extra = " · ".join(text_html(w) for w in who if w)
    if extra:
        parts.append(f"<p style='margin-top:0'>{extra}</p>")
    contact: list[str] = []
    if detail.customer_phone:
        shown = validation.phone_for_display(detail.customer_phone)
        contact.append(
            f"<a href='{html.escape(links.tel(detail.customer_phone))}'>"
            f"<b>{text_html(shown)}</b></a>"
        )
    if detail.customer_email:
        contact.append(
            f"<a href='{html.escape(links.mailto(detail.customer_email))}'>"
            f"{text_html(detail.customer_email)}</a>"
        )
    if contact:
        parts.append("<p style='font-size:large'>" + " &nbsp;·&nbsp; ".join(contact) + "</p>")
    facts = [detail.reference]
    if detail.callback_due_on is not None and detail.status is Status.AWAITING_CALLBACK:
        facts.append(f"callback due {formatting.due(detail.callback_due_on, today).lower()}")
    parts.append("<p>" + " · ".join(text_html(f) for f in facts) + "</p>")
    if why_first:
        parts.append(f"<p><b>Why first:</b> {text_html(why_first)}</p>")
    parts.append(flag_html(detail))
    parts.extend(section_html(section) for section in presenting.call_brief(detail))
    return "\n".join(parts)


class CallBriefView(QWidget):
    """Shows one complaint awaiting its callback, with the outcome buttons.

    Signals:
        complaint_changed(str): an outcome, send-back or unreachable was saved.
        open_requested(str): the person wants the whole complaint window.
        print_requested(str): the person wants the printable call brief.
        status_message(str): what was just saved, in one sentence.
        outcome_recorded(str, str): an outcome ("Satisfied") was saved on the reference.
        outcome_withdrawn(str): the last outcome, on the reference, was taken back.
    """

    outcome_recorded = Signal(str, str)
    outcome_withdrawn = Signal(str)
    complaint_changed = Signal(str)
    open_requested = Signal(str)
    print_requested = Signal(str)
    status_message = Signal(str)
    loaded = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._data: BriefData | None = None
        self._compact = False  # too short for the headings and the score's legend
        # Why the list put this call where it stands (Today's order), shown in the brief: the
        # list beside it may be too narrow for its "Why first" column.
        self.why_first: Callable[[str], str] = lambda _reference: ""
        self._requested: str | None = None
        self._busy = False
        self._roles: frozenset[Role] | None = None  # None until known: everything is offered
        # The complaint an outcome was just recorded on: its buttons stay off until the person
        # picks it again, so a second click cannot record a second outcome.
        self._done_reference: str | None = None
        self.last_outcome: RecordedOutcome | None = None
        self._undo_expiry = QTimer(self)
        self._undo_expiry.setSingleShot(True)
        self._undo_expiry.setInterval(policy.OUTCOME_UNDO_MINUTES * 60_000)
        self._undo_expiry.timeout.connect(self._on_undo_expiry_timeout)

        self._stack = QStackedWidget(self)
        self._empty = QLabel("Choose a callback on the left to see its brief.", self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setEnabled(False)

        page = QWidget(self)
        self._link_note = QLabel(page)
        self._link_note.setWordWrap(True)
        self._link_note.setAccessibleName("Dialling")
        self._link_note.hide()
        self._browser = QTextBrowser(page)
        self._browser.setOpenLinks(False)
        self._browser.setAccessibleName("Call brief")
        self._browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        # A link's colour is taken from the palette when the page is set: set it again after a
        # switch between light and dark, or the phone link stays dark blue on a dark page.
        colours.follow_palette(self._browser, self._show_brief_again)

        self._score = QComboBox(page)
        self._score.addItem("—", None)
        for number in range(1, 6):
            self._score.addItem(f"{number} — {SCORE_MEANINGS[number]}", number)
        self._score.setAccessibleName("Satisfaction score, 1 to 5")
        self._score.setToolTip(
            "How satisfied the customer says they are: "
            + ", ".join(f"{n} {meaning}" for n, meaning in SCORE_MEANINGS.items())
        )
        self._score_legend = QLabel("1 = very dissatisfied … 5 = very satisfied", page)
        self._score_legend.setEnabled(False)  # read as a hint, in the palette's muted colour
        # Its own line below the score, wrapped: beside it the row was wider than the brief
        # may be at 150% on a laptop screen, and squeezed the list beside the brief.
        self._score_legend.setWordWrap(True)
        self._loyalty = QComboBox(page)
        self._loyalty.addItem("—", None)
        for loyalty in Loyalty:
            self._loyalty.addItem(loyalty.label, loyalty)
        self._loyalty.setAccessibleName("Loyalty")
        self._words = QLineEdit(page)
        self._words.setPlaceholderText("What the customer said, in their words")
        self._words.setAccessibleName("Customer's words")

        style = self.style()
        self._satisfied = QPushButton("&Satisfied", page)
        self._satisfied.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton))
        self._satisfied.setToolTip("The customer confirms it is resolved: closes the complaint.")
        self._not_satisfied = QPushButton("&Not satisfied…", page)
        self._not_satisfied.setToolTip("Reopen and delegate again.")
        self._no_answer = QPushButton("No &answer", page)
        self._voicemail = QPushButton("&Voicemail", page)
        self._next_try = QComboBox(page)
        self._next_try.setAccessibleName("If nobody answers, try again")
        self._next_try.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._next_try.setToolTip("When to call again if nobody answers or you leave a voicemail.")
        self._send_back = QPushButton("Send report &back…", page)
        self._send_back.setToolTip("Return the report to the delegate before calling.")
        self._unreachable = QPushButton("Mark &unreachable", page)
        self._print = QPushButton("&Print call brief…", page)
        self._open = QPushButton("Open &complaint", page)
        for button in (
            self._satisfied,
            self._not_satisfied,
            self._no_answer,
            self._voicemail,
            self._send_back,
            self._unreachable,
            self._print,
            self._open,
        ):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            button.setAutoDefault(False)
        self._satisfied.clicked.connect(self._on_satisfied_clicked)
        self._not_satisfied.clicked.connect(self._on_not_satisfied_clicked)
        self._no_answer.clicked.connect(self._on_no_answer_clicked)
        self._voicemail.clicked.connect(self._on_voicemail_clicked)
        self._send_back.clicked.connect(self._on_send_back_clicked)
        self._unreachable.clicked.connect(self._on_unreachable_clicked)
        self._print.clicked.connect(self._on_print_clicked)
        self._open.clicked.connect(self._on_open_clicked)

        details = QHBoxLayout()
        for text, widget in (("Sc&ore:", self._score), ("&Loyalty:", self._loyalty)):
            label = QLabel(text, page)
            label.setBuddy(widget)
            details.addWidget(label)
            details.addWidget(widget)
            details.addSpacing(8)
        details.addStretch(1)
        # The customer's own words get a full row: the CEO types them during every call, and
        # they must stay usable at the narrowest window.
        words = QHBoxLayout()
        words_label = QLabel("Customer's &words:", page)
        words_label.setBuddy(self._words)
        words.addWidget(words_label)
        words.addWidget(self._words, 1)
        self._words.setMinimumWidth(240)
        font = self._satisfied.font()
        font.setBold(True)
        self._satisfied.setFont(font)

        outcomes = QGridLayout()
        outcomes.addWidget(self._satisfied, 0, 0)
        outcomes.addWidget(self._not_satisfied, 0, 1)
        # Two by two: the names on the buttons need the room at 150% on a laptop screen.
        outcomes.addWidget(self._no_answer, 1, 0)
        outcomes.addWidget(self._voicemail, 1, 1)
        retry = QHBoxLayout()
        retry_label = QLabel("If nobody answers, &try again:", page)
        retry_label.setBuddy(self._next_try)
        retry.addStretch(1)
        retry.addWidget(retry_label)
        retry.addWidget(self._next_try)
        others = QHBoxLayout()
        others.addWidget(self._send_back)
        others.addWidget(self._unreachable)
        others.addStretch(1)
        others.addWidget(self._print)
        others.addWidget(self._open)

        self.promise_ticks = PromiseTicks(page)
        self.promise_ticks.setAccessibleName("Promises to tick")
        self._promises_title = QLabel("<b>Were your promises kept?</b>", page)
        self._promises_title.setBuddy(self.promise_ticks)

        self._outcome_title = QLabel("<b>How did the call go?</b>", page)
        # The confirmation bar: what was just recorded, on whom, and the way back.
        self._confirmation = QFrame(page)
        self._confirmation.setFrameShape(QFrame.Shape.StyledPanel)
        self._confirmation.setAccessibleName("What was just recorded")
        self._status_note = QLabel(self._confirmation)
        self._status_note.setWordWrap(True)
        self._undo = QPushButton("&Undo", self._confirmation)
        self._undo.setAccessibleName("Undo the last outcome")
        self._undo.setAutoDefault(False)
        self._undo.setToolTip(
            f"Take back this outcome (Ctrl+Z), within {policy.OUTCOME_UNDO_MINUTES} minutes; "
            "the trail keeps it, marked withdrawn."
        )
        self._undo.clicked.connect(self._on_undo_clicked)
        bar = QHBoxLayout(self._confirmation)
        bar.setContentsMargins(6, 4, 6, 4)
        bar.addWidget(self._status_note, 1)
        bar.addWidget(self._undo)
        self._confirmation.hide()

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._link_note)
        layout.addWidget(self._browser, 1)
        layout.addWidget(self._confirmation)
        layout.addWidget(self._promises_title)
        layout.addWidget(self.promise_ticks)
        layout.addWidget(self._outcome_title)
        layout.addLayout(details)
        layout.addWidget(self._score_legend)
        layout.addLayout(words)
        layout.addLayout(outcomes)
        layout.addLayout(retry)
        layout.addLayout(others)

        self._stack.addWidget(self._empty)
        self._stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._update_buttons()

    # Qt event interface

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._compact = event.size().height() < COMPACT_BELOW
        self._show_headings()

    def _show_headings(self) -> None:
        self._score_legend.setVisible(not self._compact)
        self._outcome_title.setVisible(not self._compact)
        # isHidden, not isVisible: the page may not be the one shown yet.
        self._promises_title.setVisible(not self._compact and not self.promise_ticks.isHidden())

    # ------------------------------------------------------------ showing

    @property
    def reference(self) -> str | None:
        return self._data.detail.reference if self._data else None

    @property
    def detail(self) -> ComplaintDetail | None:
        return self._data.detail if self._data else None

    def brief_text(self) -> str:
        return self._browser.toPlainText()

    def flag_text(self) -> str:
        """The report's warning as the brief shows it, or "" when there is none."""
        if self._data is None:
            return ""
        shown = QTextDocument()
        shown.setHtml(flag_html(self._data.detail))
        text = shown.toPlainText().strip()
        return text if text and text in self.brief_text() else ""

    def clear(self) -> None:
        self._requested = None
        self._data = None
        self._stack.setCurrentWidget(self._empty)
        self._update_buttons()

    def show_complaint(self, reference: str, *, picked: bool = False) -> None:
        """Load and show the brief of `reference` (in the background); `picked` when the person
        chose it, which makes its outcome buttons usable again after an outcome."""
        if picked or reference != self._done_reference:
            self._done_reference = None
        self._requested = reference
        db = self._db

        def load() -> BriefData:
            with db.reading() as uow:
                return BriefData(complaint_detail(uow, reference), office.load_settings(uow))

        run_in_background(load, self._on_brief_loaded, self._on_load_failed, owner=self)

    def _show_brief_again(self) -> None:
        if self._data is None:
            return
        scroll = self._browser.verticalScrollBar()
        at = scroll.value()
        detail = self._data.detail
        self._browser.setHtml(
            brief_html(detail, SYSTEM_CLOCK.today(), self.why_first(detail.reference))
        )
        scroll.setValue(at)

    def _on_brief_loaded(self, data: BriefData) -> None:
        if data.detail.reference != self._requested:
            return  # a newer selection is on its way
        self._data = data
        detail = data.detail
        today = SYSTEM_CLOCK.today()
        self._browser.setHtml(brief_html(detail, today, self.why_first(detail.reference)))
        self._link_note.hide()
        if detail.reference != self._done_reference:
            self._score.setCurrentIndex(0)
            self._loyalty.setCurrentIndex(0)
            self._words.clear()
            self.promise_ticks.set_promises(detail.promises, today)
        self._show_headings()
        self._fill_next_try(data.settings)
        self._name_buttons(detail.customer_name)
        self._stack.setCurrentIndex(1)
        self._update_buttons()
        self.loaded.emit(detail.reference)

    def _on_load_failed(self, exc: BaseException) -> None:
        self.clear()
        show_error(self, exc)

    def _fill_next_try(self, settings: OfficeSettings) -> None:
        """Offer "later today" (at a time, while the day allows) and the next business day."""
        fill_next_try(self._next_try, settings)
        # Never narrower than its words: the day offered is read whole, even at 150%.
        self._next_try.setMinimumWidth(self._next_try.sizeHint().width())

    def _name_buttons(self, customer_name: str) -> None:
        """Each outcome button says whom it applies to."""
        satisfied = "The CEO reports: &satisfied" if self.records_ceo_report() else "&Satisfied"
        for button, outcome, mnemonic in (
            (self._satisfied, Outcome.SATISFIED, satisfied),
            (self._no_answer, Outcome.NO_ANSWER, "No &answer"),
            (self._voicemail, Outcome.VOICEMAIL, "&Voicemail"),
        ):
            button.setText(outcome_for(mnemonic, customer_name))
            button.setAccessibleName(outcome_for(outcome.label, customer_name))

    def _update_buttons(self) -> None:
        data = self._data
        awaiting = (
            data is not None
            and data.detail.status is Status.AWAITING_CALLBACK
            and not self._busy
            and data.detail.reference != self._done_reference
        )
        for widget in (
            self._satisfied,
            self._not_satisfied,
            self._no_answer,
            self._voicemail,
            self._next_try,
            self._send_back,
            self._score,
            self._loyalty,
            self._words,
            self.promise_ticks,
        ):
            widget.setEnabled(awaiting)
        can_give_up = (
            awaiting
            and data is not None
            and transitions.can_mark_unreachable(data.detail.unanswered_attempts, data.settings)
        )
        self._unreachable.setEnabled(can_give_up)
        self._unreachable.setVisible(awaiting and can_give_up)
        self._print.setEnabled(data is not None)
        self._open.setEnabled(data is not None)
        self._satisfied.setVisible(
            self._may(Allow.RESOLVE_BY_CALLBACK) or self._may(Allow.REPORT_CEO_SATISFIED)
        )
        for widget in (self._not_satisfied, self._no_answer, self._voicemail):
            widget.setVisible(self._may(Allow.RECORD_CALLBACK))
        self._send_back.setVisible(self._may(Allow.SEND_BACK))
        if not self._may(Allow.MARK_UNREACHABLE):
            self._unreachable.setVisible(False)

    def set_roles(self, roles: frozenset[Role]) -> None:
        """Offer only what the person's roles allow. An assistant's satisfied button records
        "the CEO reports: satisfied", which waits for the CEO's countersignature."""
        self._roles = roles
        reports = self.records_ceo_report()
        self._satisfied.setText("The CEO reports: &satisfied" if reports else "&Satisfied")
        if self._data is not None:  # the roles came after the brief: keep the customer named
            self._name_buttons(self._data.detail.customer_name)
        self._satisfied.setToolTip(
            "The CEO rang the customer: recorded now, resolved once the CEO countersigns it"
            if reports
            else ""
        )
        self._update_buttons()

    def _may(self, action: Allow) -> bool:
        return self._roles is None or permissions.allows(self._roles, action)

    def records_ceo_report(self) -> bool:
        """True when satisfied is recorded on the CEO's word (the person is not the CEO)."""
        return not self._may(Allow.RESOLVE_BY_CALLBACK) and self._may(Allow.REPORT_CEO_SATISFIED)

    def record_ceo_report(self) -> None:
        """Record "the CEO reports: satisfied" for the CEO to countersign."""
        data = self._data
        if data is None:
            return
        callback = complaints.CallbackInput(
            outcome=Outcome.SATISFIED,
            satisfaction=self._score.currentData(),
            customer_words=self._words.text(),
            loyalty=self._loyalty.currentData(),
        )
        reference = data.detail.reference
        record = change_at_loaded_version(
            self._db,
            data.detail,
            settle_with(
                lambda uow, reference, version: countersign.report_ceo_satisfied(
                    uow, reference, callback, expected_version=version
                ),
                self.promise_ticks.ticks(),
            ),
        )

        def save() -> str:
            record()
            return f"{reference}: recorded; it is resolved once the CEO countersigns it."

        self._run_action("The CEO reports: satisfied", save)
        self._undo.setEnabled(self.last_outcome is not None and not self._busy)

    # ------------------------------------------------------------ outcomes

    def _run_action(self, description: str, action: object, outcome: Outcome | None = None) -> None:
        """Run a saving action in the background, then announce the change; an outcome is
        remembered so that it can be withdrawn."""
        assert callable(action)
        data = self._data
        assert data is not None
        reference = data.detail.reference
        customer = data.detail.customer_name
        self._busy = True
        self._done_reference = reference
        self._update_buttons()

        def done(message: object) -> None:
            self._busy = False
            if outcome is not None:
                self.last_outcome = RecordedOutcome(reference, customer, outcome, time.monotonic())
                self._undo_expiry.start()
                self._status_note.setText(f"<b>{text_html(self.last_outcome.text)}</b> {message}")
                self._undo.show()
            else:
                self.last_outcome = None
                self._status_note.setText(html.escape(str(message)))
                self._undo.hide()
            self._confirmation.show()
            self.status_message.emit(str(message))
            if outcome is not None:
                self.outcome_recorded.emit(reference, outcome.label)
            self.complaint_changed.emit(reference)
            self.show_complaint(reference)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._done_reference = None
            self._update_buttons()
            show_error(self, exc)

        run_in_background(action, done, failed, owner=self)

    def confirmation_text(self) -> str:
        """The confirmation bar as read, or "" when it is hidden."""
        if not self._confirmation.isVisibleTo(self):
            return ""
        doc = QTextDocument()
        doc.setHtml(self._status_note.text())
        return doc.toPlainText()

    def undo_last_outcome(self) -> None:
        """Withdraw the last outcome recorded here (Ctrl+Z, or Undo on the confirmation bar)."""
        last = self.last_outcome
        if last is None or self._busy:
            return
        db = self._db
        self._busy = True
        self._update_buttons()

        def withdraw() -> complaints.WithdrawnOutcome:
            with db.transaction() as uow:
                return complaints.withdraw_outcome(uow, last.reference)

        def done(result: complaints.WithdrawnOutcome) -> None:
            self._busy = False
            self.last_outcome = None
            self._undo_expiry.stop()
            self._done_reference = None
            message = (
                f"Withdrawn: {result.outcome.label} — {result.customer_name}. "
                f"{result.reference} awaits its callback again."
            )
            self._status_note.setText(html.escape(message))
            self._undo.hide()
            self.status_message.emit(message)
            self.outcome_withdrawn.emit(result.reference)
            self.complaint_changed.emit(result.reference)
            if self.reference == result.reference:
                self.show_complaint(result.reference)
            else:
                self._update_buttons()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self.last_outcome = None
            self._undo.hide()
            self._update_buttons()
            show_error(self, exc)

        run_in_background(withdraw, done, failed, owner=self)

    @Slot()
    def _on_undo_clicked(self) -> None:
        self.undo_last_outcome()

    @Slot()
    def _on_undo_expiry_timeout(self) -> None:
        self.last_outcome = None
        self._undo.hide()
        self._update_buttons()

    def record_outcome(
        self,
        outcome: Outcome,
        *,
        reassign_to: int | None = None,
        due_on: date | None = None,
        instructions: str = "",
    ) -> None:
        data = self._data
        if data is None:
            return
        answered = not outcome.is_unanswered
        later: time_of_day | None = None if answered else self._next_try.currentData()
        callback = complaints.CallbackInput(
            outcome=outcome,
            satisfaction=self._score.currentData() if answered else None,
            customer_words=self._words.text() if answered else "",
            loyalty=self._loyalty.currentData() if answered else None,
            reassign_to_staff_id=reassign_to,
            report_due_on=due_on,
            next_attempt_at=later,
            instructions=instructions,
        )
        reference = data.detail.reference
        record = change_at_loaded_version(
            self._db,
            data.detail,
            settle_with(
                lambda uow, reference, version: complaints.record_callback(
                    uow, reference, callback, expected_version=version
                ),
                self.promise_ticks.ticks() if answered else {},
            ),
        )

        def save() -> str:
            result = record()
            if result.status is Status.RESOLVED:
                return f"{reference} is resolved."
            if result.delegated_to:
                return f"{reference} is reopened and delegated to {result.delegated_to}."
            when = (
                f"later today at {result.next_callback_at:%H:%M}"
                if result.next_callback_at
                else formatting.day(result.next_callback_on)
            )
            note = f"{reference}: next attempt {when}."

            if result.can_mark_unreachable:
                note += " You can now mark the customer unreachable."
            return note

        self._run_action(outcome.label, save, outcome)

    @Slot()
    def _on_satisfied_clicked(self) -> None:
        if self.records_ceo_report():
            self.record_ceo_report()
            return
        self.record_outcome(Outcome.SATISFIED)

    @Slot()
    def _on_not_satisfied_clicked(self) -> None:
        data = self._data
        if data is None:
            return
        choice = NotSatisfiedDialog.ask(self, self._db, data.detail)
        if choice is None:
            return
        self.record_outcome(
            Outcome.NOT_SATISFIED,
            reassign_to=choice.staff_id,
            due_on=choice.due_on,
            instructions=choice.instructions,
        )

    @Slot()
    def _on_no_answer_clicked(self) -> None:
        self.record_outcome(Outcome.NO_ANSWER)

    @Slot()
    def _on_voicemail_clicked(self) -> None:
        self.record_outcome(Outcome.VOICEMAIL)

    @Slot()
    def _on_send_back_clicked(self) -> None:
        data = self._data
        if data is None:
            return
        comment = SendBackDialog.ask(self, data.detail)
        if comment is None:
            return
        send_back = change_at_loaded_version(
            self._db,
            data.detail,
            lambda uow, reference, version: complaints.send_back(
                uow, reference, comment, expected_version=version
            ),
        )

        def save() -> str:
            result = send_back()
            return (
                f"Report sent back to {result.staff_name}; "
                f"new report due {formatting.day(result.report_due_on)}."
            )

        self._run_action("Send back", save)

    @Slot()
    def _on_unreachable_clicked(self) -> None:
        data = self._data
        if data is None or not confirm_unreachable(self, data.detail):
            return
        reference = data.detail.reference
        mark_unreachable = change_at_loaded_version(
            self._db,
            data.detail,
            lambda uow, reference, version: complaints.mark_unreachable(
                uow, reference, expected_version=version
            ),
        )

        def save() -> str:
            mark_unreachable()
            return f"{reference} is closed as unreachable."

        self._run_action("Mark unreachable", save)

    @Slot()
    def _on_print_clicked(self) -> None:
        if self.reference:
            self.print_requested.emit(self.reference)

    @Slot()
    def _on_open_clicked(self) -> None:
        if self.reference:
            self.open_requested.emit(self.reference)

    @Slot(QUrl)
    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() in ("tel", "mailto") and not open_url(url):
            self._no_app_for(url)

    def _no_app_for(self, url: QUrl) -> None:
        """Nothing on this computer takes the link: say so, and put the number (or address) on
        the clipboard, ready to paste into a phone, a softphone or a mail program."""
        address = url.path()
        QGuiApplication.clipboard().setText(address)
        if url.scheme() == "tel":
            shown = validation.phone_for_display(address) or address
            message = (
                f"No phone app on this computer dials links. {shown} is copied: dial it on "
                "your phone, or paste it into your softphone."
            )
        else:
            message = f"No mail program opened. {address} is copied: paste it into a new message."
        self._link_note.setText(message)
        self._link_note.show()
        self.status_message.emit(message)
