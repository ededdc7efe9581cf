"""The records attachés keep. Every record has a UUIDv7 id, created and updated times, the
device that wrote it, and soft deletion; the rest is declared field by field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from fieldkit.domain import fields as f
from fieldkit.domain.choices import (
    Allegation,
    CaseStage,
    CaseType,
    Consent,
    LegitimationStatus,
    MexicanState,
    OrganizationType,
    PersonRole,
    RemediationParty,
    RiskLevel,
    Sector,
    TipChannel,
    TriageStatus,
    VisitPurpose,
    VisitStatus,
)
from fieldkit.domain.ids import new_id
from fieldkit.domain.values import (
    CaseStep,
    ClockOverride,
    Deadline,
    Disbursement,
    FollowUp,
    GrantReportFiled,
    Indicator,
    IndicatorActual,
    LaborEvent,
    Milestone,
    PersonMet,
    Remedy,
    Sanction,
)
from fieldkit.i18n import N_

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SYSTEM_FIELDS = ("id", "created_at", "updated_at", "author_device", "deleted")


@dataclass(frozen=True, kw_only=True)
class Record(f.Model):
    """Fields every record has; the store sets them, users never type them."""

    KIND: ClassVar[str]
    LABEL: ClassVar[str]
    PLURAL: ClassVar[str]
    TITLE_FIELD: ClassVar[str]

    id: str = field(default_factory=new_id)
    created_at: dt.datetime = EPOCH
    updated_at: dt.datetime = EPOCH
    author_device: str = ""
    deleted: bool = False

    @property
    def title(self) -> str:
        """The short name lists and search results show."""
        return str(getattr(self, self.TITLE_FIELD))


@dataclass(frozen=True, kw_only=True)
class Facility(Record):
    KIND = "facility"
    LABEL = N_("Facility")
    PLURAL = N_("Facilities")
    TITLE_FIELD = "name"

    name: str = f.text(N_("Name"), required=True)
    employer: str = f.text(N_("Employer"))
    parent_company: str = f.text(N_("Parent company"))
    sector: Sector = f.choice(N_("Sector"), Sector, Sector.OTHER)
    state: MexicanState | None = f.choice(N_("State"), MexicanState, None)
    municipality: str = f.text(N_("Municipality"))
    address: str = f.text(N_("Address"))
    unions: tuple[str, ...] = f.strings(N_("Unions present"))
    cba_registration: str = f.text(N_("CBA registration"))
    cba_legitimation: LegitimationStatus = f.choice(
        N_("CBA legitimation status"), LegitimationStatus, LegitimationStatus.UNKNOWN
    )
    sector_agreement: str = f.text(N_("Sector-wide agreement (contrato-ley)"))
    priority_sector: bool = f.flag(N_("In a priority sector (manufacturing, services, mining)"))
    # The covered-facility test's other half (Annex 31-A): the facility's goods or services
    # are traded with the United States or compete with U.S. goods or services.
    trade_link: bool = f.flag(N_("Trades with or competes in the United States"))
    labor_events: tuple[LaborEvent, ...] = f.items(N_("Labor history"), LaborEvent)

    @property
    def covered(self) -> bool:
        """A covered facility: both halves of the test hold."""
        return self.trade_link and self.priority_sector


@dataclass(frozen=True, kw_only=True)
class Organization(Record):
    """A place a visit can be held that is not a workplace: the labor ministry, the CFCRL, a
    conciliation center, a union, an NGO or a grantee's office."""

    KIND = "organization"
    LABEL = N_("Organization")
    PLURAL = N_("Organizations")
    TITLE_FIELD = "name"

    name: str = f.text(N_("Name"), required=True)
    org_type: OrganizationType = f.choice(N_("Type"), OrganizationType, OrganizationType.OTHER)
    acronym: str = f.text(N_("Acronym"))
    state: MexicanState | None = f.choice(N_("State"), MexicanState, None)
    municipality: str = f.text(N_("Municipality"))
    address: str = f.text(N_("Address"))
    notes: str = f.longtext(N_("Notes"))


