"""A delegate's reply read as a draft of their report."""

from __future__ import annotations

from ceo_desk.core.intake.reply import ReportDraft, draft_from_reply


def test_headed_sections_go_to_their_fields() -> None:
    reply = (
        "What I said: I apologised for the delay.\nThe part is on order.\n"
        "Done: Fitted the valve.\nAccommodation: A month free.\nCost: $1,250.50\n"
        "Root cause: The supplier was late."
    )
    assert draft_from_reply(reply) == ReportDraft(
        said="I apologised for the delay.\nThe part is on order.",
        done="Fitted the valve.",
        accommodation="A month free.",
        cost="1250.50",
        root_cause="The supplier was late.",
    )


def test_a_reply_without_headings_is_taken_whole_as_what_was_said() -> None:
    text = "Called her this morning, sorted.\nShe is happy now."
    assert draft_from_reply(text) == ReportDraft(said=text)
    assert draft_from_reply("") == ReportDraft()
