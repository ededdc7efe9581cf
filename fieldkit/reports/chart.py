"""A grant's cumulative disbursements over time against the award (reportlab.graphics)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.charts.textlabels import Label
from reportlab.graphics.shapes import Drawing

from fieldkit.domain.disbursements import disbursement_series
from fieldkit.domain.values import Disbursement
from fieldkit.i18n import N_, Translator
from fieldkit.reports.blocks import clean
from fieldkit.reports.fonts import REGULAR
from fieldkit.reports.styles import ACCENT, AWARD, INK, MUTED, RULE

CUMULATIVE = N_("Cumulative disbursed")
AWARD_AMOUNT = N_("Award amount")
AXIS_DATE = N_("Date")
AXIS_USD = N_("U.S. dollars")
TICKS = 5


def nice_step(span: float, ticks: int = TICKS) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` intervals."""
    raw = max(span, 1.0) / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def disbursement_chart(
    t: Translator,
    *,
    disbursements: Sequence[Disbursement],
    award: Decimal | None,
    period: tuple[dt.date | None, dt.date | None],
    today: dt.date,
    width: float,
) -> Drawing | None:
    """The chart, or None when there is nothing dated to draw. The cumulative line runs to
    `today` (the report's date) or the end of the period, whichever comes first."""
    found = disbursement_series(disbursements, award=award, period=period, today=today)
    if found is None:
        return None
    start, end = found.start.toordinal(), found.end.toordinal()
    series = [[(float(day.toordinal()), float(total)) for day, total in found.points()]]
    if award is not None:
        series.append([(float(start), float(award)), (float(end), float(award))])
    top = float(found.top)
    step = nice_step(top)
    height = 230
    drawing = Drawing(width, height)
    drawing.initialFontName, drawing.initialFontSize = REGULAR, 8  # not Helvetica
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 78, 62, width - 118, height - 90
    plot.data = series
    plot.lines[0].strokeColor, plot.lines[0].strokeWidth = ACCENT, 1.8
    plot.lines[1].strokeColor, plot.lines[1].strokeWidth = AWARD, 1.2
    plot.lines[1].strokeDashArray = (5, 3)
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    x_axis.valueMin, x_axis.valueMax = start, end
    x_axis.valueSteps = [start + (end - start) * i / (TICKS - 1) for i in range(TICKS)]
    x_axis.labelTextFormat = lambda v: t.date(dt.date.fromordinal(round(v)))
    y_axis.valueMin, y_axis.valueMax = 0, step * math.ceil(top / step) if top else step
    y_axis.valueStep = step
    y_axis.labelTextFormat = lambda v: t.number(round(v))
    y_axis.gridStrokeColor, y_axis.visibleGrid = RULE, 1
    for axis in (x_axis, y_axis):
        axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = REGULAR, 7, INK
        axis.strokeColor = MUTED
    drawing.add(plot)
    drawing.add(_label(t(AXIS_DATE), plot.x + plot.width / 2, 30, 0))
    drawing.add(_label(t(AXIS_USD), 12, plot.y + plot.height / 2, 90))
    legend = Legend()
    legend.fontName, legend.fontSize, legend.fillColor = REGULAR, 8, INK
    legend.strokeColor, legend.strokeWidth = None, 0
    legend.x, legend.y, legend.alignment = plot.x, height - 8, "right"
    legend.columnMaximum, legend.dx, legend.dy, legend.deltax = 1, 14, 2, 160
    legend.colorNamePairs = [(ACCENT, clean(t(CUMULATIVE)))]
    if award is not None:
        legend.colorNamePairs.append((AWARD, clean(t(AWARD_AMOUNT))))
    drawing.add(legend)
    return drawing


def _label(text: str, x: float, y: float, angle: float) -> Label:
    label = Label()
    label.setOrigin(x, y)
    label.angle, label.boxAnchor = angle, "c"
    label.fontName, label.fontSize, label.fillColor = REGULAR, 8, MUTED
    label.setText(text)
    return label
