"""The board pack's section on time: the regulator's buckets (cumulative, with the exclusive split
beside them, by how each complaint closed) and the final-response deadline.

Figures come from `core.stats.resolution_buckets` and `core.deadline_stats`; this module only
lays them out.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from ceo_desk.core import stats
from ceo_desk.core.deadline_stats import FinalResponseFigures
from ceo_desk.enums import Status
from ceo_desk.reports.common import markup, percent, styles

# The complaints past their deadline listed by name; the rest are counted.
PAST_DEADLINE_SHOWN = 20
_KIND_TITLES = {
    Status.RESOLVED: "Resolved",
    Status.WITHDRAWN: "Withdrawn",
    Status.UNREACHABLE: "Unreachable",
}


def _buckets_table(buckets: stats.ResolutionBuckets, width: float) -> Any:
    """One row per way of closing; the cumulative figures first, the exclusive split beside."""
    from ceo_desk.reports.monthly import data_table

    total = buckets.total()
    header = [
        "How it closed",
        *(f"Cumulative: {name.lower()}" for name in stats.CUMULATIVE_BUCKETS),
        *(f"Each once: {name.lower()}" for name in stats.BUCKETS),
        "All",
    ]

    def line(label: str, kind: Status | None) -> list[str]:
        cumulative, split = buckets.cumulative(kind), buckets.exclusive(kind)
        return [
            label,
            *(f"{cumulative[name]:,}" for name in stats.CUMULATIVE_BUCKETS),
            *(f"{split[name]:,}" for name in stats.BUCKETS),
            f"{buckets.total(kind):,}",
        ]

    rows = [line(_KIND_TITLES[kind], kind) for kind in stats.CLOSING_KINDS]
    rows.append(line("All closed this month", None))
    every = [*buckets.cumulative().values(), *buckets.exclusive().values(), total]
    rows.append(["Share of all closed", *(percent(n / total) if total else "–" for n in every)])
    widths = [width * p / 100 for p in (20, 11, 11, 11, 12, 11, 11, 8)]
    table = data_table(header, rows, widths, numeric=tuple(range(1, 8)), highlight=(3,), size=7.5)
    table.hAlign = "LEFT"
    return table


def _deadline_text(figures: FinalResponseFigures) -> str:
    past = len(figures.past_at_end)
    return (
        f"The final response is due {figures.weeks} weeks after receipt, with a warning from "
        f"{figures.warning_weeks} weeks; days the clock was paused are added to both. "
        f"Closed this month: <b>{figures.closed_in_time:,}</b> by the deadline, "
        f"<b>{figures.closed_late:,}</b> after it. Open at month end: {figures.open_at_end:,}, "
        f"of which <b>{figures.near_at_end:,}</b> near the deadline and <b>{past:,}</b> past it. "
        f"Clocks paused this month: {figures.paused_complaints:,} "
        f"complaint{'' if figures.paused_complaints == 1 else 's'}, "
        f"{figures.paused_days:,} day{'' if figures.paused_days == 1 else 's'} in all."
    )


def _past_table(figures: FinalResponseFigures, width: float) -> list[Any]:
    from ceo_desk.reports.monthly import data_table

    shown = figures.past_at_end[:PAST_DEADLINE_SHOWN]
    if not shown:
        return []
    rows = [
        [
            p.reference,
            p.customer_name,
            p.received_on.isoformat(),
            p.due.isoformat(),
            f"{p.days_over:,}",
            f"{p.paused_days:,}",
        ]
        for p in shown
    ]
    more = len(figures.past_at_end) - len(shown)
    if more:
        rows.append([f"and {more:,} more", "", "", "", "", ""])
    widths = [width * p / 100 for p in (16, 36, 13, 13, 11, 11)]
    table = data_table(
        [
            "Past the deadline",
            "Customer",
            "Received",
            "Final response due",
            "Days over",
            "Paused days",
        ],
        rows,
        widths,
        numeric=(4, 5),
        size=7.5,
    )
    return [Spacer(1, 4), table]


def time_section(summary: stats.MonthlySummary, width: float) -> list[Any]:
    """Section 3 of the board pack: the regulator's buckets and the final-response deadline."""
    s = styles()
    intro = (
        "Complaints closed this month, resolved, withdrawn or unreachable, by time from receipt "
        "to closing as regulators count it: three business days first, then calendar weeks. "
        "Days the clock was paused, waiting for the customer or a third party, are left out. "
        "A cumulative figure counts the faster closings too; in the split each closing counts "
        "once."
    )
    opening = [
        CondPageBreak(60 * mm),
        markup("3. Time to resolution and the final-response deadline", s.h1),
        markup(intro, s.small),
        Spacer(1, 3),
        _buckets_table(summary.buckets, width),
    ]
    deadline = [
        Spacer(1, 5),
        markup("The final-response deadline", s.h2),
        markup(_deadline_text(summary.final_responses), s.body),
    ]
    return [
        KeepTogether(opening),
        KeepTogether(deadline),
        *_past_table(summary.final_responses, width),
    ]
