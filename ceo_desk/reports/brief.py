"""The CEO's call brief: one page to hold while calling the customer back.

Customer and number first, then the complaint, what was promised, the delegate's report, earlier
attempts and the customer's other complaints, and ruled space for notes. Long texts are shortened
and, if still too tall, the content is scaled to keep the brief to a single page.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ceo_desk.core import presenting, queries
from ceo_desk.core.validation import phone_for_display
from ceo_desk.reports.common import (
    FONT,
    FONT_BOLD,
    GREY_DARK,
    GREY_LIGHT,
    INK,
    MARGIN,
    RenderedReport,
    build,
    draw_footer,
    marked_text,
    markup,
    numbered_canvas,
    page_size,
    pdf_document,
    styles,
    text,
    write_pdf,
)
from ceo_desk.store.db import Database

NOTES_MIN_HEIGHT = 60 * mm
FRAME_PADDING = 6


def render_call_brief(
    db: Database,
    reference: str,
    out_path: str | os.PathLike[str],
    *,
    paper: str = "a4",
    now: datetime | None = None,
    force: bool = False,
) -> RenderedReport:
    """Write the one-page call brief for complaint `reference` to `out_path`."""
    page_size(paper)
    with db.reading() as uow:
        detail = queries.complaint_detail(uow, reference)
        history = queries.customer_history(uow, detail.customer_id, excluding=detail.id)
    pdf = call_brief_pdf(detail, history, paper=paper, generated_at=now)
    return RenderedReport(write_pdf(pdf, out_path, force=force, log=db.sqlite_path), 1)


class _NotesBox(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """Ruled space for notes and tick boxes, filling what is left of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.box_width = 0.0
        self.box_height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.box_width = availWidth
        self.box_height = max(NOTES_MIN_HEIGHT, availHeight - 2)
        return self.box_width, self.box_height

    def draw(self) -> None:
        canvas = self.canv
        w, h = self.box_width, self.box_height
        canvas.setStrokeColor(GREY_DARK)
        canvas.setLineWidth(0.6)
        canvas.rect(0, 0, w, h)
        canvas.setFont(FONT_BOLD, 9)
        canvas.setFillColor(INK)
        canvas.drawString(6, h - 13, "Notes from the call")
        canvas.setFont(FONT, 8.5)
        ticks = [
            "☐ Satisfied   ☐ Not satisfied   ☐ No answer   ☐ Voicemail",
            "Satisfaction  ☐1  ☐2  ☐3  ☐4  ☐5        Staying with us?  ☐ Yes  ☐ At risk  ☐ Leaving",
        ]
        canvas.drawString(6, h - 28, ticks[0])
        canvas.drawString(6, h - 41, ticks[1])
        canvas.setStrokeColor(GREY_LIGHT)
        canvas.setLineWidth(0.4)
        y = h - 60
        while y > 8:
            canvas.line(6, y, w - 6, y)
            y -= 17


def call_brief_pdf(
    detail: queries.ComplaintDetail,
    history: queries.CustomerHistory,
    *,
    paper: str = "a4",
    generated_at: datetime | None = None,
) -> bytes:
    size = page_size(paper)
    generated = (generated_at or datetime.now(UTC)).astimezone(UTC)
    width = size[0] - 2 * MARGIN - 2 * FRAME_PADDING
    frame_height = size[1] - 2 * MARGIN - 2 * FRAME_PADDING

    def draw_frame(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY_DARK)
        label = f"CEO Desk · Call brief {detail.reference}"
        draw_footer(canvas, size[0], label, generated, number, total)
        canvas.restoreState()

    def make_doc(buffer: io.BytesIO) -> SimpleDocTemplate:
        return pdf_document(buffer, size, title=f"Call brief {detail.reference}")

    content = KeepInFrame(
        width, frame_height - NOTES_MIN_HEIGHT - 8, _content(detail, history, width), mode="shrink"
    )
    story = [content, Spacer(1, 6), _NotesBox()]
    return build(story, make_doc, numbered_canvas(draw_frame))


def _section(title: str, rows: list[tuple[str, Any]], width: float) -> list[Any]:
    s = styles()
    if not rows:
        return []
    label_width = 38 * mm
    data = [[markup(label, s.label), value] for label, value in rows]
    table = Table(data, colWidths=[label_width, width - label_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return [text(title, s.h2), table]  # a title may hold a name, in any script


def _content(
    d: queries.ComplaintDetail, history: queries.CustomerHistory, width: float
) -> list[Any]:
    s = styles()
    big = s.title
    due = d.callback_due_on.isoformat() if d.callback_due_on else None
    state = d.status.label + (f" · call due {due}" if due else "")
    phone = phone_for_display(d.customer_phone) or "no phone on file"
    head = Table(
        [
            [markup(f"Call brief · {d.reference}", s.h1), text(state, s.right)],
            [text(d.customer_name, big), text(phone, _phone_style())],
        ],
        colWidths=[width * 0.58, width * 0.42],
    )
    head.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 1), (-1, 1), 1, INK),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    out: list[Any] = [head, Spacer(1, 4)]
    contact = [
        ("Email", text(d.customer_email, s.body)) if d.customer_email else None,
        ("Organisation", text(d.customer_organisation, s.body))
        if d.customer_organisation
        else None,
        ("Account", text(d.customer_account_ref, s.body)) if d.customer_account_ref else None,
    ]
    out += _section("Customer", [c for c in contact if c], width)

    for section in presenting.call_brief(d):
        rows = [_row(row) for row in section.rows]
        if section.notice is not None:
            rows.append(("Watch for", text(f"⚠ {section.notice}.", _bold(s.body))))
        out += _section(section.title, rows, width)
    if history.total:
        lines = [
            (
                p.received_on.isoformat(),
                text(f"{p.reference} · {p.status.label} · {p.summary}", s.body, max_chars=160),
            )
            for p in history.recent
        ]
        more = history.total - len(history.recent)
        if more > 0:
            lines.append(("", text(f"and {more} more", s.small)))
        out += _section(f"The customer's other complaints ({history.total})", lines, width)
    return out


# The longest a row may run before it is cut, so the brief keeps to one page.
ROW_LIMITS = {"Summary": 500, "Details": 900, "Wants": 400, "Promise": 500, "Root cause": 400}
ROW_LIMIT = 700


def _row(row: presenting.Row) -> tuple[str, Any]:
    s = styles()
    style = _bold(s.body) if row.strong or row.alarm else s.body
    if row.alarm:
        style = _red(style)
    value = row.value.shortened(ROW_LIMITS.get(row.label, ROW_LIMIT))
    return row.label, marked_text(value, style)


def _bold(style: Any) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"{style.name}-bold", parent=style, fontName=FONT_BOLD)


def _red(style: Any) -> Any:
    """A broken promise, in red (and bold: it still stands out printed in black and white)."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        f"{style.name}-alarm", parent=style, textColor=HexColor(presenting.ALARM_RED)
    )


def _phone_style() -> Any:
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        "phone", parent=styles().title, alignment=TA_RIGHT, fontSize=15, leading=19
    )


__all__ = ["call_brief_pdf", "render_call_brief"]
