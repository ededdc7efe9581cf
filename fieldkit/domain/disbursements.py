"""A grant's cumulative disbursements over time: the one series both charts draw (the app's
detail pane and the grant status report), so they never disagree on where it starts, where it
ends or which payments count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fieldkit.domain.values import Disbursement

MIN_DAYS = 30  # a chart narrower than this reads as a single spike


@dataclass(frozen=True)
class DisbursementSeries:
    """Where the chart's time axis starts and ends, and the cumulative total as a step line:
    `steps` holds, for each day with payments, the total after that day's payments; the line
    stays flat from the last step to `until`."""

    start: dt.date
    end: dt.date
    until: dt.date
    steps: tuple[tuple[dt.date, Decimal], ...]
    award: Decimal | None

    @property
    def total(self) -> Decimal:
        return self.steps[-1][1]

    @property
    def top(self) -> Decimal:
        """The highest amount the chart must show: the total or the award."""
        return max(self.total, self.award or Decimal(0))

    def points(self) -> list[tuple[dt.date, Decimal]]:
        """The step line's corners, from `start` at zero to `until` at the total."""
        corners = [(self.start, Decimal(0))]
        before = Decimal(0)
        for day, total in self.steps:
            corners += [(day, before), (day, total)]
            before = total
        corners.append((self.until, before))
        return corners


def disbursement_series(
    disbursements: Sequence[Disbursement],
    *,
    award: Decimal | None,
    period: tuple[dt.date | None, dt.date | None],
    today: dt.date,
) -> DisbursementSeries | None:
    """The series, or None when no payment has both a date and a non-zero amount (a row
    without either is not drawn; the totals beside the chart still count every amount).

    The axis spans the grant's period and every payment, at least MIN_DAYS; the line runs to
    `today` or the end of the axis, whichever is first, and never stops before the last
    payment."""
    payments = sorted((d.paid_on, d.amount) for d in disbursements if d.paid_on and d.amount)
    if not payments:
        return None
    days = [day for day, _ in payments] + [day for day in period if day is not None]
    start, end = min(days), max(days)
    end = max(end, start + dt.timedelta(days=MIN_DAYS))
    until = max(payments[-1][0], min(end, today))
    steps: dict[dt.date, Decimal] = {}
    total = Decimal(0)
    for day, amount in payments:
        total += amount
        steps[day] = total
    return DisbursementSeries(start, end, until, tuple(steps.items()), award)
