"""The CEO's first screen: confirmation calls due today and overdue, the most at stake first
(core/risk.py) with the reasons beside each, the brief of the selected one beside the list, and
below it the promises falling due and the "did it stick?" calls."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.core import policy, presenting, risk
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.queries import CallbackDue
from ceo_desk.core.risk import Risk
from ceo_desk.core.services import follow_ups, promises
from ceo_desk.core.services.follow_ups import FollowUpDue
from ceo_desk.core.services.promises import PromiseDue
from ceo_desk.enums import Role
from ceo_desk.ui import final_response, formatting, qsettings_store
from ceo_desk.ui.error_dialogs import show_error
from ceo_desk.ui.form_helpers import warning_colour
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.reloader import Reloader
from ceo_desk.ui.views.call_brief import CallBriefView
from ceo_desk.ui.views.countersign_panel import CountersignPanel
from ceo_desk.ui.views.today_columns import Fit, arrange_columns, fit_columns, sample_widths
from ceo_desk.ui.views.today_follow_through import FollowUpsPanel, PromisesDuePanel
from ceo_desk.ui.widgets.list_page import heading_label, single_row_table, subheading_label


def first_reason(found: Risk) -> str:
    """ "Why first" where the list is narrow: the heaviest reason (the rest in the tooltip)."""
    return found.reasons[0].text if found.reasons else ""


@dataclass(frozen=True)
class FinishedRow:
    """A call just finished here: its row stays where it was, greyed, for the few minutes its
    outcome can be withdrawn, so the next customer never slides under the pointer."""

    row: CallbackDue
    position: int
    text: str  # the outcome recorded: "Satisfied"
    finished_at: float  # time.monotonic()


@dataclass(frozen=True)
class TodayList:
    rows: list[CallbackDue]
    today: date
    risks: dict[str, Risk] = field(default_factory=dict)  # by reference
    promises_due: list[PromiseDue] = field(default_factory=list)
    follow_ups_due: list[FollowUpDue] = field(default_factory=list)


def _load_today_list(db: Database) -> TodayList:
    """The callbacks due as of today, by risk, and the follow-through due (worker thread)."""
    today = SYSTEM_CLOCK.today()
    with db.reading() as uow:
        ranked = risk.callbacks_by_risk(uow, today=today)
        return TodayList(
            [item.row for item in ranked],
            today,
            {item.row.reference: item.risk for item in ranked},
            promises.nearly_due(uow, today=today),
            follow_ups.due(uow, today=today),
        )


class CallbacksModel(SnapshotTableModel[CallbackDue]):
    """The Today list; flagged reports carry a warning icon on the summary."""

    def __init__(self, view: QWidget) -> None:
        self.today = SYSTEM_CLOCK.today()
        self.finished: dict[str, str] = {}  # reference -> the outcome recorded ("Satisfied")
        self.risks: dict[str, Risk] = {}  # reference -> why it stands where it does
        self.fit = Fit()  # what the list beside the brief has room to show
        warning_icon = view.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)

        # Read from the palette at each paint, so a switch to dark or light shows at once.
        def red() -> QColor:
            return QColor(warning_colour(view))

        def grey() -> QColor:
            return view.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)

        def due_text(row: CallbackDue) -> str:
            if row.reference in self.finished:
                return f"{self.finished[row.reference]} ✓"
            day = formatting.due(row.callback_due_on, self.today)
            if row.callback_due_time is not None:
                day += f" {row.callback_due_time:%H:%M}"
            return day

        def due_colour(row: CallbackDue) -> QColor | None:
            if row.reference in self.finished:
                return grey()
            return red() if row.callback_due_on < self.today else None

        def greyed(row: CallbackDue) -> QColor | None:
            return grey() if row.reference in self.finished else None

        def flag_icon(row: CallbackDue) -> QIcon | None:
            return warning_icon if row.report_flagged else None

        def why_text(row: CallbackDue) -> str:
            found = self.risks.get(row.reference)
            if found is None:
                return ""
            return first_reason(found) if self.fit.short_why else found.text

        def why_tip(row: CallbackDue) -> str | None:
            """Why the row stands where it does, and what the narrow list folded away."""
            lines = []
            found = self.risks.get(row.reference)
            if found is not None:
                lines.append(
                    "Ordered by what is at stake: "
                    + ", ".join(f"{r.text} (+{r.weight})" for r in found.reasons)
                )
            for number in self.fit.folded:
                column = self._columns[number]
                lines.append(f"{column.title}: {column.text(row) or '—'}")
            return "\n".join(lines) or None

        def flag_tip(row: CallbackDue) -> str | None:
            return f"{presenting.FLAG_HEADLINE}." if row.report_flagged else None

        super().__init__(
            [
                Column("Due", due_text, tooltip=why_tip, foreground=due_colour),
                Column("Customer", lambda r: r.customer_name, tooltip=why_tip, foreground=greyed),
                Column(
                    "Summary",
                    lambda r: r.summary,
                    tooltip=flag_tip,
                    icon=flag_icon,
                    foreground=greyed,
                ),
                Column("Why first", why_text, tooltip=why_tip, foreground=greyed),
                Column("Tries", lambda r: str(r.attempts), align_right=True, foreground=greyed),
                Column("Delegate", lambda r: r.delegate or "", foreground=greyed),
                final_response.column(lambda r: r.final_response, lambda: self.today),
            ],
            view,
            key=lambda r: r.reference,
        )


class TodayView(QWidget):
    """Callbacks due today and overdue; selecting one shows its call brief.

    Signals:
        complaint_changed(str): a callback outcome (or send-back) was saved.
        open_requested(str), print_requested(str): passed on from the brief.
        count_changed(int): how many callbacks are due now.
    """

    complaint_changed = Signal(str)
    open_requested = Signal(str)
    print_requested = Signal(str)
    status_message = Signal(str)
    count_changed = Signal(int)
    refreshed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reloader = Reloader(
            self, partial(_load_today_list, db), self._on_list_loaded, self._on_list_failed
        )
        self.heading = heading_label(self)
        self.heading.setAccessibleName("Callbacks due")
        self.subheading = subheading_label(self)

        self.model = CallbacksModel(self)
        self.table = single_row_table(self.model, "Callbacks due today and overdue", self)
        header = self.table.horizontalHeader()
        arrange_columns(self.table)
        self._column_widths = sample_widths(self.table)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.clicked.connect(self._on_table_clicked)
        self._finished: dict[str, FinishedRow] = {}
        self._finished_expiry = QTimer(self)
        self._finished_expiry.setSingleShot(True)
        self._finished_expiry.setInterval(policy.OUTCOME_UNDO_MINUTES * 60_000)
        self._finished_expiry.timeout.connect(self._on_finished_expiry_timeout)
        self._listing: TodayList | None = None

        self.brief = CallBriefView(db, self)
        self.brief.complaint_changed.connect(self._on_brief_complaint_changed)
        self.brief.open_requested.connect(self.open_requested)
        self.brief.print_requested.connect(self.print_requested)
        self.brief.status_message.connect(self.status_message)
        self.brief.outcome_recorded.connect(self._on_brief_outcome_recorded)
        self.brief.outcome_withdrawn.connect(self._on_brief_outcome_withdrawn)
        self.undo_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        self.undo_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_shortcut.activated.connect(self.brief.undo_last_outcome)

        self.countersign = CountersignPanel(db, self)
        self.countersign.complaint_changed.connect(self._on_brief_complaint_changed)
        self.promises_due = PromisesDuePanel(self)
        self.promises_due.open_requested.connect(self.open_requested)
        self.follow_ups = FollowUpsPanel(db, self)
        self.follow_ups.complaint_changed.connect(self._on_brief_complaint_changed)
        self.follow_ups.status_message.connect(self.status_message)
        self.follow_ups.open_requested.connect(self.open_requested)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.countersign)
        left_layout.addWidget(self.heading)
        left_layout.addWidget(self.subheading)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.promises_due)
        left_layout.addWidget(self.follow_ups)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.brief)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        # The list first: its due day, customer, summary and reasons; the brief needs about 400.
        self.splitter.setSizes([700, 500])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        qsettings_store.remember("today/splitter", self.splitter)
        qsettings_store.remember("today/table", header)
        self._set_heading(None)
        self.brief.why_first = self._why_first
        self.refresh()

    def _why_first(self, reference: str) -> str:
        found = self.model.risks.get(reference)
        return found.text if found is not None else ""

    def fit_columns(self) -> None:
        """Choose the columns the list has room for at its present width."""
        risks = [self.model.risks.get(r.reference) for r in self.model.rows()]
        found = [r for r in risks if r is not None]
        fit = fit_columns(
            self.table,
            self._column_widths,
            [r.text for r in found],
            [first_reason(r) for r in found],
        )
        if fit != self.model.fit:
            self.model.fit = fit
            self._repaint_rows()

    # Qt event interface

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().eventFilter(watched, event)

    def _set_heading(self, listing: TodayList | None) -> None:
        if listing is None:
            self.heading.setText("Callbacks due")
            self.subheading.setText("Loading…")
            return
        count = len(listing.rows)
        overdue = sum(1 for r in listing.rows if r.callback_due_on < listing.today)
        self.heading.setText(f"Callbacks due: {count}")
        if count == 0:
            self.subheading.setText(
                "No callbacks are due. Nothing is waiting for you: a complaint comes here once "
                "its delegate's report is filed."
            )
        elif overdue:
            self.subheading.setText(
                f"{overdue} overdue. The most at stake first; choose one to see its brief."
            )
        else:
            self.subheading.setText(
                "All due today. The most at stake first; choose one to see its brief."
            )

    def refresh(self) -> None:
        """Reload the list in the background, keeping the selection where possible."""
        self._reloader.request()
        self.countersign.refresh()

    def set_roles(self, roles: frozenset[Role]) -> None:
        """Offer only what the person's roles allow, here and in the brief."""
        self.brief.set_roles(roles)
        self.countersign.set_roles(roles)
        self.follow_ups.set_roles(roles)

    def _with_finished(self, rows: list[CallbackDue]) -> list[CallbackDue]:
        """The due rows with each call just finished back where it stood (even one still due,
        tried again later today: it moves to its new place once picked again)."""
        merged = [r for r in rows if r.reference not in self._finished]
        for done in sorted(self._finished.values(), key=lambda f: f.position):
            merged.insert(min(done.position, len(merged)), done.row)
        return merged

    def _on_list_loaded(self, listing: TodayList) -> None:
        self._listing = listing
        previous = self.selected_reference()
        previous_row = self.table.currentIndex().row()
        rows = self._with_finished(listing.rows)
        self.model.today = listing.today
        self.model.risks = listing.risks
        self.model.finished = {ref: done.text for ref, done in self._finished.items()}
        self.promises_due.set_rows(listing.promises_due, listing.today)
        self.follow_ups.set_rows(listing.follow_ups_due)
        self.model.set_rows(rows)
        self.fit_columns()
        self._repaint_rows()
        self._set_heading(listing)
        row = self.model.row_of(lambda r: r.reference == previous) if previous else -1
        if row < 0 and rows:
            row = min(max(previous_row, 0), len(rows) - 1)
        if row >= 0:
            self.table.selectRow(row)
            item = rows[row]
            shown = self.brief.detail
            if (
                shown is not None
                and shown.reference == item.reference
                and shown.version != item.version
            ):
                self.brief.show_complaint(item.reference)  # changed elsewhere meanwhile
        else:
            self.brief.clear()
        self.count_changed.emit(len(listing.rows))
        self.refreshed.emit()

    def _on_list_failed(self, exc: BaseException) -> None:
        self.subheading.setText("The list could not be loaded.")
        show_error(self, exc)

    def selected_reference(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.model.row_at(rows[0].row())
        return item.reference if item else None

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        reference = self.selected_reference()
        if reference is None:
            self.brief.clear()
        elif reference != self.brief.reference:
            self.brief.show_complaint(reference)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        item = self.model.row_at(index.row())
        if item is not None:
            self.open_requested.emit(item.reference)

    @Slot(str)
    def _on_brief_complaint_changed(self, reference: str) -> None:
        self.complaint_changed.emit(reference)
        self.refresh()

    def _repaint_rows(self) -> None:
        """Finished marks change how rows look without changing the rows themselves."""
        if self.model.rowCount():
            self.model.dataChanged.emit(
                self.model.index(0, 0),
                self.model.index(self.model.rowCount() - 1, self.model.columnCount() - 1),
            )

    @Slot(str, str)
    def _on_brief_outcome_recorded(self, reference: str, text: str) -> None:
        position = self.model.row_of(lambda r: r.reference == reference)
        row = self.model.row_at(position)
        if row is None:
            return
        self._finished[reference] = FinishedRow(row, position, text, time.monotonic())
        self.model.finished[reference] = text
        self._repaint_rows()
        self._finished_expiry.start()

    @Slot(str)
    def _on_brief_outcome_withdrawn(self, reference: str) -> None:
        self._forget_finished(reference)
        self.refresh()

    def _forget_finished(self, reference: str) -> None:
        self._finished.pop(reference, None)
        self.model.finished.pop(reference, None)
        self._repaint_rows()

    @Slot()
    def _on_finished_expiry_timeout(self) -> None:
        self.drop_finished_rows(older_than_seconds=policy.OUTCOME_UNDO_MINUTES * 60)

    def drop_finished_rows(self, *, older_than_seconds: float = 0) -> None:
        """Let calls finished longer ago than the undo window leave the list."""
        now = time.monotonic()
        for reference, done in list(self._finished.items()):
            if now - done.finished_at >= older_than_seconds:
                self._forget_finished(reference)
        if self._finished:
            self._finished_expiry.start()
        self.refresh()

    @Slot(QModelIndex)
    def _on_table_clicked(self, index: QModelIndex) -> None:
        """A finished call picked again on purpose: it is an ordinary row again if it is still
        due (a later attempt today), and its buttons work again."""
        item = self.model.row_at(index.row())
        if item is None or item.reference not in self._finished:
            return
        if self._listing is not None and any(
            r.reference == item.reference for r in self._listing.rows
        ):
            self._forget_finished(item.reference)
            self.refresh()
        self.brief.show_complaint(item.reference, picked=True)
