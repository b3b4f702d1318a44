"""Someone else saved the complaint while you were editing it: show both versions side by side
and let the person choose. Nothing is overwritten or thrown away without that choice."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ceo_desk.ui.dialogs.base import Dialog
from ceo_desk.ui.widgets import colours


class ConflictChoice(Enum):
    KEEP_MINE = "keep_mine"  # apply my changes on top of the version now saved
    TAKE_THEIRS = "take_theirs"  # drop my changes and show the saved version
    CANCEL = "cancel"  # decide later; my edits stay in the form, unsaved


class ConflictDialog(Dialog):
    """Field by field: your edit and the saved version, differences marked."""

    def __init__(
        self,
        mine: dict[str, str],
        theirs: dict[str, str],
        parent: QWidget | None = None,
        *,
        what: str = "this complaint",
    ) -> None:
        super().__init__(parent)
        self.choice = ConflictChoice.CANCEL
        self.setWindowTitle("Changed by someone else")
        self.setAccessibleName("Edit conflict")
        differing = [key for key in mine if mine.get(key, "") != theirs.get(key, "")]
        pronoun = "it" if what == "this complaint" else "them"
        intro = QLabel(
            f"Someone else saved {what} while you were editing {pronoun}. "
            f"{len(differing)} field{'s differ' if len(differing) != 1 else ' differs'} "
            "(marked). Choose which version to keep; nothing is saved until you do."
        )
        intro.setWordWrap(True)

        keys = list(mine) + [key for key in theirs if key not in mine]
        self.table = QTableWidget(len(keys), 3)
        self.table.setAccessibleName("Your edit and the saved version")
        self.table.setHorizontalHeaderLabels(["Field", "Your edit", "Saved by someone else"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        for row, key in enumerate(keys):
            differs = key in differing
            cells = (key, mine.get(key, ""), theirs.get(key, ""))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if differs and column == 0:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                    item.setText(f"{text} (differs)")
                self.table.setItem(row, column, item)
        self._differing_rows = [row for row, key in enumerate(keys) if key in differing]
        colours.follow_palette(self.table, self._mark_differences)  # again after a theme switch
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()

        buttons = QDialogButtonBox()
        self.keep_mine_button: QPushButton = buttons.addButton(
            "&Keep my edit", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.keep_mine_button.setToolTip(
            "Apply the fields you changed on top of the saved version; their other changes stay."
        )
        self.take_theirs_button: QPushButton = buttons.addButton(
            "&Take the saved version", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.take_theirs_button.setToolTip("Discard your edit and show what was saved.")
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setToolTip("Decide later: your edit stays in the window, unsaved.")
        self.keep_mine_button.clicked.connect(lambda: self._choose(ConflictChoice.KEEP_MINE))
        self.take_theirs_button.clicked.connect(lambda: self._choose(ConflictChoice.TAKE_THEIRS))
        cancel.clicked.connect(lambda: self._choose(ConflictChoice.CANCEL))
        self.keep_mine_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 520)

    def _mark_differences(self) -> None:
        """The amber of a differing field, mixed from the palette now in use."""
        mark = colours.highlight_background(self.palette())
        for row in self._differing_rows:
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                if item is not None and item.background().color() != mark:
                    item.setBackground(mark)

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        if choice is ConflictChoice.CANCEL:
            self.reject()
        else:
            self.accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        mine: dict[str, str],
        theirs: dict[str, str],
        *,
        what: str = "this complaint",
    ) -> ConflictChoice:
        """Show the dialog modally; Escape or closing it means 'decide later'."""
        dialog = cls(mine, theirs, parent, what=what)
        try:
            dialog.exec()
            return dialog.choice
        finally:
            dialog.deleteLater()
