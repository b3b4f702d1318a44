"""Reopening a resolved complaint: why it is not resolved after all (required; the delegate
reads it with the complaint)."""

from __future__ import annotations

import html

from ceo_desk.core.queries import ComplaintDetail
from ceo_desk.ui.dialogs.reason import Asking, ReasonDialog


class ReopenDialog(ReasonDialog):
    """The reason a resolved complaint goes back to its last delegate."""

    @classmethod
    def asking(cls, detail: ComplaintDetail) -> Asking:
        who = detail.current_delegate or "its last delegate"
        return Asking(
            title="Reopen",
            explained=(
                f"{html.escape(detail.reference)} goes back to {html.escape(who)}, with a new "
                "report due by the usual rule, and counts as reopened."
            ),
            question="&Why is it not resolved after all?",
            placeholder="What the customer says is still wrong",
            accessible_name="Reason for reopening",
            missing="Say why it is not resolved: the delegate starts from this.",
            accept_text="Reopen",
        )
