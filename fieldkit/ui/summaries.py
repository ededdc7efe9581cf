"""The top of a grant's and a case's detail pane: a grant's award, disbursed and remaining
with a chart of disbursements over time; a case's stage timeline and remedies checklist."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPalette, QPen, QTextDocument

from fieldkit.domain.choices import CaseStage, RemedyStatus, label
from fieldkit.domain.disbursements import disbursement_series
from fieldkit.domain.records import Case, Grant
from fieldkit.i18n import _, format_date, format_usd
from fieldkit.ui.theme import ACCENT, DONE, PROBLEM, colour, muted

CHART_URL = QUrl("fieldkit://chart/disbursements")
CHART_SIZE = (420, 170)
_DONE_REMEDY = {RemedyStatus.COMPLETED}


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def grant_summary_html(grant: Grant, document: QTextDocument) -> str:
    award = grant.amount or Decimal(0)
    disbursed = grant.disbursed
    rows = [
        (_("Award"), format_usd(award)),
        (_("Disbursed"), format_usd(disbursed)),
        (_("Remaining"), format_usd(award - disbursed)),
    ]
    table = "".join(
        f"<tr><td><b>{_e(k)}</b></td><td align='right'>{_e(v)}</td></tr>" for k, v in rows
    )
    parts = [f"<table cellpadding='3'>{table}</table>"]
    if grant.disbursements:
        document.addResource(
            QTextDocument.ResourceType.ImageResource, CHART_URL, disbursement_chart(grant)
        )
        caption = _("Disbursements over time against the award")
        width, height = CHART_SIZE
        image = f"<img src='{CHART_URL.toString()}' width='{width}' height='{height}'>"
        parts.append(f"<p>{image}<br><i>{_e(caption)}</i></p>")
    return "".join(parts)


def disbursement_chart(grant: Grant, pixel_ratio: float | None = None) -> QImage:
    """Cumulative disbursements as a step line, the award as a dashed line, on the palette's
    Base (the detail pane's background). Drawn with `pixel_ratio` device pixels per logical
    pixel (the screens' highest by default), so it stays sharp on a high-DPI screen."""
    width, height = CHART_SIZE
    ratio = pixel_ratio or QGuiApplication.instance().devicePixelRatio()  # type: ignore[union-attr]
    image = QImage(round(width * ratio), round(height * ratio), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(ratio)
    image.fill(QGuiApplication.palette().color(QPalette.ColorRole.Base))
    axis = muted(QPalette.ColorRole.Base)
    series = disbursement_series(
        grant.disbursements,
        award=grant.amount,
        period=(grant.period_start, grant.period_end),
        today=dt.date.today(),
    )
    award = float(grant.amount or 0)
    top = max(float(series.top) if series else award, 1.0)
    start = series.start if series else grant.period_start or dt.date.today()
    end = series.end if series else grant.period_end or start
    span = max((end - start).days, 1)
    left, right, upper, lower = 10.0, width - 10.0, 12.0, height - 22.0

    def x(day: dt.date) -> float:
        return left + (right - left) * min(max((day - start).days, 0), span) / span

    def y(amount: float) -> float:
        return lower - (lower - upper) * amount / top

    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(axis, 1))
    painter.drawLine(QPointF(left, lower), QPointF(right, lower))
    if award:
        painter.setPen(QPen(colour(PROBLEM), 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(left, y(award)), QPointF(right, y(award)))
    if series:
        painter.setPen(QPen(colour(ACCENT), 2.5))
        corners = [QPointF(x(day), y(float(total))) for day, total in series.points()]
        painter.drawPolyline(corners)
    painter.setPen(axis)
    painter.drawText(
        QRectF(left, lower + 4, 160, 16), Qt.AlignmentFlag.AlignLeft, format_date(start)
    )
    painter.drawText(
        QRectF(right - 160, lower + 4, 160, 16), Qt.AlignmentFlag.AlignRight, format_date(end)
    )
    painter.end()
    return image


def case_summary_html(case: Case) -> str:
    stages = list(CaseStage)
    current = stages.index(case.stage)
    # One stage a line: the pane is narrow, and stage names are long in Spanish.
    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    rows = []
    for index, stage in enumerate(stages):
        if index < current:
            mark, style = "✓", f"color:{colour(DONE).name()}"
        elif index == current:
            mark = "●"
            style = f"background:{colour(ACCENT).name()}; color:{base.name()}; font-weight:bold"
        else:
            mark, style = "○", f"color:{muted(QPalette.ColorRole.Base).name()}"
        rows.append(f"<tr><td style='{style}'>{mark} {_e(label(stage))}</td></tr>")
    parts = [
        f"<h3>{_e(_('Stage'))}</h3>",
        f"<table cellpadding='3' cellspacing='1'>{''.join(rows)}</table>",
    ]
    if case.remedies:
        items = []
        for remedy in case.remedies:
            box = "☑" if remedy.status in _DONE_REMEDY else "☐"
            evidence = f"<br><i>{_e(remedy.evidence)}</i>" if remedy.evidence else ""
            items.append(
                f"<li>{box} <b>{_e(label(remedy.kind))}</b>"
                f"{' · ' + _e(remedy.description) if remedy.description else ''}"
                f" · {_e(label(remedy.status))}{evidence}</li>"
            )
        parts.append(f"<h3>{_e(_('Remedies'))}</h3><ul>{''.join(items)}</ul>")
    due = [d for d in case.deadlines if not d.done and d.due]
    if due:
        lines = "".join(
            f"<li>{_e(format_date(d.due))} · {_e(d.label)}</li>"
            for d in sorted(due, key=lambda d: d.due or dt.date.max)
        )
        parts.append(f"<h3>{_e(_('Open deadlines'))}</h3><ul>{lines}</ul>")
    return "".join(parts)
