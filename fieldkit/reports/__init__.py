"""PDF reports: `render(report)` turns a report model (already redacted by services) into PDF
bytes. Nothing here queries anything.

The renderers are imported on first use: services import `fieldkit.reports.model` at start-up,
and reportlab alone takes ~0.1 s to import."""

from __future__ import annotations

from fieldkit.reports.model import (
    CaseReport,
    GrantReport,
    PeriodReport,
    QuarterlyReport,
    Report,
    VisitReport,
)


def render(report: Report) -> bytes:
    """The PDF of a visit, case, grant or period report, in `report.options.language`."""
    if isinstance(report, VisitReport):
        from fieldkit.reports.visit import render_visit  # noqa: PLC0415 - lazy

        return render_visit(report)
    if isinstance(report, CaseReport):
        from fieldkit.reports.case import render_case  # noqa: PLC0415 - lazy

        return render_case(report)
    if isinstance(report, GrantReport):
        from fieldkit.reports.grant import render_grant  # noqa: PLC0415 - lazy

        return render_grant(report)
    if isinstance(report, PeriodReport):
        from fieldkit.reports.period import render_period  # noqa: PLC0415 - lazy

        return render_period(report)
    if isinstance(report, QuarterlyReport):
        from fieldkit.reports.quarterly import render_quarterly  # noqa: PLC0415 - lazy

        return render_quarterly(report)
    raise TypeError(f"not a report: {type(report).__name__}")


__all__ = ["render"]
