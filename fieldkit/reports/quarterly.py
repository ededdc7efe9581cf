"""The quarterly report to the Interagency Labor Committee: for one quarter and post, the open
cases with their clocks, remedies verified, tips by triage status, interviews counted by role
(never a pseudonym or a word of an interview), visits and grant milestones due."""

from __future__ import annotations

from fieldkit.domain.records import Facility, Visit
from fieldkit.i18n import N_
from fieldkit.reports import case_timeline
from fieldkit.reports.blocks import Builder, render_story
from fieldkit.reports.model import QuarterlyReport

QUARTERLY = N_("Quarterly report to the Interagency Labor Committee")
QUARTER_SPAN = N_("Quarter {quarter} of {year}: {span}")
POST = N_("Post: {post}")
CASES = N_("Cases and their clocks")
CASE_LINE = N_("{reference} · {facility} · {case_type} · {stage}")
REMEDIES = N_("Remedies")
REMEDIES_VERIFIED = N_("{verified} of {total} remedies in these cases verified.")
TIPS = N_("Tips received, by triage status")
INTERVIEWS = N_("Interviews held, by role")
INTERVIEWS_NOTE = N_("Counts only: no pseudonym and no word of an interview is in this report.")
VISITS = N_("Visits")
MILESTONES = N_("Grant milestones due")
COUNT = N_("Count")
TOTAL = N_("Total")
GRANT = N_("Grant")
MILESTONE = N_("Milestone")


def render_quarterly(report: QuarterlyReport) -> bytes:
    b = Builder(report.options)
    span = b.t(QUARTER_SPAN).format(
        quarter=report.quarter, year=report.year, span=b.span(report.start, report.end)
    )
    subtitles = [span, b.t(POST).format(post=report.post)] if report.post else [span]
    b.title_block(b.t(QUARTERLY), subtitles)
    cases(b, report)
    b.heading(b.t(REMEDIES))
    b.text(
        b.t(REMEDIES_VERIFIED).format(
            verified=report.remedies_verified, total=report.remedies_total
        )
    )
    counts(b, b.t(TIPS), report.tips_by_triage)
    counts(b, b.t(INTERVIEWS), report.interviews_by_role)
    b.text(b.t(INTERVIEWS_NOTE))
    visits(b, report)
    milestones(b, report)
    title = f"{b.t(QUARTERLY)} — {span}"
    return render_story(b, title, b.t(QUARTERLY))


def cases(b: Builder, report: QuarterlyReport) -> None:
    b.heading(b.t(CASES))
    if not report.cases:
        b.none()
    for entry in report.cases:
        case = entry.case
        line = b.t(CASE_LINE).format(
            reference=case.reference,
            facility=entry.facility_name,
            case_type=b.choice(case.case_type),
            stage=b.choice(case.stage),
        )
        b.subheading(line)
        headers = [b.t(N_("Clock")), b.t(case_timeline.CLOCK_DUE), b.t(case_timeline.CLOCK_ACTUAL)]
        rows = case_timeline.clock_rows(b, case)
        b.table([*headers, b.t(case_timeline.CLOCK_STATUS)], rows, [0.44, 0.16, 0.16, 0.24])


def counts(b: Builder, heading: str, rows: tuple[tuple[object, int], ...]) -> None:
    b.heading(heading)
    body = [[b.choice(member), str(count)] for member, count in rows]  # type: ignore[arg-type]
    total = sum(count for _, count in rows)
    b.table(["", b.t(COUNT)], body, [0.7, 0.3], totals=[[b.t(TOTAL), str(total)]], right=[1])


def visits(b: Builder, report: QuarterlyReport) -> None:
    b.heading(b.t(VISITS))
    rows = []
    for visit in report.visits:
        facility = report.facilities.get(visit.facility_id or "")
        rows.append(
            [
                b.span(visit.start_date, visit.end_date),
                facility.name if facility else "",
                b.choice(visit.purpose),
                b.choice(visit.status),
            ]
        )
    headers = [b.t(N_("Date")), b.t(Facility.LABEL), b.field(Visit, "purpose")]
    b.table([*headers, b.field(Visit, "status")], rows, [0.2, 0.44, 0.22, 0.14])


def milestones(b: Builder, report: QuarterlyReport) -> None:
    b.heading(b.t(MILESTONES))
    rows = [
        [f"{m.grant_title} ({m.award_number})", m.title, b.date(m.due), b.choice(m.status)]
        for m in report.milestones
    ]
    headers = [b.t(GRANT), b.t(MILESTONE), b.t(case_timeline.CLOCK_DUE), b.t(N_("Status"))]
    b.table(headers, rows, [0.34, 0.36, 0.14, 0.16])


__all__ = ["render_quarterly"]
