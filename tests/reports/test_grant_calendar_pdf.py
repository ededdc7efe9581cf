"""The grant report's reporting calendar: reports on time, late, missing and not yet due."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from fieldkit.domain.values import GrantReportFiled, IndicatorActual
from fieldkit.reports import render
from tests.reports import samples
from tests.reports.pdfcheck import flat


def test_the_reporting_calendar_flags_late_and_missing_reports() -> None:
    report = samples.grant_report()  # generated 2026-03-20
    grant = dataclasses.replace(
        report.grant,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2026, 12, 31),
        reports=(
            GrantReportFiled(period_end=dt.date(2025, 6, 30), submitted_on=dt.date(2025, 7, 28)),
            GrantReportFiled(period_end=dt.date(2025, 12, 31), submitted_on=dt.date(2026, 2, 9)),
        ),
        indicator_actuals=(
            IndicatorActual(
                indicator="Conciliators trained",
                period_end=dt.date(2025, 6, 30),
                actual=Decimal(61),
            ),
        ),
    )
    text = flat(render(dataclasses.replace(report, grant=grant)))
    assert "Reporting calendar" in text
    for expected in ("On time", "Late", "Not yet due", "Conciliators trained: 61"):
        assert expected in text, expected
    assert "Not received" not in text  # the 2026-06-30 report is not due until July
    late = dataclasses.replace(report, grant=dataclasses.replace(grant, reports=()))
    assert "Not received" in flat(render(late))
