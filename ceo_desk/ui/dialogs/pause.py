"""Pausing a complaint's clock: what the office is waiting for (required; it shows on the
timeline and beside the final-response deadline)."""

from __future__ import annotations

from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.ui.dialogs.reason import Asking, ReasonDialog


class PauseDialog(ReasonDialog):
    """Why the clock stands still: waiting for the customer or a third party."""

    @classmethod
    def asking(cls, detail: ComplaintDetail) -> Asking:
        return Asking(
            title="Pause the clock",
            explained=(
                "While the clock is paused, the report and callback due dates and the "
                "final-response deadline stand still; resuming moves them on by the days it "
                "was paused."
            ),
            question="&What are you waiting for?",
            placeholder="The customer's bank statement; the installer's visit",
            accessible_name="What the office is waiting for",
            missing="Say what the office is waiting for, and from whom.",
            accept_text="Pause",
        )