@dataclass(frozen=True, kw_only=True)
class Visit(Record):
    KIND = "visit"
    LABEL = N_("Visit")
    PLURAL = N_("Visits")
    TITLE_FIELD = "title_text"

    # Held at a facility, or at an organization (a workshop at a conciliation center is not
    # filed under an auto plant); validation asks for one of the two.
    facility_id: str | None = f.ref(N_("Facility"), "facility")
    organization_id: str | None = f.ref(N_("Organization"), "organization")
    grant_id: str | None = f.ref(N_("Grant"), "grant")
    start_date: dt.date | None = f.date(N_("Start date"), required=True)
    end_date: dt.date | None = f.date(N_("End date"))
    purpose: VisitPurpose = f.choice(N_("Purpose"), VisitPurpose, VisitPurpose.MONITORING)
    attaches: tuple[str, ...] = f.strings(N_("Attachés present"))
    people_met: tuple[PersonMet, ...] = f.items(N_("People met"), PersonMet)
    observations: str = f.longtext(N_("Observations"))
    findings: str = f.longtext(N_("Findings"))
    follow_ups: tuple[FollowUp, ...] = f.items(N_("Follow-up actions"), FollowUp)
    status: VisitStatus = f.choice(N_("Status"), VisitStatus, VisitStatus.DRAFT)
    summary: str = f.text(N_("Title"))

    @property
    def title_text(self) -> str:
        return self.summary or (self.start_date.isoformat() if self.start_date else "")


@dataclass(frozen=True, kw_only=True)
class Interview(Record):
    """The most sensitive record: a worker's words. Lists show only the pseudonym."""

    KIND = "interview"
    LABEL = N_("Interview")
    PLURAL = N_("Interviews")
    TITLE_FIELD = "pseudonym"

    visit_id: str | None = f.ref(N_("Visit"), "visit")
    facility_id: str | None = f.ref(N_("Facility"), "facility")
    held_on: dt.date | None = f.date(N_("Date"), required=True)
    place: str = f.text(N_("Place"), identifying=True)
    language: str = f.text(N_("Language"))
    pseudonym: str = f.text(N_("Pseudonym"), required=True, identifying=True)
    role: PersonRole = f.choice(N_("Role"), PersonRole, PersonRole.WORKER)
    role_details: str = f.text(N_("Role details"), identifying=True)
    consent: Consent = f.choice(N_("Consent"), Consent, Consent.NOT_RECORDED)
    consent_scope: str = f.text(N_("Consent scope"))
    # Unset until assessed: a default level would read as an assessment nobody made.
    risk: RiskLevel | None = f.choice(N_("Retaliation risk"), RiskLevel, None)
    risk_notes: str = f.longtext(N_("Risk notes"), identifying=True)
    safe_contact: str = f.longtext(N_("Safe-contact notes"), identifying=True)
    notes: str = f.longtext(N_("Notes"))
    follow_ups: tuple[FollowUp, ...] = f.items(N_("Follow-up actions"), FollowUp)
    # Interviews stay on their author's device and at HQ until the author shares them.
    shared: bool = f.flag(N_("Shared with other attachés"))
    # The only words about the interview a shareable report prints: written for that purpose.
    sharing_summary: str = f.longtext(N_("Summary for sharing"))


@dataclass(frozen=True, kw_only=True)
class Case(Record):
    KIND = "case"
    LABEL = N_("Case")
    PLURAL = N_("Cases")
    TITLE_FIELD = "reference"

    reference: str = f.text(N_("Reference"), required=True)
    facility_id: str | None = f.ref(N_("Facility"), "facility", required=True)
    petitioner: str = f.text(N_("Petitioner"))
    received_on: dt.date | None = f.date(N_("Date received"), required=True)
    allegations: tuple[Allegation, ...] = f.choices(N_("Alleged denial of rights"), Allegation)
    stage: CaseStage = f.choice(N_("Stage"), CaseStage, CaseStage.PETITION_RECEIVED)
    summary: str = f.longtext(N_("Summary"))
    remedies: tuple[Remedy, ...] = f.items(N_("Remedies"), Remedy)
    deadlines: tuple[Deadline, ...] = f.items(N_("Deadlines"), Deadline)
    visit_ids: tuple[str, ...] = f.refs(N_("Linked visits"), "visit")
    interview_ids: tuple[str, ...] = f.refs(N_("Linked interviews"), "interview")
    tip_ids: tuple[str, ...] = f.refs(N_("Linked tips"), "tip")
    # The Rapid Response clocks and lifecycle (domain/rrm_clocks.py, domain/case_lifecycle.py).
    case_type: CaseType = f.choice(N_("Case type"), CaseType, CaseType.RRM_PETITION)
    events: tuple[CaseStep, ...] = f.items(N_("Case events"), CaseStep)
    clock_overrides: tuple[ClockOverride, ...] = f.items(N_("Clock overrides"), ClockOverride)
    remediation_party: RemediationParty = f.choice(
        N_("Remediation agreed with"), RemediationParty, RemediationParty.NONE
    )
    mexico_grounds: str = f.longtext(N_("Mexico's grounds"))
    sanctions: tuple[Sanction, ...] = f.items(N_("Annex 31-A remedies imposed"), Sanction)


