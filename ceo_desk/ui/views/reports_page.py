"""The Reports page, built the first time it is shown.

The monthly report pulls in reportlab and renders a whole month, which nobody needs at start-up
or after every saved complaint; so the real view is made on first sight and refreshed only
while it is on screen.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ceo_desk.core.database import Database


class ReportsPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.view: QWidget | None = None
        self._stale = False

    def ensure_view(self) -> QWidget:
        if self.view is None:
            from ceo_desk.ui.views.reports import ReportsView

            self.view = ReportsView(self._db, self)
            self._layout.addWidget(self.view)
            self._stale = False
        return self.view

    def refresh(self) -> None:
        """Re-render now if on screen; otherwise when next shown."""
        if self.view is None:
            return
        if self.isVisible():
            from ceo_desk.ui.views.reports import ReportsView

            assert isinstance(self.view, ReportsView)
            self.view.refresh()
            self._stale = False
        else:
            self._stale = True

    # Qt overrides

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.view is None:
            self.ensure_view()
        elif self._stale:
            self.refresh()
