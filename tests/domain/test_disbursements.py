"""The cumulative-disbursement series both charts (app and report) draw."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fieldkit.domain.disbursements import MIN_DAYS, disbursement_series
from fieldkit.domain.values import Disbursement

D = dt.date


def paid(day: dt.date | None, amount: str | None) -> Disbursement:
    return Disbursement(paid_on=day, amount=None if amount is None else Decimal(amount))


def test_steps_sum_payments_by_day_in_date_order() -> None:
    series = disbursement_series(
        [paid(D(2025, 3, 1), "50"), paid(D(2025, 1, 10), "100"), paid(D(2025, 3, 1), "25")],
        award=Decimal(500),
        period=(D(2025, 1, 1), D(2025, 12, 31)),
        today=D(2025, 6, 30),
    )
    assert series is not None
    assert series.steps == ((D(2025, 1, 10), Decimal(100)), (D(2025, 3, 1), Decimal(175)))
    assert (series.start, series.end, series.until) == (
        D(2025, 1, 1),
        D(2025, 12, 31),
        D(2025, 6, 30),
    )
    assert series.top == Decimal(500)
    assert series.points() == [
        (D(2025, 1, 1), 0),
        (D(2025, 1, 10), 0),
        (D(2025, 1, 10), 100),
        (D(2025, 3, 1), 100),
        (D(2025, 3, 1), 175),
        (D(2025, 6, 30), 175),
    ]


def test_zero_undated_and_missing_amounts_are_not_drawn() -> None:
    rows = [paid(D(2025, 2, 1), "0"), paid(None, "40"), paid(D(2025, 2, 2), None)]
    assert disbursement_series(rows, award=None, period=(None, None), today=D(2025, 3, 1)) is None
    rows.append(paid(D(2025, 4, 1), "10"))
    series = disbursement_series(rows, award=None, period=(None, None), today=D(2025, 3, 1))
    assert series is not None and series.steps == ((D(2025, 4, 1), Decimal(10)),)


def test_the_line_stops_at_today_but_never_before_the_last_payment() -> None:
    rows = [paid(D(2025, 1, 10), "100")]
    period = (D(2025, 1, 1), D(2025, 12, 31))
    early = disbursement_series(rows, award=None, period=period, today=D(2024, 12, 1))
    late = disbursement_series(rows, award=None, period=period, today=D(2030, 1, 1))
    assert early is not None and early.until == D(2025, 1, 10)
    assert late is not None and late.until == D(2025, 12, 31)


def test_a_short_span_is_widened() -> None:
    series = disbursement_series(
        [paid(D(2025, 1, 10), "100")], award=None, period=(None, None), today=D(2025, 1, 10)
    )
    assert series is not None
    assert series.end - series.start == dt.timedelta(days=MIN_DAYS)
    assert series.top == Decimal(100)
