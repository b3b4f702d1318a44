"""The monthly summary for the board: headline figures, charts, league tables, warnings, appendix.

Every figure comes from `core.stats.monthly_summary`; this module only lays them out. Large tables
use plain-string cells (drawn literally, no markup, and fast) shortened to fit their column.
"""

from __future__ import annotations

import gc
import io
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ceo_desk.core import audit, cost_stats, follow_through_stats, policy, provenance, stats
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.validation import format_money
from ceo_desk.enums import FiledHow, Status, UnitKind
from ceo_desk.reports import charts, monthly_deadlines
from ceo_desk.reports.common import (
    FONT,
    FONT_NARROW,
    FONT_NARROW_BOLD,
    FOOTER_BASELINE,
    GREY_DARK,
    GREY_LIGHT,
    GREY_PALE,
    INK,
    MARGIN,
    RenderedReport,
    build,
    count_change,
    decimal_change,
    draw_footer,
    fit,
    markup,
    numbered_canvas,
    one_decimal,
    page_size,
    pdf_document,
    percent,
    points_change,
    styles,
    write_pdf,
)
from ceo_desk.reports.fonts import escaped_runs, needs_fallback, string_width
from ceo_desk.reports.monthly_cost import cost_section, money
from ceo_desk.reports.monthly_follow_through import follow_through_section
from ceo_desk.reports.tables import RowTable
from ceo_desk.store.db import Database, UnitOfWork

CELL_SIZE = 7.5
CELL_PAD = 3
FRAME_PADDING = 6  # reportlab's default frame padding, each side
REPEAT_CUSTOMERS_SHOWN = 40
TOP_CATEGORIES = 8


def render_monthly(
    db: Database,
    month: policy.Month | None,
    out_path: str | os.PathLike[str],
    *,
    paper: str = "a4",
    now: datetime | None = None,
    force: bool = False,
) -> RenderedReport:
    """Write the monthly summary of `month` (default: the last complete month) to `out_path`."""
    moment = SYSTEM_CLOCK.moment(now)
    page_size(paper)  # refuse a bad paper name before any work
    chosen = month or policy.last_complete_month(SYSTEM_CLOCK.local_day(moment))
    with db.reading() as uow:
        pdf, pages = board_pack(uow, chosen, paper=paper, now=moment)
    return RenderedReport(write_pdf(pdf, out_path, force=force, log=db.sqlite_path), pages)


def board_pack(
    uow: UnitOfWork, month: policy.Month, *, paper: str = "a4", now: datetime | None = None
) -> tuple[bytes, int]:
    """The monthly summary as bytes and its page count, sealed with the audit chain's head as
    read in the same transaction as the figures."""
    moment = SYSTEM_CLOCK.moment(now)
    with collecting_rarely():
        summary = stats.monthly_summary(uow, month, now=moment)
        filed = provenance.filed_by_delegate(uow, summary.period.start, summary.period.end)
        costs = cost_stats.cost_by_unit(uow, summary.period, summary.currency)
        kept_word = follow_through_stats.follow_through(uow, summary.period)
        seal = audit.chain_head(uow).seal
        return monthly_pdf(
            summary,
            paper=paper,
            generated_at=moment,
            seal=seal,
            filed=filed,
            costs=costs,
            follow_through=kept_word,
        )


# The young generation is collected after this many new objects while a pack is made (Python's
# own pace is every 700), the older ones after 20 of those each.
RARE_COLLECTION = (10_000, 20, 20)


class _Collection:
    """How many packs are being made, and the collector's thresholds before the first."""

    lock = threading.Lock()
    packs = 0
    thresholds: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def collecting_rarely() -> Iterator[None]:
    """Python's cycle collector run rarely while a pack is made.

    A busy month's pack makes millions of short-lived objects (rows, figures, cells, PDF
    operators) that reference counting frees; at the collector's own pace it ran some 500
    times, a sixteenth of the pack's time even with what start-up loaded frozen out of its
    sight (`ceo_desk.collector`). Its thresholds are put back when the last pack being made
    (the app may make two at once) is done, or fails.
    """
    with _Collection.lock:
        if _Collection.packs == 0:
            _Collection.thresholds = gc.get_threshold()
            gc.set_threshold(*RARE_COLLECTION)
        _Collection.packs += 1
    try:
        yield
    finally:
        with _Collection.lock:
            _Collection.packs -= 1
            if _Collection.packs == 0:
                gc.set_threshold(*_Collection.thresholds)


