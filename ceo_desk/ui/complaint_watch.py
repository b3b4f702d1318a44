"""Keeping an open complaint window current while others change the complaint.

When the change hub says the window's complaint changed, the window reads it again, unless the
person is in the middle of an edit: then the edit stays and a bar across the top says "Changed by
NAME at TIME" with a Reload button, so nothing typed is lost and nothing stale is saved unawares
(saving it anyway goes through the conflict dialog).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QLabel, QStyle, QToolBar

from ceo_desk.core import stale
from ceo_desk.core.changes import Changes
from ceo_desk.core.database import Database
from ceo_desk.core.stale import ComplaintStamp
from ceo_desk.ui import background
from ceo_desk.ui.background import run_in_background
from ceo_desk.ui.changes import ChangeHub
from ceo_desk.ui.complaint_window import ComplaintWindow
from ceo_desk.ui.widgets import colours


class ComplaintWatch(QObject):
    """Follows the hub for one complaint window (a child of the window, gone with it)."""

    def __init__(self, window: ComplaintWindow, db: Database, hub: ChangeHub) -> None:
        super().__init__(window)
        self._window = window
        self._db = db
        self._checking = False
        self._heard = Changes()
        self.stale_version: int | None = None
        self.bar = QToolBar("Changed elsewhere", window)
        self.bar.setObjectName("changed_elsewhere")
        self.bar.setMovable(False)
        self.bar.setFloatable(False)
        # The amber of a differing value (as in the conflict dialog): the saved copy differs.
        self.bar.setAutoFillBackground(True)
        colours.follow_palette(self.bar, self._tint_bar)
        icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        sign = QLabel(self.bar)
        sign.setPixmap(icon.pixmap(20, 20))
        sign.setContentsMargins(6, 0, 0, 0)
        self.bar.addWidget(sign)
        # The button comes before the sentence, so a narrow window never hides it.
        self.reload_action = QAction("Reload", self.bar)
        self.reload_action.setToolTip("Read the saved complaint again (your edit is discarded)")
        self.reload_action.triggered.connect(self._on_reload_triggered)
        self.bar.addAction(self.reload_action)
        self.message = QLabel(self.bar)
        self.message.setAccessibleName("Changed elsewhere")
        self.message.setContentsMargins(8, 4, 8, 4)
        self.bar.addWidget(self.message)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.bar.hide()
        hub.changed.connect(self._on_hub_changed)
        window.loaded.connect(self._on_window_loaded)

    @Slot(object)
    def _on_hub_changed(self, found: object) -> None:
        assert isinstance(found, Changes)
        detail = self._window.detail
        if not found.touches(self._window.reference, detail.customer_id if detail else None):
            return
        self._heard = self._heard | found
        if self._checking:
            return  # looked at again when the read under way answers
        self._checking = True
        heard, self._heard = self._heard, Changes()
        db, reference = self._db, self._window.reference

        def read() -> ComplaintStamp | None:
            with db.reading() as uow:
                return stale.complaint_stamp(uow, reference)

        run_in_background(
            read,
            lambda stamp: self._on_stamp_read(stamp, heard),
            self._on_stamp_failed,
            owner=self,
        )

    def _on_stamp_failed(self, _exc: BaseException) -> None:
        # The window's own next read will say what is wrong with the log.
        self._checking = False
        self._heard = Changes()

    def _on_stamp_read(self, stamp: ComplaintStamp | None, heard: Changes) -> None:
        self._checking = False
        if self._heard:  # more arrived meanwhile: read once more, with all of it
            self._on_hub_changed(self._heard | heard)
            return
        window = self._window
        if stamp is None or background.in_flight(window):
            # Gone (the window's read says so), or the window's own save or read is under way
            # and brings the new version.
            return
        if stamp.version == window.loaded_version:
            # The complaint is as shown; its customer's details change without a new version.
            detail = window.detail
            if detail and detail.customer_id in heard.customers and not window.is_dirty():
                window.reload()
            return
        if not window.is_dirty():
            window.reload()
            return
        self.stale_version = stamp.version
        self.message.setText(
            f"<b>{stamp.reference}</b> was {stamp.changed_by_whom()}. Your edit is not saved: "
            "reload, or save to compare the two."
        )
        self.bar.show()

    def _tint_bar(self) -> None:
        """The bar's amber, mixed from the palette now in use (again after a theme switch)."""
        palette = self.bar.palette()
        wanted = colours.highlight_background()
        if palette.color(QPalette.ColorRole.Window) != wanted:
            palette.setColor(QPalette.ColorRole.Window, wanted)
            self.bar.setPalette(palette)

    @Slot()
    def _on_reload_triggered(self) -> None:
        self._window.reload()

    @Slot()
    def _on_window_loaded(self) -> None:
        if self.stale_version is not None and self._window.loaded_version == self.stale_version:
            self.stale_version = None
            self.bar.hide()

    @property
    def showing(self) -> bool:
        """True while the "changed by" bar is up."""
        return self.stale_version is not None
