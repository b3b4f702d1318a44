"""When an unanswered confirmation call is tried again: "later today" at a time (while the day
allows) or the next business day. Shared by Today's brief and the Record callback dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from ceo_desk.core import policy, transitions
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.settings import OfficeSettings
from ceo_desk.ui import formatting


def fill_next_try(combo: QComboBox, settings: OfficeSettings) -> None:
    """Offer "later today" (its item's data is the time) and the next business day (None),
    the next business day chosen."""
    now = SYSTEM_CLOCK.now()
    later = policy.later_today(SYSTEM_CLOCK.local(now), settings)
    next_day = transitions.next_attempt_due(SYSTEM_CLOCK.local_day(now), settings)
    combo.clear()
    if later is not None:
        combo.addItem(f"Later today, {later:%H:%M}", later)
    combo.addItem(f"Next business day, {formatting.day(next_day)}", None)
    combo.setCurrentIndex(combo.count() - 1)