def period_label(period: policy.Period) -> str:
    first = period.month.first_day
    last = period.month.last_day if period.complete else period.clock.local_day(period.end)
    label = f"{first.day}–{last.day} {first.strftime('%B %Y')}"
    return label if period.complete else f"{label} (month to date)"


def monthly_pdf(
    summary: stats.MonthlySummary,
    *,
    paper: str = "a4",
    generated_at: datetime | None = None,
    seal: str | None = None,
    filed: Sequence[provenance.FiledBy] = (),
    costs: Sequence[cost_stats.UnitCost] = (),
    follow_through: follow_through_stats.FollowThrough | None = None,
) -> tuple[bytes, int]:
    """The document as bytes, and its page count; `seal` is printed on the last page, `filed`
    says in the staff section how each delegate's reports were filed, `costs` are the month's
    accommodation costs by causing unit."""
    size = page_size(paper)
    generated = generated_at or datetime.now(UTC)
    width = size[0] - 2 * MARGIN - 2 * FRAME_PADDING
    pages = [0]
    title = f"Complaints to the CEO · {summary.month.label}"
    period = period_label(summary.period)

    def draw_frame(canvas: Canvas, number: int, total: int) -> None:
        pages[0] = total
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY_DARK)
        top = size[1] - MARGIN + 6 * mm
        canvas.drawString(MARGIN, top, f"CEO Desk · {title}")
        canvas.drawRightString(size[0] - MARGIN, top, "Confidential: for the board")
        canvas.setStrokeColor(GREY_LIGHT)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 2.5, size[0] - MARGIN, top - 2.5)
        canvas.line(MARGIN, FOOTER_BASELINE + 9, size[0] - MARGIN, FOOTER_BASELINE + 9)
        draw_footer(canvas, size[0], f"Period: {period}", generated, number, total)
        canvas.restoreState()

    def make_doc(buffer: io.BytesIO) -> SimpleDocTemplate:
        return pdf_document(
            buffer,
            size,
            title=title,
            subject=f"Monthly complaints summary, {period}",
            top_margin=MARGIN + 2 * mm,
        )

    story = _story(summary, width, period, filed, costs, follow_through) + (
        _seal(seal) if seal else []
    )
    pdf = build(story, make_doc, numbered_canvas(draw_frame))
    return pdf, pages[0]


