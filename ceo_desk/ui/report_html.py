"""The presenter's sections as the simple HTML of the Today brief and the complaint window.

Colours come from the palette; a flagged phrase is underlined and bold exactly over the span the
matcher found.
"""

from __future__ import annotations

import html

from ceo_desk.core import presenting
from ceo_desk.core.queries import ComplaintDetail


def text_html(value: str) -> str:
    """Escaped, with line breaks kept."""
    return html.escape(value, quote=False).replace("\n", "<br>")


def marked_html(value: presenting.Marked) -> str:
    """Escaped text with each flagged phrase underlined and bold, exactly where it was found."""
    return "".join(
        f"<u><b>{text_html(piece)}</b></u>" if flagged else text_html(piece)
        for piece, flagged in value.pieces()
    )


def rows_html(rows: tuple[presenting.Row, ...], margin: str = "") -> str:
    style = f" style='margin:{margin}'" if margin else ""
    parts = []
    for row in rows:
        value = marked_html(row.value)
        if row.strong:
            value = f"<b>{value}</b>"
        if row.alarm:
            value = f"<span style='color:{presenting.ALARM_RED}'><b>{value}</b></span>"
        label = f"<b>{text_html(row.label)}:</b> " if row.label else ""
        parts.append(f"<p{style}>{label}{value}</p>")
    return "\n".join(parts)


def section_html(section: presenting.Section) -> str:
    return f"<h3>{text_html(section.title)}</h3>\n{rows_html(section.rows, margin='4px 0')}"


def reports_html(detail: ComplaintDetail) -> str:
    """Every report of the complaint, newest first, as the complaint window lists them."""
    if not detail.reports:
        return "<p><i>No report filed yet.</i></p>"
    parts = []
    for index in range(len(detail.reports), 0, -1):
        report = detail.reports[index - 1]
        section = presenting.report_section(report)
        parts.append(f"<h3 style='margin-bottom:2px'>{index}. {text_html(section.title)}</h3>")
        parts.append(rows_html(section.rows, margin="4px 0"))
        if section.notice is not None:
            parts.append(f"<p style='margin:4px 0'><b>⚠ {text_html(section.notice)}.</b></p>")
    return "".join(parts)
