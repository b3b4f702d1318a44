"""The reminder sent to a delegate whose report is due or overdue, as a mailto: link.

Kept free of Qt so the wording and the escaping can be tested on their own; the GUI hands the
link to the desktop's mail client.
"""

from __future__ import annotations

from datetime import date

from ceo_desk.core import links
from ceo_desk.core.queries import ReportToChase


def _long_date(day: date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def chase_subject(row: ReportToChase, today: date) -> str:
    if row.report_due_on < today:
        return f"Overdue report: {row.reference} — {row.summary}"
    return f"Report due {_long_date(row.report_due_on)}: {row.reference} — {row.summary}"


def chase_body(row: ReportToChase, today: date, *, signature: str = "") -> str:
    """The message: which complaint, what the CEO promised, when the report is (was) due."""
    first_name = row.delegate.split()[0] if row.delegate.strip() else ""
    if row.report_due_on < today:
        days = row.days_overdue
        when = (
            f"was due on {_long_date(row.report_due_on)} ({days} day{'s' if days != 1 else ''} ago)"
        )
    elif row.report_due_on == today:
        when = "is due today"
    else:
        when = f"is due on {_long_date(row.report_due_on)}"
    lines = [
        f"Hello {first_name}," if first_name else "Hello,",
        "",
        f"Your report on complaint {row.reference} {when}.",
        "",
        f"Complaint: {row.summary}",
    ]
    if row.ceo_promised.strip():
        lines += ["", f"What the CEO promised the customer: {row.ceo_promised.strip()}"]
    lines += [
        "",
        "Please send what you said to the customer, what you did, and any accommodation and its "
        "cost, so the CEO can call the customer back.",
        "",
        "Thank you.",
    ]
    if signature.strip():
        lines.append(signature.strip())
    return "\n".join(lines)


def chase_mailto(row: ReportToChase, today: date, *, signature: str = "") -> str:
    """A mailto: URL addressed to the delegate (no address when none is on file).

    Every part is percent-encoded (RFC 6068), so '&', '?', '#', '%', '+', line breaks and
    accented letters in a summary cannot cut the message short or change its meaning.
    """
    # Mail clients expect CRLF line breaks in a mailto body.
    body = chase_body(row, today, signature=signature).replace("\n", "\r\n")
    return links.mailto(row.delegate_email, subject=chase_subject(row, today), body=body)
