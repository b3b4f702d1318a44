"""The complaint's history in the complaint window: the timeline of events, the delegate's
reports (as the shared report presenter shows them), the CEO's callbacks and the chain of
hand-offs, one tab each."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QWidget,
)

from ceo_desk.core import presenting
from ceo_desk.core.queries import ComplaintDetail, DelegationView, EventView
from ceo_desk.ui import formatting
from ceo_desk.ui.models.snapshot_table import Column, SnapshotTableModel
from ceo_desk.ui.report_html import reports_html


def _who(event: EventView) -> str:
    return f"{event.os_user} ({event.role.upper() if event.role == 'ceo' else event.role})"


TIMELINE_COLUMNS: tuple[Column[EventView], ...] = (
    Column("When", lambda e: formatting.moment(e.at)),
    Column("Who", _who),
    Column(
        "What happened",
        presenting.timeline_text,
        tooltip=lambda e: "\n".join([e.description, *presenting.edit_lines(e)]),
    ),
)
DELEGATION_COLUMNS: tuple[Column[DelegationView], ...] = (
    Column("Delegated", lambda d: formatting.moment(d.delegated_at)),
    Column("To", lambda d: f"{d.staff_name} — {d.unit_name}"),
    Column("Report due", lambda d: formatting.day(d.report_due_on)),
    Column("By", lambda d: d.delegated_by),
    Column("Instructions", lambda d: d.instructions, tooltip=lambda d: d.instructions or None),
)


def _table(model: SnapshotTableModel[Any], name: str) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class HistoryTabs(QTabWidget):
    """Timeline, reports, callbacks and delegations of one complaint, with their counts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline_model: SnapshotTableModel[EventView] = SnapshotTableModel(
            TIMELINE_COLUMNS, self
        )
        self.timeline = _table(self.timeline_model, "Timeline")
        self.delegations_model: SnapshotTableModel[DelegationView] = SnapshotTableModel(
            DELEGATION_COLUMNS, self
        )
        self.delegations = _table(self.delegations_model, "Delegations")
        self.reports = QTextBrowser()
        self.reports.setAccessibleName("Reports")
        self.callbacks = QTextBrowser()
        self.callbacks.setAccessibleName("Callbacks")
        self.addTab(self.timeline, "Timeline")
        self.addTab(self.reports, "Reports")
        self.addTab(self.callbacks, "Callbacks")
        self.addTab(self.delegations, "Delegations")

    def show_history(self, detail: ComplaintDetail) -> None:
        self.timeline_model.set_rows(detail.events)
        self.delegations_model.set_rows(detail.delegations)
        self.reports.setHtml(reports_html(detail))
        self.callbacks.setHtml(callbacks_html(detail))
        self.setTabText(0, f"Timeline ({len(detail.events)})")
        self.setTabText(1, f"Reports ({len(detail.reports)})")
        self.setTabText(2, f"Callbacks ({len(detail.callbacks)})")
        self.setTabText(3, f"Delegations ({len(detail.delegations)})")


# ---------------------------------------------------------------- the history as text


def _paragraph(title: str, text: str) -> str:
    if not text:
        return ""
    body = html.escape(text).replace("\n", "<br>")
    return f"<p style='margin:4px 0'><b>{html.escape(title)}:</b> {body}</p>"


def callbacks_html(detail: ComplaintDetail) -> str:
    if not detail.callbacks:
        return "<p><i>No callback made yet.</i></p>"
    parts = []
    for callback in reversed(detail.callbacks):
        score = f", satisfaction {callback.satisfaction}/5" if callback.satisfaction else ""
        loyalty = f", {callback.loyalty.label.lower()}" if callback.loyalty else ""
        parts.append(
            f"<h3 style='margin-bottom:2px'>{html.escape(callback.outcome.label)}{score}"
            f"{html.escape(loyalty)}</h3>"
            f"<p style='margin:0'>{formatting.moment(callback.made_at)} by "
            f"{html.escape(callback.made_by)} (due {formatting.day(callback.scheduled_for)})</p>"
        )
        parts.append(_paragraph("Customer's words", callback.customer_words))
        parts.append(_paragraph("Notes", callback.notes))
    return "".join(parts)
