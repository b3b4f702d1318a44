"""Links handed to the desktop (the mail client, the dialer), built so typed text cannot change
what they do."""

from __future__ import annotations

from urllib.parse import quote


def mailto(address: str | None, *, subject: str = "", body: str = "") -> str:
    """A mailto: URL (RFC 6068) with the address and every field percent-encoded.

    An address such as `victim?bcc=someone@example.org` then stays one address: its '?' cannot
    start header fields (a Bcc), nor can '&', '#' or '%' in a subject or body cut them short.
    """
    url = "mailto:" + quote(address or "", safe="@")
    fields = [(name, value) for name, value in (("subject", subject), ("body", body)) if value]
    if fields:
        url += "?" + "&".join(f"{name}={quote(value, safe='')}" for name, value in fields)
    return url


def tel(number: str) -> str:
    """A tel: URL for a stored (E.164) number; anything else in it is percent-encoded."""
    return "tel:" + quote(number, safe="+")
