"""The grant report's reporting calendar: each reporting period, when the grantee's report was
due and received (late or missing flagged), and the indicator actuals reported for it."""

from __future__ import annotations

from fieldkit.domain.grant_calendar import reporting_periods
from fieldkit.domain.records import Grant
from fieldkit.i18n import N_
from fieldkit.reports.blocks import Builder

REPORTING_CALENDAR = N_("Reporting calendar")
REPORT_PERIOD = N_("Period")
REPORT_DUE = N_("Due")
REPORT_RECEIVED = N_("Received on")
REPORT_STATUS = N_("Status")
REPORT_ON_TIME = N_("On time")
REPORT_LATE = N_("Late")
REPORT_MISSING = N_("Not received")
REPORT_UPCOMING = N_("Not yet due")
ACTUALS = N_("Indicator actuals")


def reporting_calendar(b: Builder, grant: Grant) -> None:
    b.heading(b.t(REPORTING_CALENDAR))
    today = b.options.generated_at.date()
    rows = []
    for period in reporting_periods(grant):
        if period.received:
            status = REPORT_LATE if period.late else REPORT_ON_TIME
        else:
            status = REPORT_MISSING if period.overdue(today) else REPORT_UPCOMING
        actuals = "; ".join(
            f"{name}: {'' if value is None else b.t.number(value)}"
            for name, value in sorted(period.actuals.items())
        )
        rows.append(
            [
                b.span(period.start, period.end),
                b.date(period.due),
                b.date(period.submitted_on),
                b.t(status),
                actuals,
            ]
        )
    headers = [b.t(REPORT_PERIOD), b.t(REPORT_DUE), b.t(REPORT_RECEIVED), b.t(REPORT_STATUS)]
    b.table([*headers, b.t(ACTUALS)], rows, [0.24, 0.13, 0.13, 0.14, 0.36])
