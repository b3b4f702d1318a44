"""Telling a message's own words from what comes with them: quoted replies and signatures.

The new text is what a summary is made of; everything after it (the earlier messages quoted
below, the sender's sign-off and signature) is kept in the details, never thrown away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Where a quoted earlier message begins.
_QUOTE_STARTS = (
    re.compile(r"^\s*>"),
    re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*Forwarded message\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*Begin forwarded message:\s*$", re.IGNORECASE),
    re.compile(r"^\s*_{10,}\s*$"),  # the rule Outlook draws above the quoted header block
)
# "On 10 Nov 2026, Customer Service wrote:" (mail programs wrap it over two lines at times).
_ON_WROTE = re.compile(r"^\s*On\b.{4,300}\bwrote:\s*$", re.IGNORECASE | re.DOTALL)
# Outlook's header block: "From: ..." followed within a few lines by "Sent: ..." or "Date: ...".
_OUTLOOK_FROM = re.compile(r"^\s*\*?From:\*?\s+\S", re.IGNORECASE)
_OUTLOOK_SENT = re.compile(r"^\s*\*?(Sent|Date):\*?\s+\S", re.IGNORECASE)
_OUTLOOK_LOOKAHEAD = 4

# Where a signature begins.
_SIGNATURE_DASHES = re.compile(r"^--\s?$")
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:kind|best|warm|warmest|many|with\s+kind|with\s+best|yours)\s+)?"
    r"(?:regards|wishes|thanks|thank\s+you)\s*[,.!]?\s*$"
    r"|^\s*(?:yours\s+(?:sincerely|faithfully|truly)|sincerely|cheers|thanks)\s*[,.!]?\s*$",
    re.IGNORECASE,
)
_SENT_FROM = re.compile(
    r"^\s*(?:Sent from my \w+|Sent from (?:Mail|Outlook|Yahoo Mail) for \w+|Get Outlook for \w+)",
    re.IGNORECASE,
)
# A signature line that is only contact details: a phone number, an email, a web address.
_CONTACT_ONLY = re.compile(
    r"^\s*(?:(?:tel|phone|mobile|mob|fax|t|m|e|email|web)\s*[.:]?\s*)?"
    r"(?:\+?[\d\s().\-/]{6,}|\S+@\S+\.\S+|(?:https?://|www\.)\S+)\s*$",
    re.IGNORECASE,
)
_NAME_SIGNATURE_LINES = 3


@dataclass(frozen=True)
class Trimmed:
    """A message split in three: its own words, the sign-off and signature, the quoted part."""

    new_text: str
    signature: str
    quoted: str


def _quote_start(lines: list[str]) -> int | None:
    for number, line in enumerate(lines):
        if any(pattern.match(line) for pattern in _QUOTE_STARTS):
            return number
        if _ON_WROTE.match(line):
            return number
        if (
            number + 1 < len(lines)
            and re.match(r"^\s*On\b", line, re.IGNORECASE)
            and "wrote:" not in line
            and _ON_WROTE.match(line + " " + lines[number + 1])
        ):
            return number
        if _OUTLOOK_FROM.match(line):
            ahead = lines[number + 1 : number + 1 + _OUTLOOK_LOOKAHEAD]
            if any(_OUTLOOK_SENT.match(following) for following in ahead):
                return number
    return None


def _signature_start(lines: list[str], sender_name: str | None) -> int | None:
    for number, line in enumerate(lines):
        if _SIGNATURE_DASHES.match(line) or _SENT_FROM.match(line):
            return number
        # A sign-off counts only near the end, so "thanks" opening a sentence is left alone.
        if _SIGN_OFF.match(line) and _short_tail(lines[number + 1 :]):
            return number
    return _name_block_start(lines, sender_name)


def _short_tail(lines: list[str]) -> bool:
    kept = [line for line in lines if line.strip()]
    return len(kept) <= 6 and all(len(line.strip()) <= 80 for line in kept)


def _name_block_start(lines: list[str], sender_name: str | None) -> int | None:
    """The sender's name alone on a line near the end, perhaps with contact lines below it."""
    if not sender_name or not sender_name.strip():
        return None
    name = " ".join(sender_name.split()).casefold()
    content = [n for n, line in enumerate(lines) if line.strip()]
    for number in content[-_NAME_SIGNATURE_LINES:]:
        if " ".join(lines[number].split()).casefold().strip(",.") == name:
            below = [lines[n] for n in content if n > number]
            if all(_CONTACT_ONLY.match(line) for line in below):
                return number
    return None


def _joined(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n").rstrip()


def trim(text: str, sender_name: str | None = None) -> Trimmed:
    """Split `text` into its new words, its signature and what it quotes (each may be "")."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    quote = _quote_start(lines)
    own, quoted = (lines, []) if quote is None else (lines[:quote], lines[quote:])
    signature = _signature_start(own, sender_name)
    if signature is not None:
        own, sign_off = own[:signature], own[signature:]
    else:
        sign_off = []
    return Trimmed(_joined(own), _joined(sign_off), _joined(quoted))


_SALUTATION = re.compile(
    r"^\s*(?:dear|hello|hi|hey|good\s+(?:morning|afternoon|evening)|to\s+whom)\b[^\n]{0,80}$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def first_sentence(text: str, limit: int) -> str:
    """The first sentence of a message's own words, past its salutation, within `limit`."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    for paragraph in paragraphs:
        lines = [line for line in paragraph.splitlines() if line.strip()]
        while lines and _SALUTATION.match(lines[0]):
            lines = lines[1:]
        body = " ".join(" ".join(lines).split())
        if body:
            sentence = _SENTENCE_END.split(body, maxsplit=1)[0]
            return shorten(sentence, limit)
    return ""


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word with an ellipsis when longer than `limit`."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] or flat[: limit - 1]
    return cut.rstrip(" ,;:") + "\u2026"


_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|wg|tr|sv|vs)\s*(?:\[\d+\])?\s*:\s*)+", re.I)


def clean_subject(subject: str) -> str:
    """A subject without its "Re:", "Fwd:" prefixes, on one line."""
    return " ".join(_REPLY_PREFIX.sub("", subject or "").split())
