"""Bar charts that read in black and white: grey bars, every value printed beside its bar.

Category names are user text: a name the main font cannot set (Chinese, Korean) is drawn here as
runs in the fallback font, in the place the axis would have put it.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.pdfbase import pdfmetrics

from ceo_desk.reports.common import FONT, FONT_BOLD, GREY_DARK, GREY_LIGHT, GREY_MID, INK
from ceo_desk.reports.fonts import needs_fallback, runs, string_width

LABEL_SIZE = 8
LABEL_GAP = 4

# Alternating greys tell neighbouring bars apart on paper; the printed values carry the figures.
SHADES = (GREY_DARK, GREY_MID, GREY_LIGHT)


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    step = 1
    while value / step > 8:
        for factor in (2, 5, 10):
            if value / (step * factor) <= 8:
                step *= factor
                break
        else:
            step *= 10
    return ((value // step) + 1) * step


def _title(drawing: Drawing, title: str, width: float, height: float) -> None:
    drawing.add(String(0, height - 11, title, fontName=FONT_BOLD, fontSize=9, fillColor=INK))
    drawing.add(Line(0, height - 15, width, height - 15, strokeColor=GREY_LIGHT, strokeWidth=0.5))


def column_chart(
    title: str, labels: Sequence[str], values: Sequence[int], width: float, height: float
) -> Drawing:
    """Vertical bars, e.g. complaints received per week."""
    drawing = Drawing(width, height)
    _title(drawing, title, width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 30
    chart.width, chart.height = width - 40, height - 62
    chart.data = [list(values)]
    chart.strokeColor = None
    chart.bars[0].fillColor = GREY_MID
    chart.bars[0].strokeColor = INK
    chart.bars[0].strokeWidth = 0.5
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT_BOLD
    chart.barLabels.fontSize = 8
    chart.barLabels.nudge = 6
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_max(max(values, default=0))
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.gridStrokeColor = GREY_LIGHT
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.valueAxis.labelTextFormat = lambda v: f"{int(v)}" if v == int(v) else ""
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.dy = -3
    chart.barSpacing = 2
    drawing.add(chart)
    return drawing


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    width: float,
    *,
    label_width: float = 95,
    row_height: float = 15,
    shaded: bool = False,
) -> Drawing:
    """Horizontal bars with their names on the left, e.g. complaints per category."""
    rows = max(1, len(values))
    height = rows * row_height + 40
    drawing = Drawing(width, height)
    _title(drawing, title, width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 8
    chart.width, chart.height = width - label_width - 30, rows * row_height
    # Top to bottom in the order given.
    chart.data = [list(reversed(values))]
    chart.strokeColor = None
    chart.bars[0].fillColor = GREY_MID
    chart.bars[0].strokeColor = INK
    chart.bars[0].strokeWidth = 0.5
    if shaded:
        for index in range(rows):
            chart.bars[(0, index)].fillColor = SHADES[(rows - 1 - index) % len(SHADES)]
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT_BOLD
    chart.barLabels.fontSize = 8
    chart.barLabels.nudge = 8
    chart.barLabels.boxAnchor = "w"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_max(max(values, default=0))
    chart.valueAxis.visible = False
    names = list(reversed(labels))
    mixed = {i for i, name in enumerate(names) if needs_fallback(name, FONT)}
    chart.categoryAxis.categoryNames = ["" if i in mixed else n for i, n in enumerate(names)]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -LABEL_GAP
    chart.categoryAxis.strokeColor = INK
    chart.barSpacing = 2
    chart.groupSpacing = 4
    drawing.add(chart)
    for index in sorted(mixed):
        middle = chart.y + (index + 0.5) * row_height
        # The axis centres a label's box on its bar: the baseline sits 0.4 em below the middle.
        _label_in_runs(drawing, names[index], label_width - LABEL_GAP, middle - 0.4 * LABEL_SIZE)
    return drawing


def _label_in_runs(drawing: Drawing, label: str, right: float, baseline: float) -> None:
    x = right - string_width(label, FONT, LABEL_SIZE)
    for font, piece in runs(label, FONT):
        drawing.add(String(x, baseline, piece, fontName=font, fontSize=LABEL_SIZE, fillColor=INK))
        x += pdfmetrics.stringWidth(piece, font, LABEL_SIZE)
