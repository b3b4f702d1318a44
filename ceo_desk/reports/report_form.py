"""The fillable report form: one page a delegate without the app fills in any PDF reader.

The top of the page says what the complaint is and what the CEO promised; below it are the form
fields of the report (`core.report_form.FILLED_FIELDS`). The reference, the delegation and the
check value are embedded as read-only fields (the last two hidden), for the reader of the
returned form to recognise it by.
"""

from __future__ import annotations

import io
import os
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, KeepInFrame, Table, TableStyle

from ceo_desk.core import presenting, report_form
from ceo_desk.core.report_form import FormContent, FormField
from ceo_desk.reports.common import (
    FONT,
    FONT_BOLD,
    GREY_DARK,
    GREY_LIGHT,
    GREY_MID,
    GREY_PALE,
    INK,
    MARGIN,
    RenderedReport,
    markup,
    page_size,
    styles,
    text,
    write_pdf,
)
from ceo_desk.store.db import Database

FIELD_FONT = "Helvetica"  # form fields are set by the reader, in one of the standard fonts
FIELD_SIZE = 10
LINE = 13.0  # one line of a field, in points
LABEL_GAP = 21.0  # a field's label and hint above its box
FIELD_GAP = 9.0
ACCENT = colors.Color(0.13, 0.29, 0.49)
FIELD_FILL = colors.Color(0.96, 0.97, 0.99)
COMPLAINT_MAX_HEIGHT = 70 * mm  # longer complaints are shrunk to fit: the form is one page


def render_report_form(
    db: Database,
    reference: str,
    out_path: str | os.PathLike[str],
    *,
    paper: str = "a4",
    now: datetime | None = None,
    force: bool = False,
) -> RenderedReport:
    """Write the report form for complaint `reference`'s current delegation to `out_path`."""
    size = page_size(paper)
    with db.transaction() as uow:  # the log's form secret is made with the first form
        content = report_form.issue(uow, reference, now=now)
    pdf = report_form_pdf(content, size)
    return RenderedReport(write_pdf(pdf, out_path, force=force, log=db.sqlite_path), 1)


