"""How the final-response deadline looks in every list: its words come from
`core.deadlines.FinalResponse`; here only its colour."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtGui import QColor

from ceo_desk.core.deadlines import FinalResponse
from ceo_desk.ui.models.snapshot_table import Column
from ceo_desk.ui.widgets import colours

RowT = TypeVar("RowT")

# The widest usual words of the column ("2026-12-31 (10 days left)"), to size it by.
SAMPLE = "2026-12-31 (10 days late)"


def foreground(found: FinalResponse | None) -> QColor | None:
    """Red once past the deadline, amber while it is near; nothing otherwise."""
    if found is None:
        return None
    if found.state == "overdue":
        return colours.warning_text()
    if found.state == "warning":
        return colours.caution_text()
    return None


def is_pressing(found: FinalResponse | None) -> bool:
    """Overdue or near: shown in bold."""
    return found is not None and found.state in ("overdue", "warning")


def column(
    final_of: Callable[[RowT], FinalResponse | None], today: Callable[[], date]
) -> Column[RowT]:
    """The "Final response" column of a working list (Today, Chase, My work): one line in each."""

    def text(row: RowT) -> str:
        found = final_of(row)
        return found.short(today()) if found else ""

    def tip(row: RowT) -> str | None:
        found = final_of(row)
        return f"Final response {found.describe(today())}" if found else None

    return Column(
        "Final response",
        text,
        tooltip=tip,
        foreground=lambda row: foreground(final_of(row)),
        sample=SAMPLE,
    )
