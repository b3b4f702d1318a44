"""The parts a list screen is built from: a bold heading, a muted line under it, and a table of
whole rows where one row at a time is chosen."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QWidget


def heading_label(parent: QWidget, text: str = "") -> QLabel:
    """The screen's title: the application font, a quarter larger and bold."""
    heading = QLabel(text, parent)
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    heading.setFont(font)
    return heading


def subheading_label(parent: QWidget, text: str = "") -> QLabel:
    """The sentence under a heading, in the palette's muted colour, wrapped."""
    subheading = QLabel(text, parent)
    subheading.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    subheading.setWordWrap(True)
    return subheading


def single_row_table(model: QAbstractItemModel, name: str, parent: QWidget) -> QTableView:
    """A table without row numbers where a click selects one whole row; Tab leaves it."""
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    return table
