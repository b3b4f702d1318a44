"""Quoted replies and signatures are told apart from a message's own words, and kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ceo_desk.core.intake.trimming import clean_subject, first_sentence, shorten, trim

OWN = "The engineer never came.\nI took a day off work for nothing."


def test_a_gmail_style_quote_is_cut_and_kept() -> None:
    quote = "On Tue, 10 Nov 2026 at 09:12, Support <help@example.com> wrote:\n> We will send one."
    text = f"{OWN}\n\n{quote}"
    parts = trim(text)
    assert parts.new_text == OWN
    assert parts.quoted.startswith("On Tue, 10 Nov 2026") and "We will send one" in parts.quoted


def test_an_on_wrote_line_wrapped_over_two_lines_is_recognised() -> None:
    quote = "On Tue, 10 Nov 2026 at 09:12, Customer Support\n<help@example.com> wrote:\n> Sorry"
    text = f"{OWN}\n\n{quote}"
    assert trim(text).new_text == OWN


def test_angle_quoted_lines_and_original_message_blocks_are_cut() -> None:
    assert trim(f"{OWN}\n> earlier words\n> more").new_text == OWN
    outlook = f"{OWN}\n\n-----Original Message-----\nFrom: Support\nSent: Monday\nHello"
    parts = trim(outlook)
    assert parts.new_text == OWN and parts.quoted.startswith("-----Original Message-----")


def test_an_outlook_header_block_is_cut_only_when_sent_follows_from() -> None:
    block = (
        f"{OWN}\n\n________________________________\nFrom: Billing <billing@example.com>\n"
        "Sent: 12 November 2026 10:00\nTo: Ann\nSubject: Your refund\n\nWe are sorry."
    )
    assert trim(block).new_text == OWN
    bare = f"{OWN}\n\nFrom: Billing <billing@example.com>\nSent: 12 November 2026 10:00\nHi"
    assert trim(bare).new_text == OWN
    # "From:" in the customer's own words, with no "Sent:" below it, is theirs.
    own_from = "From: the day I moved in, the heating has not worked.\nPlease help."
    assert trim(own_from).new_text == own_from


def test_signatures_are_cut_and_kept() -> None:
    for tail in (
        "-- \nAnn Smith\nFlat 2",
        "Kind regards,\nAnn Smith",
        "Regards\nAnn",
        "Best regards,\nAnn Smith\n+44 20 7946 0001",
        "Sent from my iPhone",
        "Yours sincerely,\nAnn Smith",
    ):
        parts = trim(f"{OWN}\n\n{tail}")
        assert parts.new_text == OWN, tail
        assert parts.signature == tail, tail


def test_the_senders_name_with_contact_lines_below_it_is_a_signature() -> None:
    text = f"{OWN}\n\nAnn Smith\n+44 20 7946 0001\n\n> On 1 Nov, Support wrote:\n> Hi"
    parts = trim(text, "Ann Smith")
    assert parts.new_text == OWN
    assert parts.signature == "Ann Smith\n+44 20 7946 0001"
    assert parts.quoted.startswith("> On 1 Nov")


def test_thanks_opening_a_sentence_is_not_a_sign_off() -> None:
    text = "Thanks\nfor nothing. The boiler is still broken and nobody has called.\n" + "\n".join(
        f"Line {n} of a long complaint that keeps going." for n in range(10)
    )
    assert trim(text).new_text == text


def test_the_first_sentence_skips_the_salutation_and_is_shortened() -> None:
    assert first_sentence("Dear Sir or Madam,\n\nMy laptop was stolen. Then more.", 500) == (
        "My laptop was stolen."
    )
    assert first_sentence("Hello,\nthe refund never came and I want it now", 20) == (
        "the refund never\u2026"
    )


def test_reply_prefixes_leave_the_subject() -> None:
    assert clean_subject("RE: Fwd: AW:  Refund   missing") == "Refund missing"
    assert clean_subject("Regarding my refund") == "Regarding my refund"


@given(st.text(max_size=300))
def test_trimming_never_loses_a_word(text: str) -> None:
    parts = trim(text, "Ann Smith")
    kept = " ".join([parts.new_text, parts.signature, parts.quoted]).split()
    assert kept == text.split()


@given(st.text(max_size=200), st.integers(min_value=2, max_value=120))
def test_shortened_text_fits(text: str, limit: int) -> None:
    assert len(shorten(text, limit)) <= limit
