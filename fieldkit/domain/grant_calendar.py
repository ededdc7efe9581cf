"""A grant's reporting calendar: its award period cut into reporting periods (semi-annual by
default, as the award configures), each report due some days after its period ends, received
or not, and the indicator actuals reported for it."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from fieldkit.domain.records import Grant

MAX_PERIODS = 120  # ten years of monthly reports: a bound against a mistyped period


@dataclass(frozen=True)
class ReportingPeriod:
    start: dt.date
    end: dt.date
    due: dt.date
    submitted_on: dt.date | None
    actuals: dict[str, Decimal | None]  # indicator name -> actual reported for the period

    @property
    def received(self) -> bool:
        return self.submitted_on is not None

    @property
    def late(self) -> bool:
        return self.submitted_on is not None and self.submitted_on > self.due

    def overdue(self, today: dt.date) -> bool:
        return not self.received and today > self.due

    def due_within(self, today: dt.date, days: int) -> bool:
        return not self.received and today <= self.due <= today + dt.timedelta(days=days)


def add_months(day: dt.date, months: int) -> dt.date:
    """`months` after `day`, on the same day of the month or the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reporting_periods(grant: Grant) -> list[ReportingPeriod]:
    """The grant's reporting periods, first to last; none without an award period."""
    start, last = grant.period_start, grant.period_end
    months = max(grant.reporting_months, 1)
    if start is None or last is None or last < start:
        return []
    filed = {r.period_end: r.submitted_on for r in grant.reports if r.period_end}
    periods = []
    for index in range(MAX_PERIODS):
        begin = add_months(start, index * months)
        if begin > last:
            break
        end = min(add_months(start, (index + 1) * months) - dt.timedelta(days=1), last)
        actuals = {a.indicator: a.actual for a in grant.indicator_actuals if a.period_end == end}
        due = end + dt.timedelta(days=max(grant.report_due_days, 0))
        periods.append(ReportingPeriod(begin, end, due, filed.get(end), actuals))
    return periods
