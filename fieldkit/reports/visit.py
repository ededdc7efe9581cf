"""The visit report: facility, visit, people met, observations, findings, follow-ups,
interviews (in full when internal, as counts and summaries for sharing otherwise: see
`fieldkit.reports.interviews`), attachments and a sign-off block."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Table, TableStyle

from fieldkit.domain.records import Attachment, Facility, Grant, Interview, Organization, Visit
from fieldkit.domain.values import FollowUp, PersonMet
from fieldkit.i18n import N_
from fieldkit.reports.blocks import Builder, render_story
from fieldkit.reports.document import CONTENT_WIDTH
from fieldkit.reports.fonts import REGULAR
from fieldkit.reports.interviews import interview_words, shareable_interviews
from fieldkit.reports.model import Profile, VisitReport
from fieldkit.reports.styles import INK

VISIT_REPORT = N_("Visit report")
VISIT_REPORT_TITLE = N_("Visit report: {facility}, {date}")
VISIT_REPORT_DATE = N_("Visit report: {date}")
VISIT_DETAILS = N_("Visit details")
INTERVIEW_N = N_("Interview {number}")
INTERVIEW_N_PSEUDONYM = N_("Interview {number}: {pseudonym}")
TOTAL = N_("Total")
SIGN_OFF = N_("Sign-off")
PREPARED_BY = N_("Prepared by")
SIGNATURE = N_("Signature")
DATE = N_("Date")
HASH_HALF = 32


def render_visit(report: VisitReport) -> bytes:
    b = Builder(report.options)
    visit, facility, organization = report.visit, report.facility, report.organization
    venue = facility or organization
    name = venue.name if venue else ""
    when = b.span(visit.start_date, visit.end_date)
    b.title_block(b.t(VISIT_REPORT), [name, when, visit.summary])
    if organization is not None and facility is None:
        organization_section(b, organization)
    else:
        facility_section(b, facility)
        if organization is not None:
            organization_section(b, organization)
    visit_section(b, visit, report.grant)
    b.heading(b.field(Visit, "people_met"))
    people_met(b, visit.people_met)
    for field in ("observations", "findings"):
        b.heading(b.field(Visit, field))
        b.text(getattr(visit, field))
    b.heading(b.field(Visit, "follow_ups"))
    follow_ups(b, visit.follow_ups)
    b.heading(b.t(Interview.PLURAL))
    if report.options.profile is Profile.INTERNAL:
        internal_interviews(b, report.interviews)
    else:  # any profile but internal shows what a shareable one does
        shareable_interviews(b, report.interviews)
    b.heading(b.t(Attachment.PLURAL))
    attachments(b, report.attachments)
    sign_off(b)
    if name:
        title = b.t(VISIT_REPORT_TITLE).format(facility=name, date=when)
    else:
        title = b.t(VISIT_REPORT_DATE).format(date=when)
    return render_story(b, title, b.t(VISIT_REPORT))


def internal_interviews(b: Builder, interviews: Sequence[Interview]) -> None:
    if not interviews:
        b.none()
    for number, interview in enumerate(interviews, start=1):
        interview_section(b, number, interview)


def facility_section(b: Builder, facility: Facility | None) -> None:
    b.heading(b.t(Facility.LABEL))
    if facility is None:
        b.none()
        return
    text = ("name", "employer", "parent_company")
    rows = [(b.field(Facility, f), getattr(facility, f)) for f in text]
    rows += [
        (b.field(Facility, "sector"), b.choice(facility.sector)),
        (b.field(Facility, "state"), b.choice(facility.state)),
        (b.field(Facility, "municipality"), facility.municipality),
        (b.field(Facility, "address"), facility.address),
        (b.field(Facility, "unions"), "; ".join(facility.unions)),
        (b.field(Facility, "cba_registration"), facility.cba_registration),
        (b.field(Facility, "cba_legitimation"), b.choice(facility.cba_legitimation)),
        (b.field(Facility, "sector_agreement"), facility.sector_agreement),
        (b.field(Facility, "priority_sector"), b.yes_no(facility.priority_sector)),
    ]
    b.fields(rows)


def organization_section(b: Builder, organization: Organization) -> None:
    b.heading(b.t(Organization.LABEL))
    b.fields(
        [
            (b.field(Organization, "name"), organization.name),
            (b.field(Organization, "org_type"), b.choice(organization.org_type)),
            (b.field(Organization, "acronym"), organization.acronym),
            (b.field(Organization, "state"), b.choice(organization.state)),
            (b.field(Organization, "municipality"), organization.municipality),
            (b.field(Organization, "address"), organization.address),
        ]
    )


def visit_section(b: Builder, visit: Visit, grant: Grant | None) -> None:
    b.heading(b.t(VISIT_DETAILS))
    grant_text = ""
    if grant is not None:
        grant_text = " — ".join(p for p in (grant.award_number, grant.name) if p)
    b.fields(
        [
            (b.field(Visit, "summary"), visit.summary),
            (b.field(Visit, "start_date"), b.date(visit.start_date)),
            (b.field(Visit, "end_date"), b.date(visit.end_date)),
            (b.field(Visit, "purpose"), b.choice(visit.purpose)),
            (b.field(Visit, "status"), b.choice(visit.status)),
            (b.field(Visit, "attaches"), "; ".join(visit.attaches)),
            (b.field(Visit, "grant_id"), grant_text),
        ]
    )


def people_met(b: Builder, people: Sequence[PersonMet]) -> None:
    rows = [[b.choice(p.role), p.description, b.t.number(p.count)] for p in people]
    total = [[b.t(TOTAL), "", b.t.number(sum(p.count for p in people))]]
    headers = [b.field(PersonMet, f) for f in ("role", "description", "count")]
    b.table(headers, rows, [0.25, 0.57, 0.18], totals=total, right=(2,))


def follow_ups(b: Builder, actions: Sequence[FollowUp]) -> None:
    rows = [[a.action, a.owner, b.date(a.due), b.choice(a.status)] for a in actions]
    headers = [b.field(FollowUp, f) for f in ("action", "owner", "due", "status")]
    b.table(headers, rows, [0.46, 0.22, 0.17, 0.15])


def interview_section(b: Builder, number: int, interview: Interview) -> None:
    outline = b.t(INTERVIEW_N).format(number=number)
    text = outline
    if interview.pseudonym.strip():
        pattern = b.t(INTERVIEW_N_PSEUDONYM)
        text = pattern.format(number=number, pseudonym=interview.pseudonym)
    b.heading(text, outline=outline, level=1)
    rows = [
        (b.field(Interview, "held_on"), b.date(interview.held_on)),
        (b.field(Interview, "language"), interview.language),
        (b.field(Interview, "role"), b.choice(interview.role)),
        (b.field(Interview, "consent"), b.choice(interview.consent)),
    ]
    if interview.consent_scope.strip():
        rows.append((b.field(Interview, "consent_scope"), interview.consent_scope))
    rows.append((b.field(Interview, "risk"), b.choice(interview.risk)))
    for optional in ("place", "role_details"):
        value = getattr(interview, optional)
        if value.strip():
            rows.append((b.field(Interview, optional), value))
    b.fields(rows)
    for optional in ("risk_notes", "safe_contact"):
        value = getattr(interview, optional)
        if value.strip():
            b.subheading(b.field(Interview, optional))
            b.text(value)
    interview_words(b, interview)
    b.subheading(b.field(Interview, "follow_ups"))
    follow_ups(b, interview.follow_ups)


def attachments(b: Builder, files: Sequence[Attachment]) -> None:
    rows = [
        [
            a.filename,
            a.media_type,
            b.t.number(a.size),
            b.cell(a.sha256[:HASH_HALF] + "\n" + a.sha256[HASH_HALF:], b.s.hash),
        ]
        for a in files
    ]
    headers = [b.field(Attachment, f) for f in ("filename", "media_type", "size", "sha256")]
    b.table(headers, rows, [0.36, 0.18, 0.14, 0.32], right=(2,))


def sign_off(b: Builder) -> None:
    author = b.options.author.strip()
    rows = [
        (b.t(PREPARED_BY), b.cell(author, b.s.body) if author else ""),
        (b.t(DATE), b.cell(b.t.date(b.options.generated_at.date()), b.s.body)),
        (b.t(SIGNATURE), ""),
    ]
    data = [[b.cell(label, b.s.label), value] for label, value in rows]
    table = Table(data, colWidths=[CONTENT_WIDTH * 0.2, CONTENT_WIDTH * 0.5], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, -1), 0.6, INK),
                ("TOPPADDING", (0, 0), (-1, -1), 14),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    b.keep([b.make_heading(b.t(SIGN_OFF)), table])
