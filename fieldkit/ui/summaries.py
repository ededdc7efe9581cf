"""The top of a grant's and a case's detail pane: a grant's award, disbursed and remaining
with a chart of disbursements over time; a case's path (or stage strip), running clocks and
remedies checklist."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPalette, QPen, QTextDocument

from fieldkit.domain.case_lifecycle import FIRST_STAGES, next_events, stages_passed
from fieldkit.domain.choices import RemedyStatus, label
from fieldkit.domain.disbursements import disbursement_series
from fieldkit.domain.facility_history import facility_warnings
from fieldkit.domain.records import Case, Facility, Grant
from fieldkit.domain.rrm_clocks import case_clocks
from fieldkit.i18n import _, format_date, format_usd
from fieldkit.ui.theme import ACCENT, DONE, PROBLEM, colour, muted

CHART_URL = QUrl("fieldkit://chart/disbursements")
CHART_SIZE = (420, 170)
_DONE_REMEDY = {RemedyStatus.COMPLETED, RemedyStatus.VERIFIED}


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


def _stage_lines(case: Case) -> tuple[list[str], str, list[str]]:
    """(stages done, current stage, what may come next) as labels. A case with events shows
    its own path and its open branches; one without, the six first stages around its own."""
    passed = stages_passed(case)
    if passed:
        done = [label(s) for s in passed[:-1]]
        return done, label(passed[-1]), [label(e) for e in next_events(case)]
    stages = list(FIRST_STAGES)
    if case.stage not in stages:
        return [], label(case.stage), []
    current = stages.index(case.stage)
    return (
        [label(s) for s in stages[:current]],
        label(case.stage),
        [label(s) for s in stages[current + 1 :]],
    )


def case_summary_html(case: Case) -> str:
    done, current, upcoming = _stage_lines(case)
    # One stage a line: the pane is narrow, and stage names are long in Spanish.
    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    now = f"background:{colour(ACCENT).name()}; color:{base.name()}; font-weight:bold"
    marks = [(f"color:{colour(DONE).name()}", "✓", name) for name in done]
    marks.append((now, "●", current))
    marks += [(f"color:{muted(QPalette.ColorRole.Base).name()}", "○", n) for n in upcoming]
    rows = [f"<tr><td style='{style}'>{mark} {_e(name)}</td></tr>" for style, mark, name in marks]
    parts = [
        f"<h3>{_e(_('Stage'))}</h3>",
        f"<table cellpadding='3' cellspacing='1'>{''.join(rows)}</table>",
    ]
    parts += _clock_lines(case)
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


def _clock_lines(case: Case) -> list[str]:
    """The case's running clocks with their due dates, overdue ones in the problem colour."""
    today = dt.date.today()
    running = [c for c in case_clocks(case) if c.running]
    if not running:
        return []
    items = []
    for clock in running:
        text = f"{_e(format_date(clock.due))} · {_e(clock.rule.label)}"
        if clock.overdue(today):
            text = (
                f"<span style='color:{colour(PROBLEM).name()}'>{text} · {_e(_('Overdue'))}</span>"
            )
        items.append(f"<li>{text}</li>")
    return [f"<h3>{_e(_('Deadline clocks'))}</h3><ul>{''.join(items)}</ul>"]


def facility_summary_html(facility: Facility) -> str:
    """Whether the facility is covered (both halves of the test), and what its labor history
    asks to check (a legitimation vote after legitimation closed, a pending legitimation)."""
    covered = _("Covered facility") if facility.covered else _("Not a covered facility")
    parts = [f"<p><b>{_e(covered)}</b></p>"]
    warnings = facility_warnings(facility, dt.date.today())
    if warnings:
        style = f"color:{colour(PROBLEM).name()}"
        items = "".join(f"<li style='{style}'>{_e(w)}</li>" for w in warnings)
        parts.append(f"<h3>{_e(_('To check'))}</h3><ul>{items}</ul>")
    return "".join(parts)