def report_form_pdf(content: FormContent, size: tuple[float, float]) -> bytes:
    """The form as PDF bytes."""
    styles()  # registers the bundled fonts
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, pageCompression=1)
    canvas.setTitle(f"Report form for {content.reference}")
    canvas.setAuthor("CEO Desk")
    canvas.setCreator("CEO Desk")
    canvas.setSubject(f"Report of {content.delegate_name} on complaint {content.reference}")
    width, height = size
    top = _header(canvas, content, width, height)
    top = _complaint(canvas, content, width, top)
    _fields(canvas, content, width, top)
    _footer(canvas, content, width)
    _embedded(canvas, content)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _header(canvas: Canvas, content: FormContent, width: float, height: float) -> float:
    """The title band; returns the y below it."""
    band = 22 * mm
    canvas.setFillColor(ACCENT)
    canvas.rect(0, height - band, width, band, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(FONT_BOLD, 17)
    canvas.drawString(MARGIN, height - band + 9 * mm, "Delegate's report")
    canvas.setFont(FONT, 8.5)
    canvas.drawString(MARGIN, height - band + 4 * mm, "CEO Desk · complaint to the CEO")
    canvas.setFont(FONT_BOLD, 15)
    canvas.drawRightString(width - MARGIN, height - band + 9 * mm, content.reference)
    canvas.setFont(FONT, 8.5)
    canvas.drawRightString(
        width - MARGIN,
        height - band + 4 * mm,
        f"Report due {presenting.day(content.report_due_on)}",
    )
    y = height - band - 7 * mm
    canvas.setFillColor(INK)
    canvas.setFont(FONT, 9)
    canvas.drawString(
        MARGIN,
        y,
        f"For {content.delegate_name} ({content.unit_name}) · form issued "
        f"{presenting.day(content.issued_on)}",
    )
    return float(y - 4 * mm)


def _complaint(canvas: Canvas, content: FormContent, width: float, top: float) -> float:
    """The complaint, the customer and what was promised, in a shaded box of fixed height;
    returns the y below it. Long texts are shrunk to fit so the form stays one page."""
    s = styles()
    inner = width - 2 * MARGIN
    contact = " · ".join(p for p in (content.customer_phone, content.customer_email) if p)
    rows = [
        ("Complaint", content.summary),
        ("Details", content.details),
        ("Customer wants", content.customer_wants),
        ("The CEO promised", content.ceo_promised or "Nothing specific."),
        ("Customer", f"{content.customer_name}" + (f" · {contact}" if contact else "")),
        ("Instructions", content.instructions),
    ]
    table = Table(
        [
            [markup(label, s.label), text(value, s.body, max_chars=900)]
            for label, value in rows
            if value
        ],
        colWidths=[32 * mm, inner - 32 * mm - 8],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    _, needed = table.wrap(inner - 8, COMPLAINT_MAX_HEIGHT)
    box_height = min(needed + 12, COMPLAINT_MAX_HEIGHT)
    canvas.setFillColor(GREY_PALE)
    canvas.setStrokeColor(GREY_LIGHT)
    canvas.roundRect(MARGIN, top - box_height, inner, box_height, 4, stroke=1, fill=1)
    canvas.setFillColor(INK)
    frame = Frame(MARGIN, top - box_height, inner, box_height, showBoundary=0)
    frame.addFromList([KeepInFrame(inner - 12, box_height - 12, [table], mode="shrink")], canvas)
    return float(top - box_height - 7 * mm)


def _fields(canvas: Canvas, content: FormContent, width: float, top: float) -> None:
    """The report's fields, each under its label and hint; cost and date side by side."""
    inner = width - 2 * MARGIN
    canvas.setFillColor(ACCENT)
    canvas.setFont(FONT_BOLD, 12)
    canvas.drawString(MARGIN, top, "Your report")
    canvas.setFillColor(GREY_DARK)
    canvas.setFont(FONT, 8)
    canvas.drawRightString(
        width - MARGIN, top, "Type into the boxes in any PDF reader, then save the form."
    )
    y = top - 5 * mm
    by_name = {f.name: f for f in report_form.FILLED_FIELDS}
    for declared in report_form.FILLED_FIELDS:
        if declared.name in ("cost", "completed_on"):
            continue
        y = _field(canvas, declared, MARGIN, y, inner) - FIELD_GAP
        if declared.name == "accommodation":
            half = (inner - 6 * mm) / 2
            cost = by_name["cost"]
            cost_label = FormField(
                cost.name, f"{cost.label} ({content.currency})", cost.hint, cost.lines
            )
            _field(canvas, cost_label, MARGIN, y, half)
            y = _field(canvas, by_name["completed_on"], MARGIN + half + 6 * mm, y, half)
            y -= FIELD_GAP


def _field(canvas: Canvas, declared: FormField, x: float, top: float, width: float) -> float:
    """One labelled field with its top at `top`; returns the y of its bottom edge."""
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 9)
    mark = " *" if declared.required else ""
    canvas.drawString(x, top - 9, declared.label + mark)
    canvas.setFillColor(GREY_MID)
    canvas.setFont(FONT, 7.5)
    canvas.drawString(x, top - 18, declared.hint)
    box_height = declared.lines * LINE + 6
    bottom = top - LABEL_GAP - box_height
    canvas.acroForm.textfield(
        name=declared.name,
        tooltip=declared.label,
        x=x,
        y=bottom,
        width=width,
        height=box_height,
        fontName=FIELD_FONT,
        fontSize=FIELD_SIZE,
        borderColor=GREY_MID,
        fillColor=FIELD_FILL,
        textColor=INK,
        borderWidth=0.8,
        forceBorder=True,
        maxlen=20_000 if declared.lines > 1 else 200,
        fieldFlags="multiline doNotSpellCheck" if declared.lines > 1 else "",
    )
    return bottom


def _footer(canvas: Canvas, content: FormContent, width: float) -> None:
    canvas.setStrokeColor(GREY_LIGHT)
    canvas.line(MARGIN, MARGIN + 6 * mm, width - MARGIN, MARGIN + 6 * mm)
    canvas.setFillColor(GREY_DARK)
    canvas.setFont(FONT, 7.5)
    canvas.drawString(
        MARGIN,
        MARGIN + 2 * mm,
        "* required. Save the filled form and send it back to the office that sent it; "
        "please do not print and scan it.",
    )
    canvas.drawString(
        MARGIN,
        MARGIN - 2 * mm,
        f"Form for {content.reference}, delegation {content.delegation_id}, issued "
        f"{content.issued_on.isoformat()} · check {content.check[:8]}",
    )


def _embedded(canvas: Canvas, content: FormContent) -> None:
    """The fields the returned form is recognised by: read-only, and the last ones hidden."""
    embedded = (
        (report_form.REFERENCE_FIELD, content.reference),
        (report_form.DELEGATION_FIELD, str(content.delegation_id)),
        (report_form.ISSUED_FIELD, content.issued_on.isoformat()),
        (report_form.CHECK_FIELD, content.check),
    )
    for number, (name, value) in enumerate(embedded):
        canvas.acroForm.textfield(
            name=name,
            value=value,
            x=0,
            y=number * 2,
            width=1,
            height=1,
            fontName=FIELD_FONT,
            fontSize=1,
            borderWidth=0,
            fieldFlags="readOnly",
            annotationFlags="hidden",
        )


__all__ = ["render_report_form", "report_form_pdf"]
