"""The case summary (Rapid Response Labor Mechanism): the case, its allegations, where it
stands among the six stages, remedies, deadlines, and the visits, interviews and tips linked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.platypus import Paragraph, Table, TableStyle

from fieldkit.domain.case_lifecycle import FIRST_STAGES
from fieldkit.domain.choices import CaseStage
from fieldkit.domain.records import Case, Facility, Interview, Tip, Visit
from fieldkit.domain.values import Deadline, Remedy
from fieldkit.i18n import N_
from fieldkit.reports import case_timeline
from fieldkit.reports.blocks import Builder, markup, render_story
from fieldkit.reports.document import CONTENT_WIDTH
from fieldkit.reports.fonts import REGULAR
from fieldkit.reports.interviews import shareable_interviews, shareable_tips
from fieldkit.reports.model import CaseReport, Profile
from fieldkit.reports.styles import ACCENT, DONE_FILL, RULE
from fieldkit.reports.visit import INTERVIEW_N, INTERVIEW_N_PSEUDONYM

CASE_SUMMARY = N_("Case summary")
CASE_SUMMARY_TITLE = N_("Case summary: {reference}")
CASE_STAGES = N_("Case stages")
STAGE_DONE = N_("Done")
STAGE_CURRENT = N_("Current stage")
STAGE_UPCOMING = N_("Upcoming")
DATE = N_("Date")


def render_case(report: CaseReport) -> bytes:
    b = Builder(report.options)
    case, facility = report.case, report.facility
    facility_name = facility.name if facility else ""
    b.title_block(b.t(CASE_SUMMARY), [case.reference, facility_name])
    b.heading(b.t(Case.LABEL))
    b.fields(
        [
            (b.field(Case, "reference"), case.reference),
            (b.field(Case, "facility_id"), facility_name),
            (b.field(Case, "petitioner"), case.petitioner),
            (b.field(Case, "received_on"), b.date(case.received_on)),
            (b.field(Case, "case_type"), b.choice(case.case_type)),
            (b.field(Case, "stage"), b.choice(case.stage)),
            (b.field(Case, "remediation_party"), b.choice(case.remediation_party)),
        ]
    )
    b.heading(b.field(Case, "allegations"))
    b.bullets([b.choice(a) for a in case.allegations])
    if case.events:
        b.heading(b.t(case_timeline.CASE_PATH))
        case_timeline.case_path(b, case)
        case_timeline.liquidation(b, case.events)
        b.heading(b.t(case_timeline.CLOCKS))
        case_timeline.clocks(b, case)
    elif case.stage in FIRST_STAGES:
        b.heading(b.t(CASE_STAGES))
        b.story.append(timeline(b, case.stage))
    if case.mexico_grounds.strip():
        b.heading(b.field(Case, "mexico_grounds"))
        b.text(case.mexico_grounds)
    b.heading(b.field(Case, "remedies"))
    remedies(b, case.remedies)
    if case.sanctions:
        b.heading(b.field(Case, "sanctions"))
        case_timeline.sanctions(b, case.sanctions)
    b.heading(b.field(Case, "deadlines"))
    deadlines(b, case.deadlines)
    b.heading(b.field(Case, "summary"))
    b.text(case.summary)
    b.heading(b.field(Case, "visit_ids"))
    linked_visits(b, report.visits, report.facilities)
    internal = report.options.profile is Profile.INTERNAL
    b.heading(b.field(Case, "interview_ids"))
    (linked_interviews if internal else shareable_interviews)(b, report.interviews)
    b.heading(b.field(Case, "tip_ids"))
    (linked_tips if internal else shareable_tips)(b, report.tips)
    title = b.t(CASE_SUMMARY_TITLE).format(reference=case.reference)
    return render_story(b, title, b.t(CASE_SUMMARY))


def timeline(b: Builder, current: CaseStage) -> Table:
    """The six first stages left to right: done ones shaded, the current one highlighted."""
    stages = list(FIRST_STAGES)
    now = stages.index(current)
    cells = []
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # every cell sets it, even a Paragraph's
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    for index, stage in enumerate(stages):
        if index < now:
            state, style = "✓ " + b.t(STAGE_DONE), b.s.stage
            commands.append(("BACKGROUND", (index, 0), (index, 0), DONE_FILL))
        elif index == now:
            state, style = "● " + b.t(STAGE_CURRENT), b.s.stage_current
            commands.append(("BACKGROUND", (index, 0), (index, 0), ACCENT))
        else:
            state, style = b.t(STAGE_UPCOMING), b.s.stage
        text = f"<b>{index + 1}</b><br/>{markup(b.choice(stage))}<br/><i>{markup(state)}</i>"
        cells.append(Paragraph(text, style))
    width = CONTENT_WIDTH / len(stages)
    table = Table([cells], colWidths=[width] * len(stages), hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def remedies(b: Builder, items: Sequence[Remedy]) -> None:
    rows = [[b.choice(r.kind), r.description, b.choice(r.status), r.evidence] for r in items]
    headers = [b.field(Remedy, f) for f in ("kind", "description", "status", "evidence")]
    b.table(headers, rows, [0.2, 0.32, 0.14, 0.34])


def deadlines(b: Builder, items: Sequence[Deadline]) -> None:
    rows = [[d.label, b.date(d.due), b.yes_no(d.done)] for d in items]
    headers = [b.field(Deadline, f) for f in ("label", "due", "done")]
    b.table(headers, rows, [0.6, 0.22, 0.18])


def linked_visits(b: Builder, visits: Sequence[Visit], facilities: Mapping[str, Facility]) -> None:
    rows = []
    for visit in visits:
        facility = facilities.get(visit.facility_id or "")
        name = facility.name if facility else ""
        rows.append([b.span(visit.start_date, visit.end_date), name, b.choice(visit.purpose)])
    headers = [b.t(DATE), b.t(Facility.LABEL), b.field(Visit, "purpose")]
    b.table(headers, rows, [0.22, 0.5, 0.28])


def linked_interviews(b: Builder, interviews: Sequence[Interview]) -> None:
    rows = []
    for number, interview in enumerate(interviews, start=1):
        name = b.t(INTERVIEW_N).format(number=number)
        if interview.pseudonym.strip():
            pattern = b.t(INTERVIEW_N_PSEUDONYM)
            name = pattern.format(number=number, pseudonym=interview.pseudonym)
        rows.append([name, b.date(interview.held_on), b.choice(interview.role)])
    headers = [b.t(Interview.LABEL), b.field(Interview, "held_on"), b.field(Interview, "role")]
    b.table(headers, rows, [0.5, 0.22, 0.28])


def linked_tips(b: Builder, tips: Sequence[Tip]) -> None:
    rows = [
        [b.date(t.received_on), b.choice(t.channel), t.subject, b.choice(t.triage)] for t in tips
    ]
    headers = [b.field(Tip, f) for f in ("received_on", "channel", "subject", "triage")]
    b.table(headers, rows, [0.17, 0.2, 0.43, 0.2])