@dataclass(frozen=True, kw_only=True)
class Tip(Record):
    KIND = "tip"
    LABEL = N_("Tip")
    PLURAL = N_("Tips")
    TITLE_FIELD = "subject"

    received_on: dt.date | None = f.date(N_("Date received"), required=True)
    channel: TipChannel = f.choice(N_("Channel"), TipChannel, TipChannel.HOTLINE)
    subject: str = f.text(N_("Subject"), required=True)
    summary: str = f.longtext(N_("Summary"))
    facility_id: str | None = f.ref(N_("Facility"), "facility")
    triage: TriageStatus = f.choice(N_("Triage status"), TriageStatus, TriageStatus.NEW)
    case_id: str | None = f.ref(N_("Case"), "case")


@dataclass(frozen=True, kw_only=True)
class Grant(Record):
    KIND = "grant"
    LABEL = N_("Grant")
    PLURAL = N_("Grants")
    TITLE_FIELD = "title_text"

    award_number: str = f.text(N_("Award number"), required=True)
    name: str = f.text(N_("Project name"))
    grantee: str = f.text(N_("Grantee"), required=True)
    amount: Decimal | None = f.money(N_("Award amount (USD)"), required=True)
    period_start: dt.date | None = f.date(N_("Period start"))
    period_end: dt.date | None = f.date(N_("Period end"))
    objectives: str = f.longtext(N_("Objectives"))
    sectors: tuple[Sector, ...] = f.choices(N_("Sectors"), Sector)
    states: tuple[MexicanState, ...] = f.choices(N_("States"), MexicanState)
    disbursements: tuple[Disbursement, ...] = f.items(N_("Disbursements"), Disbursement)
    milestones: tuple[Milestone, ...] = f.items(N_("Milestones"), Milestone)
    indicators: tuple[Indicator, ...] = f.items(N_("Indicators"), Indicator)
    # The reporting calendar (domain/grant_calendar.py): semi-annual unless the award says.
    reporting_months: int = f.integer(N_("Reporting period (months)"), default=6)
    report_due_days: int = f.integer(N_("Report due (days after the period)"), default=30)
    reports: tuple[GrantReportFiled, ...] = f.items(N_("Reports received"), GrantReportFiled)
    indicator_actuals: tuple[IndicatorActual, ...] = f.items(
        N_("Indicator actuals by period"), IndicatorActual
    )

    @property
    def title_text(self) -> str:
        return self.name or self.award_number

    @property
    def disbursed(self) -> Decimal:
        return sum((d.amount or Decimal(0) for d in self.disbursements), Decimal(0))


@dataclass(frozen=True, kw_only=True)
class Attachment(Record):
    """A file on any record. Its bytes live encrypted inside the vault, keyed by SHA-256."""

    KIND = "attachment"
    LABEL = N_("Attachment")
    PLURAL = N_("Attachments")
    TITLE_FIELD = "filename"

    record_kind: str = f.text(N_("Attached to (kind)"), required=True, search=False)
    record_id: str = f.text(N_("Attached to"), required=True, search=False)
    filename: str = f.text(N_("File name"), required=True)
    media_type: str = f.text(N_("Type"), search=False)
    size: int = f.integer(N_("Size (bytes)"))
    sha256: str = f.text(N_("SHA-256"), required=True, search=False)
    description: str = f.text(N_("Description"))


RECORD_TYPES: tuple[type[Record], ...] = (
    Facility,
    Organization,
    Visit,
    Interview,
    Case,
    Tip,
    Grant,
    Attachment,
)
KINDS: dict[str, type[Record]] = {cls.KIND: cls for cls in RECORD_TYPES}
