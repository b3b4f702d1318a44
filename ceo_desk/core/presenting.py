"""How a complaint's report and call brief read, the same on screen and on paper.

The Today brief, the complaint window and the printed call brief all show what this module
returns: sections of labelled rows whose text carries the flagged phrases to highlight, as
positions from `core.language`. Each of them only lays the values out in its own medium.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ceo_desk.core import fields, language, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.queries import CallbackView, ComplaintDetail, EventView, ReportView

FLAG_HEADLINE = "This report leans on policy or “can't”"
# The red of an alarm row (a broken promise), on screen and on paper; alarm rows are also bold,
# so they stand out printed in black and white.
ALARM_RED = "#b3261e"


@dataclass(frozen=True)
class Marked:
    """A text and the flagged phrases inside it, to be highlighted exactly there."""

    text: str
    spans: tuple[language.FlaggedSpan, ...] = ()

    def pieces(self) -> list[tuple[str, bool]]:
        """The text cut at the spans: (piece, flagged) in order; joined they give the text."""
        out: list[tuple[str, bool]] = []
        at = 0
        for span in self.spans:
            if span.start > at:
                out.append((self.text[at : span.start], False))
            out.append((self.text[span.start : span.end], True))
            at = span.end
        if at < len(self.text) or not out:
            out.append((self.text[at:], False))
        return out

    def shortened(self, limit: int) -> Marked:
        """At most `limit` characters, ending in "…" when cut; spans past the cut are dropped."""
        if len(self.text) <= limit:
            return self
        kept = self.text[: limit - 1].rstrip()
        return Marked(kept + "…", tuple(s for s in self.spans if s.end <= len(kept)))


def plain(text: str) -> Marked:
    return Marked(text)


def marked(text: str) -> Marked:
    """`text` with its flagged phrases found."""
    return Marked(text, tuple(language.flagged_spans(text)))


@dataclass(frozen=True)
class Row:
    """One labelled line; `strong` when it is the line to read first (the summary)."""

    label: str
    value: Marked
    strong: bool = False
    alarm: bool = False  # shown in red: a promise broken, or overdue and not kept


@dataclass(frozen=True)
class Section:
    """A heading and its rows; `notice` is a warning that belongs to it (a flagged report)."""

    title: str
    rows: tuple[Row, ...] = field(default_factory=tuple)
    notice: str | None = None


def day(value: date | None) -> str:
    """'3 Mar 2026'."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%b %Y')}"


def moment(value: datetime | None) -> str:
    """'3 Mar 2026, 14:05' in this computer's time zone."""
    if value is None:
        return ""
    local = value.astimezone()
    return f"{day(local.date())}, {local.strftime('%H:%M')}"


def people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


# ---------------------------------------------------------------- a report


def report_title(report: ReportView, unit_name: str | None = None) -> str:
    unit = f" ({unit_name})" if unit_name else ""
    return f"Report from {report.filed_by}{unit}"


def report_rows(report: ReportView) -> tuple[Row, ...]:
    """What the delegate said, did and offered, with the flagged phrases marked where they are.

    The marks cover the three texts the flags are taken from when the report is filed.
    """
    timing = "on time" if report.on_time else "late"
    cost = (
        validation.format_money(report.cost_minor, report.currency)
        if report.cost_minor
        else "no cost"
    )
    offered = marked(report.accommodation) if report.accommodation else plain("None")
    rows = [
        Row("Filed", plain(f"{moment(report.filed_at)}, {timing}")),
        *(
            [Row("How", plain(report.provenance[:1].upper() + report.provenance[1:]))]
            if report.provenance
            else []
        ),
        Row("Said to the customer", marked(report.said)),
        Row("Done", marked(report.done)),
        Row("Accommodation", Marked(f"{offered.text} ({cost})", offered.spans)),
    ]
    if report.root_cause:
        rows.append(Row("Root cause", plain(report.root_cause)))
    if report.sent_back_at is not None:
        rows.append(
            Row(f"Sent back {moment(report.sent_back_at)}", plain(report.sent_back_comment or ""))
        )
    return tuple(rows)


def flag_notice(report: ReportView | None) -> str | None:
    """The warning a flagged report carries, naming its phrases; None when it has none."""
    if report is None or not report.flagged_terms:
        return None
    return f"{FLAG_HEADLINE}: " + ", ".join(f"“{term}”" for term in report.flagged_terms)


def report_section(report: ReportView, unit_name: str | None = None) -> Section:
    return Section(report_title(report, unit_name), report_rows(report), flag_notice(report))


# ---------------------------------------------------------------- the call brief


def attempt_line(callback: CallbackView) -> str:
    """'Voicemail · 4/5 · Staying · “words”'."""
    line = callback.outcome.label
    if callback.satisfaction:
        line += f" · {callback.satisfaction}/5"
    if callback.loyalty:
        line += f" · {callback.loyalty.label}"
    if callback.customer_words:
        line += f" · “{callback.customer_words}”"
    if callback.withdrawn_at is not None:
        line += " · withdrawn (recorded by mistake)"
    return line


