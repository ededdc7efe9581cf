"""The grant status report: the award, disbursements against it (table and chart),
milestones, indicators, the reporting calendar and monitoring visits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from fieldkit.domain.records import Facility, Grant, Visit
from fieldkit.domain.values import Disbursement, Indicator, Milestone
from fieldkit.i18n import N_
from fieldkit.reports.blocks import Builder, render_story
from fieldkit.reports.chart import disbursement_chart
from fieldkit.reports.document import CONTENT_WIDTH
from fieldkit.reports.grant_calendar import reporting_calendar
from fieldkit.reports.model import GrantReport

GRANT_REPORT = N_("Grant status report")
GRANT_REPORT_TITLE = N_("Grant status report: {award}")
PERIOD = N_("Period")
TOTAL_DISBURSED = N_("Total disbursed")
REMAINING = N_("Remaining")
DISBURSEMENT_CHART = N_("Cumulative disbursements")
MONITORING_VISITS = N_("Monitoring visits")
DATE = N_("Date")


def render_grant(report: GrantReport) -> bytes:
    b = Builder(report.options)
    grant = report.grant
    b.title_block(b.t(GRANT_REPORT), [grant.name, grant.award_number, grant.grantee])
    b.heading(b.t(Grant.LABEL))
    b.fields(
        [
            (b.field(Grant, "award_number"), grant.award_number),
            (b.field(Grant, "name"), grant.name),
            (b.field(Grant, "grantee"), grant.grantee),
            (b.field(Grant, "amount"), money(b, grant.amount)),
            (b.t(PERIOD), b.span(grant.period_start, grant.period_end)),
            (b.field(Grant, "sectors"), "; ".join(b.choice(s) for s in grant.sectors)),
            (b.field(Grant, "states"), "; ".join(b.choice(s) for s in grant.states)),
        ]
    )
    b.heading(b.field(Grant, "objectives"))
    b.text(grant.objectives)
    b.heading(b.field(Grant, "disbursements"))
    disbursements(b, grant)
    chart = disbursement_chart(
        b.t,
        disbursements=grant.disbursements,
        award=grant.amount,
        period=(grant.period_start, grant.period_end),
        today=b.options.generated_at.date(),
        width=CONTENT_WIDTH,
    )
    if chart is None:
        b.heading(b.t(DISBURSEMENT_CHART))
        b.none()
    else:
        b.keep([b.make_heading(b.t(DISBURSEMENT_CHART)), chart])
    b.heading(b.field(Grant, "milestones"))
    milestones(b, grant.milestones)
    b.heading(b.field(Grant, "indicators"))
    indicators(b, grant.indicators)
    reporting_calendar(b, grant)
    b.heading(b.t(MONITORING_VISITS))
    monitoring_visits(b, report.visits, report.facilities)
    title = b.t(GRANT_REPORT_TITLE).format(award=grant.award_number)
    return render_story(b, title, b.t(GRANT_REPORT))


def money(b: Builder, value: Decimal | None) -> str:
    return "" if value is None else b.t.usd(value)


def number(b: Builder, value: Decimal | None) -> str:
    return "" if value is None else b.t.number(value)


def disbursements(b: Builder, grant: Grant) -> None:
    items = sorted(grant.disbursements, key=lambda d: (d.paid_on is None, d.paid_on))
    rows = [[b.date(d.paid_on), money(b, d.amount), d.note] for d in items]
    totals = [[b.t(TOTAL_DISBURSED), money(b, grant.disbursed), ""]]
    if grant.amount is not None:
        totals.append([b.t(REMAINING), money(b, grant.amount - grant.disbursed), ""])
    headers = [b.field(Disbursement, f) for f in ("paid_on", "amount", "note")]
    if rows:
        b.table(headers, rows, [0.2, 0.22, 0.58], totals=totals, right=(1,))
    else:
        b.none()
        b.fields([(row[0], row[1]) for row in totals])


def milestones(b: Builder, items: Sequence[Milestone]) -> None:
    rows = [[m.title, b.date(m.due), b.choice(m.status), m.evidence] for m in items]
    headers = [b.field(Milestone, f) for f in ("title", "due", "status", "evidence")]
    b.table(headers, rows, [0.34, 0.16, 0.14, 0.36])


def indicators(b: Builder, items: Sequence[Indicator]) -> None:
    rows = [
        [i.name, i.unit, number(b, i.baseline), number(b, i.target), number(b, i.actual)]
        for i in items
    ]
    headers = [b.field(Indicator, f) for f in ("name", "unit", "baseline", "target", "actual")]
    b.table(headers, rows, [0.4, 0.15, 0.15, 0.15, 0.15], right=(2, 3, 4))


def monitoring_visits(
    b: Builder, visits: Sequence[Visit], facilities: Mapping[str, Facility]
) -> None:
    rows = []
    for visit in sorted(visits, key=lambda v: (v.start_date is None, v.start_date)):
        facility = facilities.get(visit.facility_id or "")
        name = facility.name if facility else ""
        rows.append([b.span(visit.start_date, visit.end_date), name, b.choice(visit.status)])
    headers = [b.t(DATE), b.t(Facility.LABEL), b.field(Visit, "status")]
    b.table(headers, rows, [0.24, 0.56, 0.2])
