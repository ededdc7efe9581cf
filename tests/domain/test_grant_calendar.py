"""A grant's reporting calendar: periods cut from the award, reports due after each, received,
late or overdue, and indicator actuals per period."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from fieldkit.domain.grant_calendar import add_months, reporting_periods
from fieldkit.domain.records import Grant
from fieldkit.domain.values import GrantReportFiled, IndicatorActual

D = dt.date
AWARD = Grant(
    award_number="IL-1",
    grantee="ONG",
    amount=Decimal(1000),
    period_start=D(2025, 1, 1),
    period_end=D(2026, 3, 31),
)


def test_semi_annual_periods_by_default_with_a_short_last_one() -> None:
    periods = reporting_periods(AWARD)
    assert [(p.start, p.end, p.due) for p in periods] == [
        (D(2025, 1, 1), D(2025, 6, 30), D(2025, 7, 30)),
        (D(2025, 7, 1), D(2025, 12, 31), D(2026, 1, 30)),
        (D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 30)),
    ]


def test_a_quarterly_award_with_reports_received_late_missed_and_due() -> None:
    grant = dataclasses.replace(
        AWARD,
        reporting_months=3,
        report_due_days=15,
        reports=(
            GrantReportFiled(period_end=D(2025, 3, 31), submitted_on=D(2025, 4, 10)),
            GrantReportFiled(period_end=D(2025, 6, 30), submitted_on=D(2025, 7, 20)),
        ),
        indicator_actuals=(
            IndicatorActual(
                indicator="Conciliators", period_end=D(2025, 3, 31), actual=Decimal(40)
            ),
        ),
    )
    first, second, third, *_ = reporting_periods(grant)
    today = D(2025, 10, 10)
    assert first.received and not first.late and first.actuals == {"Conciliators": Decimal(40)}
    assert second.late  # due 07-15, received 07-20
    assert third.due == D(2025, 10, 15) and not third.overdue(today)
    assert third.due_within(today, 14)
    assert reporting_periods(dataclasses.replace(grant, period_start=None)) == []


def test_months_end_on_the_last_day_when_shorter() -> None:
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
