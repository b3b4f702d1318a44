"""The board pack's cost of failure: accommodation costs by the unit that caused each complaint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak

from ceo_desk.core import cost_stats
from ceo_desk.core.validation import format_money
from ceo_desk.enums import UnitKind
from ceo_desk.reports.common import markup, percent, styles


def money(costs: dict[str, int], currency: str) -> str:
    """Amounts by currency, the office's first: "USD 120.00 + EUR 15.00"."""
    if not costs:
        return format_money(0, currency)
    ordered = sorted(costs, key=lambda c: (c != currency, c))
    return " + ".join(format_money(costs[c], c) for c in ordered)


def cost_section(
    costs: Sequence[cost_stats.UnitCost], currency: str, width: float, table: Any
) -> list[Any]:
    """The section's heading, its rule in one line, and the table (built by `table`, the pack's
    data_table) whose last row equals the headline's total cost of accommodations."""
    s = styles()
    out: list[Any] = [
        CondPageBreak(30 * mm),
        markup("Cost of failure by causing unit", s.h2),
        markup(
            "What accommodations (refunds, vouchers, repairs) cost this month, charged to the unit "
            "that caused each complaint. A report's cost counts in the month it was filed, unless "
            "it was sent back.",
            s.small,
        ),
    ]
    if not costs:
        return [*out, markup("<i>No accommodation this month cost anything.</i>", s.body)]
    total_office = sum(c.in_currency(currency) for c in costs)
    totals: dict[str, int] = {}
    for row in costs:
        for code, amount in row.cost_minor.items():
            totals[code] = totals.get(code, 0) + amount
    rows = [
        (
            c.name if c.kind is not UnitKind.PARTNER else f"{c.name} (partner)",
            f"{c.complaints:,}",
            money(c.cost_minor, currency),
            percent(c.in_currency(currency) / total_office) if total_office else "–",
        )
        for c in costs
    ]
    rows.append(
        (
            "All units",
            f"{sum(c.complaints for c in costs):,}",
            money(totals, currency),
            "100%" if total_office else "–",
        )
    )
    header = ["Causing unit", "Complaints with a cost", f"Cost ({currency} first)", "Share"]
    widths = [width * p for p in (0.36, 0.16, 0.2, 0.1)]
    built = table(header, rows, widths, numeric=(1, 2, 3), highlight=(len(rows) - 1,))
    built.hAlign = "LEFT"
    return [*out, built]
