"""The reminder to a delegate whose report is due or overdue, in the default wording of the
Chase template (`core/mail/templates.py`), as text and as a mailto: link.

The Chase screen sends the office's own wording through the outbox; this is the same message
built from a Chase row alone, without the log (the wording has one home: the template).
"""

from __future__ import annotations

from datetime import date

from ceo_desk.core import links
from ceo_desk.core.mail import templates
from ceo_desk.core.queries import ReportToChase
from ceo_desk.enums import MessageKind


def chase_values(row: ReportToChase, today: date, *, signature: str = "") -> dict[str, str]:
    """The Chase template's values for one row."""
    promised = row.ceo_promised.strip()
    return {
        "reference": row.reference,
        "summary": row.summary,
        "customer": row.customer,
        "delegate": row.delegate,
        "delegate_first_name": row.delegate.split()[0] if row.delegate.strip() else "",
        "delegate_email": row.delegate_email or "",
        "report_due": templates.long_date(row.report_due_on),
        "report_due_when": templates.due_when(row.report_due_on, today),
        "due_heading": templates.due_heading(row.report_due_on, today),
        "days_overdue": str(row.days_overdue),
        "ceo_promised": f"What the CEO promised the customer: {promised}\n" if promised else "",
        "signature": signature.strip(),
    }


def _rendered(row: ReportToChase, today: date, signature: str) -> tuple[str, str]:
    subject, body = templates.DEFAULTS[MessageKind.CHASE]
    return templates.render_text(subject, body, chase_values(row, today, signature=signature))


def chase_subject(row: ReportToChase, today: date) -> str:
    return _rendered(row, today, "")[0]


def chase_body(row: ReportToChase, today: date, *, signature: str = "") -> str:
    """The message: which complaint, what the CEO promised, when the report is (was) due."""
    return _rendered(row, today, signature)[1]


def chase_mailto(row: ReportToChase, today: date, *, signature: str = "") -> str:
    """A mailto: URL addressed to the delegate (no address when none is on file).

    Every part is percent-encoded (RFC 6068), so '&', '?', '#', '%', '+', line breaks and
    accented letters in a summary cannot cut the message short or change its meaning.
    """
    subject, body = _rendered(row, today, signature)
    # Mail clients expect CRLF line breaks in a mailto body.
    return links.mailto(row.delegate_email, subject=subject, body=body.replace("\n", "\r\n"))
