"""The board pack's follow-through: the CEO's promises made, kept and broken, and the relapse rate
of "did it stick?" calls, by causing unit (figures from core/follow_through_stats.py)."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak

from ceo_desk.core.follow_through_stats import FollowThrough, UnitFollowThrough
from ceo_desk.enums import UnitKind
from ceo_desk.reports.common import markup, percent, styles


def _relapse(row: UnitFollowThrough) -> str:
    rate = row.relapse_rate
    return "–" if rate is None else f"{percent(rate)} ({row.came_back}/{row.follow_ups})"


def follow_through_section(figures: FollowThrough, width: float, table: Any) -> list[Any]:
    """The heading, what each column counts, and the table (built by `table`, the pack's
    data_table) with a row for all units."""
    s = styles()
    out: list[Any] = [
        CondPageBreak(30 * mm),
        markup("The CEO's word, and whether fixes held", s.h2),
        markup(
            "Promises the CEO made this month, and those ticked kept or broken this month, by the "
            "unit that caused each complaint. A relapse is a follow-up call some weeks after "
            "resolving where the problem had come back; the complaint was reopened.",
            s.small,
        ),
    ]
    if not figures.units:
        return [
            *out,
            markup("<i>No promise was made or ticked, and no follow-up call made.</i>", s.body),
        ]
    rows = [
        (
            r.name if r.kind is not UnitKind.PARTNER else f"{r.name} (partner)",
            f"{r.promises_made:,}",
            f"{r.promises_kept:,}",
            f"{r.promises_broken:,}",
            f"{r.follow_ups:,}",
            _relapse(r),
        )
        for r in [*figures.units, figures.total]
    ]
    header = ["Causing unit", "Promises made", "Kept", "Broken", "Follow-up calls", "Relapse"]
    widths = [width * p for p in (0.34, 0.13, 0.1, 0.1, 0.14, 0.19)]
    built = table(header, rows, widths, numeric=(1, 2, 3, 4, 5), highlight=(len(rows) - 1,))
    built.hAlign = "LEFT"
    return [*out, built]
