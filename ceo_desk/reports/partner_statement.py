"""A one-page statement for a department or partner for one month, to send to it; a busy
unit's page lists its cases of most concern and says how many more the figures count.

Every figure comes from `core.partner_statement` (which also states what a partner may see);
this module only lays it out, and writes it through the output rules like every document.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Spacer

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.partner_statement import PartnerStatement, partner_statement
from ceo_desk.core.policy import Month
from ceo_desk.reports.common import (
    FONT,
    FONT_BOLD,
    FOOTER_BASELINE,
    GREY_DARK,
    GREY_LIGHT,
    MARGIN,
    RenderedReport,
    build,
    draw_footer,
    markup,
    numbered_canvas,
    page_size,
    pdf_document,
    percent,
    styles,
    write_pdf,
)
from ceo_desk.reports.fonts import escaped_runs
from ceo_desk.reports.monthly import data_table, period_label
from ceo_desk.reports.monthly_cost import money
from ceo_desk.store.db import Database, UnitOfWork

FRAME_PADDING = 6
WHAT_IS_SHOWN = (
    "This statement lists only your own cases: the complaints you caused (received this month) "
    "or handled (delegated to, reported on or resolved by your people this month). For the "
    "customer's privacy it gives no names, contact details or the customers' own words; quote "
    "the reference when you write to us about one."
)


def render_partner_statement(
    db: Database,
    unit: str | int,
    month: Month,
    out_path: str | os.PathLike[str],
    *,
    paper: str = "a4",
    now: datetime | None = None,
    force: bool = False,
) -> RenderedReport:
    """Write `unit`'s statement for `month` to `out_path` (a PDF, through the output rules)."""
    page_size(paper)  # refuse a bad paper name before any work
    with db.reading() as uow:
        pdf, pages = statement_document(uow, unit, month, paper=paper, now=now)
    return RenderedReport(write_pdf(pdf, out_path, force=force, log=db.sqlite_path), pages)


def statement_document(
    uow: UnitOfWork,
    unit: str | int,
    month: Month,
    *,
    paper: str = "a4",
    now: datetime | None = None,
) -> tuple[bytes, int]:
    """`unit`'s statement for `month` as PDF bytes and its page count (the Reports page shows
    these before they are saved)."""
    moment = SYSTEM_CLOCK.moment(now)
    statement = partner_statement(uow, unit, month, now=moment)
    return statement_pdf(statement, paper=paper, generated_at=moment)


def _rate(part: int, whole: int) -> str:
    return "–" if not whole else f"{percent(part / whole)} ({part} of {whole})"


# At most this many cases are tried on the page; more never fit at the table's size (A4 holds
# about 40 below the figures).
_MOST_ROWS = 90


def statement_pdf(
    statement: PartnerStatement, *, paper: str = "a4", generated_at: datetime | None = None
) -> tuple[bytes, int]:
    """The statement as bytes, and its page count: one page however busy the unit, listing
    every case when they fit, else the ones of most concern and how many more there are."""
    size = page_size(paper)
    generated = generated_at or datetime.now(UTC)
    period = period_label(statement.period)
    title = f"Complaints statement for {statement.unit_name} · {statement.period.month.label}"
    pages = [0]

    def draw_frame(canvas: Canvas, number: int, total: int) -> None:
        pages[0] = total
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY_DARK)
        canvas.setStrokeColor(GREY_LIGHT)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, FOOTER_BASELINE + 9, size[0] - MARGIN, FOOTER_BASELINE + 9)
        draw_footer(canvas, size[0], f"Period: {period}", generated, number, total)
        canvas.restoreState()

    def make_doc(buffer: io.BytesIO) -> object:
        return pdf_document(buffer, size, title=title, subject=f"Complaints statement, {period}")

    def rendered(listed: int | None) -> tuple[bytes, int]:
        story = _story(statement, size[0] - 2 * MARGIN - 2 * FRAME_PADDING, listed)
        pdf = build(story, make_doc, numbered_canvas(draw_frame))
        return pdf, pages[0]

    if len(statement.lines) <= _MOST_ROWS:
        pdf, count = rendered(None)
        if count <= 1:
            return pdf, count
    # Too many to list: the most cases that still leave the statement on one page.
    fits, tried = 0, min(len(statement.lines) - 1, _MOST_ROWS)
    best = rendered(0)
    while fits < tried:
        middle = (fits + tried + 1) // 2
        attempt = rendered(middle)
        if attempt[1] <= 1:
            fits, best = middle, attempt
        else:
            tried = middle - 1
    return best