def complaint_section(detail: ComplaintDetail) -> Section:
    received = " · ".join(
        [
            moment(detail.received_at),
            detail.channel.label,
            f"{detail.severity.label} severity",
            detail.category or "No category",
        ]
    )
    rows = [Row("Received", plain(received)), Row("Summary", plain(detail.summary), strong=True)]
    if (final := final_response_row(detail)) is not None:
        rows.append(final)
    if detail.details:
        rows.append(Row("Details", plain(detail.details)))
    if detail.customer_wants:
        rows.append(Row("Wants", plain(detail.customer_wants)))
    if detail.prior_contacts:
        rows.append(
            Row("Before the CEO", plain(f"Dealt with {people(detail.prior_contacts)} first"))
        )
    return Section("The complaint", tuple(rows))


def promise_rows(detail: ComplaintDetail, today: date) -> tuple[Row, ...]:
    """Each promise with what became of it; a broken one (or one overdue) is an alarm."""
    return tuple(
        Row(
            "Promise",
            plain(f"{p.what} — {p.state_text(today)}"),
            alarm=p.broken or (p.is_open and p.due_on < today),
        )
        for p in detail.promises
    )


def final_response_row(detail: ComplaintDetail, today: date | None = None) -> Row | None:
    """When the customer must have the final response; in bold once it is near or past, with
    why the clock stands still while it is paused."""
    found = detail.final_response
    if found is None:
        return None
    words = found.describe(today or SYSTEM_CLOCK.today()).capitalize()
    if detail.paused_for:
        words += f" ({detail.paused_for})"
    return Row("Final response", plain(words), strong=found.state in ("warning", "overdue"))


def promise_section(detail: ComplaintDetail, today: date | None = None) -> Section:
    spoke = (
        "You spoke to the customer personally."
        if detail.ceo_spoke
        else "You have not yet spoken to the customer."
    )
    rows = list(promise_rows(detail, today or SYSTEM_CLOCK.today()))
    if detail.ceo_promised:
        rows.append(Row(fields.label("ceo_promised"), plain(detail.ceo_promised)))
    if not rows:
        rows.append(Row("Promise", plain("No promise recorded.")))
    return Section("What you promised", (*rows, Row("", plain(spoke))))


def latest_report_section(detail: ComplaintDetail) -> Section:
    report = detail.latest_report
    if report is None:
        return Section("Report", (Row("", plain("No report has been filed yet.")),))
    delegation = detail.delegations[-1] if detail.delegations else None
    return report_section(report, delegation.unit_name if delegation else None)


def attempts_section(detail: ComplaintDetail, last: int = 5) -> Section:
    """The latest calls and the reports sent back, oldest first, each under its time."""
    dated = [(cb.made_at, attempt_line(cb)) for cb in detail.callbacks[-last:]]
    dated += [
        (r.sent_back_at, f"Report sent back: {r.sent_back_comment or ''}")
        for r in detail.reports
        if r.sent_back_at is not None
    ]
    dated.sort(key=lambda pair: pair[0])
    rows = tuple(Row(moment(at), plain(line)) for at, line in dated)
    return Section("Earlier attempts", rows or (Row("", plain("This is the first call.")),))


# The brief keeps to one page: a long list of files is cut after this many.
ATTACHMENTS_LISTED = 6


def attachments_section(detail: ComplaintDetail) -> Section | None:
    """The files kept with the complaint, by name and size (None when there are none)."""
    if not detail.attachments:
        return None
    shown = detail.attachments[:ATTACHMENTS_LISTED]
    rows = [
        Row("Report" if a.report_id is not None else "", plain(f"{a.name} ({a.size_text})"))
        for a in shown
    ]
    more = len(detail.attachments) - len(shown)
    if more:
        rows.append(Row("", plain(f"and {more} more (all of them in the complaint window)")))
    return Section(f"Attachments ({len(detail.attachments)})", tuple(rows))


def call_brief(detail: ComplaintDetail) -> list[Section]:
    """The body of the call brief, below the customer's name and number."""
    files = attachments_section(detail)
    return [
        complaint_section(detail),
        *([files] if files is not None else []),
        promise_section(detail),
        latest_report_section(detail),
        attempts_section(detail),
    ]


# ---------------------------------------------------------------- the timeline

# An edit's values are shortened to this many characters on the timeline (the whole text stays
# in the complaint's fields and in the trail).
EDIT_VALUE_LENGTH = 40


def _edited_value(kind: fields.Kind, value: object) -> str:
    if value is None or value == "":
        return "—"
    if kind is fields.Kind.FLAG:
        return "yes" if value else "no"
    text = " ".join(str(value).split())
    if len(text) > EDIT_VALUE_LENGTH:
        text = text[: EDIT_VALUE_LENGTH - 1].rstrip() + "…"
    return f"“{text}”" if kind in (fields.Kind.LINE, fields.Kind.TEXT) else text


def edit_lines(event: EventView) -> list[str]:
    """'Summary: “Charged twice” → “Charged twice in March”', one for each field an edit
    changed; a choice from a list (a category, a unit) is named as changed."""
    lines = []
    for attribute, before, after in event.changes:
        declared = fields.BY_ATTRIBUTE[attribute]
        if declared.kind in (fields.Kind.CATEGORY, fields.Kind.UNIT):
            lines.append(f"{declared.label} changed")
            continue
        old, new = _edited_value(declared.kind, before), _edited_value(declared.kind, after)
        lines.append(f"{declared.label}: {old} → {new}")
    return lines


def timeline_text(event: EventView) -> str:
    """What happened, as the complaint window's timeline reads it."""
    lines = edit_lines(event)
    return "Edited " + "; ".join(lines) if lines else event.description