# ---------------------------------------------------------------- tables


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    numeric: Sequence[int] = (),
    highlight: Sequence[int] = (),
    size: float = CELL_SIZE,
) -> Flowable:
    """A table whose header repeats on every page; plain strings are shortened to fit."""
    fitted = [
        [
            fit(cell, widths[i] - 2 * CELL_PAD, FONT_NARROW, size)
            if isinstance(cell, str)
            else cell
            for i, cell in enumerate(row)
        ]
        for row in rows
    ]
    head_style = ParagraphStyle(
        "head", fontName=FONT_NARROW_BOLD, fontSize=size, leading=size + 1.5, textColor=INK
    )
    head = [
        Paragraph(
            escaped_runs(h, FONT_NARROW_BOLD),
            head_style if i not in numeric else _right(head_style),
        )
        for i, h in enumerate(header)
    ]
    if all(isinstance(cell, str) for row in fitted for cell in row):
        return RowTable(
            head,
            fitted,
            widths,
            numeric=numeric,
            highlight=frozenset(highlight),
            size=size,
            padding=CELL_PAD,
        )
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NARROW),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size + 2),
        ("FONTNAME", (0, 0), (-1, 0), FONT_NARROW_BOLD),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, GREY_DARK),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, GREY_PALE]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for column in numeric:
        commands.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
    for row in highlight:
        commands.append(("FONTNAME", (0, row + 1), (-1, row + 1), FONT_NARROW_BOLD))
        commands.append(("BACKGROUND", (0, row + 1), (-1, row + 1), GREY_LIGHT))
    # Cells reportlab would draw in one font become paragraphs when they need the fallback font.
    cell_style = ParagraphStyle(
        "cell", fontName=FONT_NARROW, fontSize=size, leading=size + 2, textColor=INK
    )
    cells = [
        [
            Paragraph(escaped_runs(cell, FONT_NARROW), cell_style)
            if isinstance(cell, str) and needs_fallback(cell, FONT_NARROW)
            else cell
            for cell in row
        ]
        for row in fitted
    ]
    table = LongTable([head, *cells], colWidths=list(widths), repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def _right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-right", parent=style, alignment=TA_RIGHT)


def _scaled(width: float, parts: Sequence[float]) -> list[float]:
    total = sum(parts)
    return [width * p / total for p in parts]


def _none(style: Any, what: str) -> Paragraph:
    return markup(f"<i>{what}</i>", style)


def _day(value: Any) -> str:
    return value.isoformat() if value is not None else ""


# ---------------------------------------------------------------- sections


def _story(
    summary: stats.MonthlySummary,
    width: float,
    period: str,
    filed: Sequence[provenance.FiledBy] = (),
    costs: Sequence[cost_stats.UnitCost] = (),
    follow_through: follow_through_stats.FollowThrough | None = None,
) -> list[Any]:
    s = styles()
    month = summary.month
    story: list[Any] = [
        markup(f"Complaints to the CEO: {month.label}", s.title),
        Spacer(1, 2),
        markup(
            f"Monthly summary for the board · {period} · compared with "
            f"{summary.previous_period.month.label}",
            s.body,
        ),
        Spacer(1, 3),
        markup(
            "Figures are rebuilt from the log's history, so a complaint counts in the status it "
            f"had at the end of the month, not today's. Overdue means past its due date on "
            f"{summary.period.end_day.strftime('%d %B %Y').lstrip('0')}. Days are business days "
            "unless said otherwise.",
            s.small,
        ),
    ]
    story += _headline(summary, width)
    story += _charts(summary, width)
    story += monthly_deadlines.time_section(summary, width)
    story += _league(summary, width)
    story += cost_section(costs, summary.currency, width, data_table)
    if follow_through is not None:
        story += follow_through_section(follow_through, width, data_table)
    story += _staff(summary, width)
    story += _filed_how(filed, width)
    story += _coming_back(summary, width)
    story += _slipping(summary, width)
    story += _warnings(summary, width)
    story += _appendix(summary, width)
    return story


def _seal(seal: str) -> list[Any]:
    """The audit seal, so anyone holding the paper can ask whether the log was rewritten since."""
    s = styles()
    return [
        Spacer(1, 10),
        KeepTogether(
            [
                markup(seal, s.body),
                markup(
                    "The seal names the audit trail this pack was made from. To confirm the log "
                    f'still holds it, run ceo-desk check --seal "{seal}".',
                    s.small,
                ),
            ]
        ),
    ]


def _headline(summary: stats.MonthlySummary, width: float) -> list[Any]:
    s = styles()
    now, before = summary.headline, summary.previous
    money_now, money_before = (
        now.cost_minor.get(summary.currency, 0),
        before.cost_minor.get(summary.currency, 0),
    )
    money_change = money_now - money_before
    money_sign = "−" if money_change < 0 else "+"
    rows = [
        ("Complaints received", f"{now.received:,}", f"{before.received:,}",
         count_change(now.received, before.received)),
        ("Resolved (confirmed by the CEO's call)", f"{now.resolved:,}", f"{before.resolved:,}",
         count_change(now.resolved, before.resolved)),
        *(
            [("Closed before CEO Desk (imported history)", f"{now.closed_before_ceo_desk:,}",
              f"{before.closed_before_ceo_desk:,}",
              count_change(now.closed_before_ceo_desk, before.closed_before_ceo_desk))]
            if now.closed_before_ceo_desk or before.closed_before_ceo_desk
            else []
        ),
        ("Open at month end", f"{now.open_at_end:,}", f"{before.open_at_end:,}",
         count_change(now.open_at_end, before.open_at_end)),
        ("Overdue at month end", f"{now.overdue_at_end:,}", f"{before.overdue_at_end:,}",
         count_change(now.overdue_at_end, before.overdue_at_end)),
        ("Median days from receipt to report", one_decimal(now.median_days_to_report),
         one_decimal(before.median_days_to_report),
         decimal_change(now.median_days_to_report, before.median_days_to_report)),
        ("Median days from report to confirming call",
         one_decimal(now.median_days_to_confirmation),
         one_decimal(before.median_days_to_confirmation),
         decimal_change(now.median_days_to_confirmation, before.median_days_to_confirmation)),
        ("Resolved at the first callback", _share(now), _share(before),
         points_change(now.first_callback_share, before.first_callback_share)),
        ("Reopened (not satisfied at the call)", f"{now.reopened:,}", f"{before.reopened:,}",
         count_change(now.reopened, before.reopened)),
        ("Withdrawn", f"{now.withdrawn:,}", f"{before.withdrawn:,}",
         count_change(now.withdrawn, before.withdrawn)),
        ("Unreachable", f"{now.unreachable:,}", f"{before.unreachable:,}",
         count_change(now.unreachable, before.unreachable)),
        ("Total cost of accommodations", money(now.cost_minor, summary.currency),
         money(before.cost_minor, summary.currency),
         "no change" if money_change == 0
         else money_sign + format_money(abs(money_change), summary.currency)),
        ("Complaints where the CEO spoke personally", f"{now.ceo_spoke:,}",
         f"{before.ceo_spoke:,}", count_change(now.ceo_spoke, before.ceo_spoke)),
        ("Average people dealt with before the CEO", one_decimal(now.avg_prior_contacts),
         one_decimal(before.avg_prior_contacts),
         decimal_change(now.avg_prior_contacts, before.avg_prior_contacts)),
    ]  # fmt: skip
    widths = _scaled(width, [62, 38, 38, 30])
    table = data_table(
        ["Figure", summary.month.label, summary.previous_period.month.label, "Change"],
        rows,
        widths,
        numeric=(1, 2, 3),
        size=8.5,
    )
    return [markup("1. Headline figures", s.h1), table]


def _share(h: stats.Headline) -> str:
    if not h.resolved:
        return "–"
    return f"{percent(h.first_callback_share)} ({h.resolved_first_callback} of {h.resolved})"


def _section_opening(title: str, room: float, intro: str | None = None) -> list[Any]:
    """A numbered section's heading (and its one-line introduction), on a new page unless
    `room` is left on this one, so a heading never stands alone at the foot of a page."""
    s = styles()
    opening: list[Any] = [CondPageBreak(room), markup(title, s.h1)]
    if intro is not None:
        opening += [markup(intro, s.small), Spacer(1, 3)]
    return opening


def _charts(summary: stats.MonthlySummary, width: float) -> list[Any]:
    s = styles()
    out = _section_opening("2. The month in charts", 90 * mm)
    if summary.headline.received == 0:
        out.append(_none(s.body, f"No complaints were received in {summary.month.label}."))
        return out
    weeks = charts.column_chart(
        "Complaints received per week",
        [w.label for w in summary.weeks],
        [w.count for w in summary.weeks],
        width,
        150,
    )
    received_categories = [c for c in summary.categories if c.count]
    half = (width - 8 * mm) / 2
    by_category = charts.bar_chart(
        "Received per category",
        [fit(c.name, 88, FONT, 8) for c in received_categories],
        [c.count for c in received_categories],
        half,
    )
    statuses = [st for st in Status]
    by_status = charts.bar_chart(
        f"This month's complaints at month end ({summary.headline.received:,})",
        [st.label for st in statuses],
        [summary.status_at_end[st] for st in statuses],
        half,
        shaded=True,
    )
    pair = Table([[by_category, by_status]], colWidths=[half + 8 * mm, half])
    pair.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    out += [weeks, Spacer(1, 4), pair]
    return out


WEAKEST_LINK = "Weakest link"


def _league(summary: stats.MonthlySummary, width: float) -> list[Any]:
    s = styles()
    least = summary.min_cases
    out = _section_opening(
        "4. Departments and partners",
        50 * mm,
        "A unit's cases are the complaints it caused (received this month) or handled (delegated "
        "to, reported on or resolved by its people this month). It is ranked on its score, the "
        "mean of two shares: its cases resolved this month (withdrawn ones left out) and its "
        "reports filed on time (a report past due and still missing at month end counts as "
        "late); then more cases first. Only a unit with at least "
        f"{least:,} {'case' if least == 1 else 'cases'} is ranked; the bottom quarter of those "
        "is marked as the weakest links, and a unit with fewer shows – in place of a rank. The "
        "trend is the score in each of the last three months (oldest first, in percent), where "
        f"the unit had {least:,} or more cases. First call: satisfied at the first callback. "
        "(P): a partner.",
    )
    if not summary.units:
        out.append(_none(s.body, "No department or partner handled or caused a complaint."))
        return out
    # The trend and the mark are printed whole: their columns are as wide as their longest
    # text in the bold of a marked row; the other columns share what is left.
    trend_room, mark_room = (
        string_width(longest, FONT_NARROW_BOLD, CELL_SIZE) + 2 * CELL_PAD + 1
        for longest in ("100→100→100", WEAKEST_LINK)
    )
    widths = [
        *_scaled(width - trend_room - mark_room, [17, 112, 32, 38, 56, 56, 32, 26, 30]),
        trend_room,
        mark_room,
    ]
    rows = [
        (
            f"{u.rank}" if u.ranked else "–",
            _unit_name(u.name, u.kind, widths[1] - 2 * CELL_PAD),
            f"{u.cases:,}",
            f"{u.caused:,}",
            _rate(u.cases_resolved, u.cases - u.cases_withdrawn),
            _rate(u.reports_on_time, u.reports + u.reports_missing),
            percent(u.first_callback_rate),
            f"{u.sent_back:,}",
            percent(u.score) if u.ranked else "–",
            "→".join("–" if t is None else f"{t * 100:.0f}" for t in u.trend),
            WEAKEST_LINK if u.weakest else "",
        )
        for u in summary.units
    ]
    header = [
        "#",
        "Department or partner",
        "Cases",
        "Caused",
        "Cases resolved",
        "Reports on time",
        "First call",
        "Sent back",
        "Score",
        "Score trend",
        "Marked",
    ]
    weak = [i for i, u in enumerate(summary.units) if u.weakest]
    out.append(data_table(header, rows, widths, numeric=(0, 2, 3, 4, 5, 6, 7, 8), highlight=weak))
    return out


def _unit_name(name: str, kind: UnitKind, room: float) -> str:
    """A unit's name, a partner's marked as one, shortened to `room` points with the mark kept."""
    if kind is not UnitKind.PARTNER:
        return name
    mark = " (P)"
    return (
        fit(
            name,
            room - string_width(mark, FONT_NARROW_BOLD, CELL_SIZE),
            FONT_NARROW_BOLD,
            CELL_SIZE,
        )
        + mark
    )


def _filed_how(filed: Sequence[provenance.FiledBy], width: float) -> list[Any]:
    """Who filed each delegate's reports and how: in person, from the form, or typed."""
    s = styles()
    out: list[Any] = [markup("How reports were filed", s.h2)]
    if not filed:
        return [*out, _none(s.body, "No report was filed this month.")]
    ways = list(FiledHow)
    rows = [(f.staff_name, *(f"{f.counts[how]:,}" for how in ways), f"{f.total:,}") for f in filed]
    header = ["Delegate", *(how.label.capitalize() for how in ways), "Reports"]
    widths = _scaled(width, [52, 34, 34, 40, 20])
    out.append(data_table(header, rows, widths, numeric=(1, 2, 3, 4)))
    return out


def _rate(part: int, whole: int) -> str:
    return "–" if not whole else f"{percent(part / whole)} ({part}/{whole})"


def _staff(summary: stats.MonthlySummary, width: float) -> list[Any]:
    s = styles()
    out = _section_opening("5. Staff", 40 * mm)
    if not summary.staff:
        out.append(_none(s.body, "Nobody was delegated a complaint or filed a report."))
        return out
    rows = [
        (
            p.name,
            p.unit_name,
            f"{p.delegated:,}",
            _rate(p.reports_on_time, p.reports),
            f"{p.satisfied:,}",
            f"{p.reopened:,}",
            f"{p.sent_back:,}",
            one_decimal(p.median_days_to_report),
        )
        for p in summary.staff
    ]
    header = [
        "Name",
        "Department or partner",
        "Delegated",
        "Reported on time",
        "Confirmed satisfied",
        "Reopened",
        "Sent back",
        "Median days to report",
    ]
    widths = _scaled(width, [35, 35, 18, 24, 20, 18, 15, 22])
    out.append(data_table(header, rows, widths, numeric=(2, 3, 4, 5, 6, 7)))
    return out


def _coming_back(summary: stats.MonthlySummary, width: float) -> list[Any]:
    s = styles()
    out = _section_opening("6. What keeps coming back", 50 * mm)
    top = summary.categories[:TOP_CATEGORIES]
    out.append(markup("Top categories", s.h2))
    if top:
        rows = [(c.name, f"{c.count:,}", f"{c.previous:,}", f"{c.longer:,}") for c in top]
        table = data_table(
            [
                "Category",
                summary.month.label,
                summary.previous_period.month.label,
                "12 months to date",
            ],
            rows,
            _scaled(width * 0.8, [40, 20, 20, 20]),
            numeric=(1, 2, 3),
        )
        table.hAlign = "LEFT"
        out.append(table)
    else:
        out.append(_none(s.body, "No complaints in the last 12 months."))
    out.append(markup("Repeat customers (two or more complaints in 12 months)", s.h2))
    repeats = summary.repeat_customers
    if not repeats:
        out.append(_none(s.body, "No customer who complained this month had complained before."))
        return out
    rows = [
        (r.name, f"{r.complaints:,}", f"{r.this_month:,}", r.latest_reference)
        for r in repeats[:REPEAT_CUSTOMERS_SHOWN]
    ]
    table = data_table(
        ["Customer", "Complaints in 12 months", "This month", "Latest"],
        rows,
        _scaled(width * 0.8, [40, 22, 16, 22]),
        numeric=(1, 2),
    )
    table.hAlign = "LEFT"
    out.append(table)
    if len(repeats) > REPEAT_CUSTOMERS_SHOWN:
        out.append(
            markup(
                f"… and {len(repeats) - REPEAT_CUSTOMERS_SHOWN:,} more repeat customers.", s.small
            )
        )
    return out


def _slipping(summary: stats.MonthlySummary, width: float) -> list[Any]:
    s = styles()
    out = _section_opening(
        "7. Follow-throughs slipping",
        40 * mm,
        "Every complaint still open at month end and past a due date, most overdue first.",
    )
    if not summary.slipping:
        out.append(_none(s.body, "Nothing was overdue at month end."))
        return out
    rows = [
        (
            x.reference,
            x.customer_name,
            x.summary,
            "Report" if x.due_for == "report" else "CEO's call",
            x.delegate or "",
            _day(x.due_on),
            f"{x.days_overdue:,}",
        )
        for x in summary.slipping
    ]
    header = ["Reference", "Customer", "Complaint", "Waiting for", "Delegate", "Due", "Days over"]
    widths = _scaled(width, [21, 29, 46, 17, 28, 18, 13])
    out.append(data_table(header, rows, widths, numeric=(6,)))
    return out


def _warnings(summary: stats.MonthlySummary, width: float) -> list[Any]:
    s = styles()
    out = _section_opening("8. Warnings", 40 * mm)
    out.append(markup('Reports that lean on "can\'t" or policy', s.h2))
    if summary.flagged:
        widths = _scaled(width, [21, 18, 28, 30, 79])
        rows = [
            (
                f.reference,
                _day(f.filed_on),
                f.staff,
                ", ".join(f.terms),
                f.said,
            )
            for f in summary.flagged
        ]
        out.append(
            data_table(["Reference", "Filed", "Delegate", "Words", "What was said"], rows, widths)
        )
    else:
        out.append(_none(s.body, "No report this month used flagged wording."))
    out.append(markup("Customers at risk or leaving", s.h2))
    if summary.at_risk:
        widths = _scaled(width, [21, 34, 18, 16, 87])
        rows = [
            (
                r.reference,
                r.customer,
                _day(r.called_on),
                r.loyalty.label,
                r.customer_words or "–",
            )
            for r in summary.at_risk
        ]
        out.append(
            data_table(
                ["Reference", "Customer", "Called", "Loyalty", "Customer's words"], rows, widths
            )
        )
    else:
        out.append(
            _none(s.body, "No customer said at a callback that they were at risk or leaving.")
        )
    return out


def _appendix(summary: stats.MonthlySummary, width: float) -> list[Any]:
    s = styles()
    heading = markup("9. Appendix: every complaint received or closed this month", s.h1)
    if not summary.appendix:
        return [heading, _none(s.body, "None.")]
    out: list[Any] = [PageBreak(), heading]
    rows = [
        (
            a.reference,
            _day(a.received_on),
            _day(a.closed_on),
            a.customer,
            a.category,
            a.delegate,
            a.outcome.label,
        )
        for a in summary.appendix
    ]
    header = ["Reference", "Received", "Closed", "Customer", "Category", "Delegate", "At month end"]
    widths = _scaled(width, [21, 17, 17, 38, 26, 31, 23])
    out.append(data_table(header, rows, widths))
    out.append(Spacer(1, 4))
    out.append(markup(f"{len(rows):,} complaints.", s.small))
    return out


__all__ = ["board_pack", "data_table", "monthly_pdf", "period_label", "render_monthly"]