def _story(statement: PartnerStatement, width: float, listed: int | None) -> list[object]:
    """The page: the month's figures, then the cases, all of them (`listed` None) or the first
    `listed` by concern with a line saying how many more the figures count."""
    s = styles()
    f = statement.figures
    currency = statement.currency
    period = period_label(statement.period)
    story: list[object] = [
        markup(escaped_runs(f"Complaints statement: {statement.unit_name}", FONT_BOLD), s.title),
        markup(f"{period} · prepared by the CEO's office", s.body),
        Spacer(1, 3),
        markup(WHAT_IS_SHOWN, s.small),
        markup("The month in figures", s.h2),
    ]
    figures = [
        ("Your cases this month", f"{f.cases:,}"),
        ("Complaints you caused", f"{f.caused:,}"),
        ("Cases resolved this month", _rate(f.cases_resolved, f.cases - f.cases_withdrawn)),
        ("Still open at the month's end", f"{statement.open_at_end:,}"),
        ("Reports on time (a missing one counts as late)",
         _rate(f.reports_on_time, f.reports + f.reports_missing)),
        ("Reports sent back for more", f"{f.sent_back:,}"),
        ("Cost of accommodations on your cases", money(statement.cost_minor, currency)),
    ]  # fmt: skip
    table = data_table(["Figure", statement.period.month.label], figures, [width * 0.45,
                       width * 0.25], numeric=(1,), size=8.5)  # fmt: skip
    table.hAlign = "LEFT"
    story.append(table)
    lines = statement.lines if listed is None else statement.by_concern[:listed]
    left = statement.by_concern[len(lines) :]
    if listed is None:
        story.append(markup("Your cases", s.h2))
    else:
        story.append(markup("Your cases of most concern: open the longest first", s.h2))
    if not statement.lines:
        story.append(markup("<i>You had no cases this month.</i>", s.body))
    elif lines:
        rows = [
            (
                line.reference,
                line.received_on.isoformat(),
                line.category,
                line.part,
                line.contact,
                line.status.label,
                line.closed_on.isoformat() if line.closed_on else "",
                f"{line.business_days:,}",
                money(line.cost_minor, currency) if line.cost_minor else "",
            )
            for line in lines
        ]
        header = ["Reference", "Received", "Category", "Your part", "Your contact",
                  "At month end", "Closed", "Days", "Cost"]  # fmt: skip
        parts = [20, 19, 21, 26, 25, 26, 19, 11, 20]
        widths = [width * p / sum(parts) for p in parts]
        story.append(data_table(header, rows, widths, numeric=(7, 8)))
    if left:
        still_open = sum(1 for line in left if line.closed_on is None)
        story.append(
            markup(
                f"<b>…and {len(left):,} more of your cases</b> ({len(left) - still_open:,} "
                f"closed, {still_open:,} open at the month's end), not listed to keep this "
                "statement to one page; the figures above count them all. Ask the CEO's office "
                "for the full list.",
                s.body,
            )
        )
    story += [
        Spacer(1, 3 * mm),
        markup(
            "Days are business days from receipt to closing, or to the month's end while a "
            "complaint is open. A cost counts in the month its report was filed, unless the report "
            "was sent back.",
            s.small,
        ),
    ]
    return story


__all__ = ["render_partner_statement", "statement_pdf"]
