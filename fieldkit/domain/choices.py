"""The closed vocabularies of the work, each value with a translatable label."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from enum import StrEnum

from fieldkit.i18n import N_, _


class Sector(StrEnum):
    AUTOS = "autos"
    AUTO_PARTS = "auto_parts"
    ELECTRONICS = "electronics"
    APPAREL = "apparel"
    AEROSPACE = "aerospace"
    RUBBER_TIRES = "rubber_tires"
    AGRICULTURE = "agriculture"
    MINING = "mining"
    STEEL_ALUMINUM = "steel_aluminum"
    GLASS = "glass"
    POTTERY = "pottery"
    PLASTICS = "plastics"
    FORGINGS = "forgings"
    CEMENT = "cement"
    COSMETICS = "cosmetics"
    BAKED_GOODS = "industrial_baked_goods"
    OTHER_MANUFACTURING = "other_manufacturing"
    SERVICES = "services"
    OTHER = "other"


class MexicanState(StrEnum):
    """The 32 federal entities, by ISO 3166-2:MX code."""

    AGU = "AGU"
    BCN = "BCN"
    BCS = "BCS"
    CAM = "CAM"
    CHP = "CHP"
    CHH = "CHH"
    CMX = "CMX"
    COA = "COA"
    COL = "COL"
    DUR = "DUR"
    GUA = "GUA"
    GRO = "GRO"
    HID = "HID"
    JAL = "JAL"
    MEX = "MEX"
    MIC = "MIC"
    MOR = "MOR"
    NAY = "NAY"
    NLE = "NLE"
    OAX = "OAX"
    PUE = "PUE"
    QUE = "QUE"
    ROO = "ROO"
    SLP = "SLP"
    SIN = "SIN"
    SON = "SON"
    TAB = "TAB"
    TAM = "TAM"
    TLA = "TLA"
    VER = "VER"
    YUC = "YUC"
    ZAC = "ZAC"


class LegitimationStatus(StrEnum):
    UNKNOWN = "unknown"
    NOT_REGISTERED = "not_registered"
    PENDING = "pending"
    LEGITIMATED = "legitimated"
    REJECTED = "rejected"
    TERMINATED = "terminated"  # not legitimated when legitimation closed (July 31, 2023)


class LaborEventKind(StrEnum):
    """What a facility's labor history records, each registered with the CFCRL."""

    LEGITIMATION_VOTE = "legitimation_vote_held"
    CBA_APPROVAL_VOTE = "cba_approval_vote"
    CBA_REVISION_VOTE = "cba_revision_vote"
    REPRESENTATIVENESS_CERTIFICATE = "representativeness_certificate"
    UNION_ELECTION = "union_election"


class VisitPurpose(StrEnum):
    MONITORING = "monitoring"
    CASE_FOLLOW_UP = "case_follow_up"
    GRANT_MONITORING = "grant_monitoring"
    STAKEHOLDER_MEETING = "stakeholder_meeting"


class VisitStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class PersonRole(StrEnum):
    WORKER = "worker"
    UNION_DELEGATE = "union_delegate"
    MANAGER = "manager"
    OFFICIAL = "official"
    NGO = "ngo"


class Consent(StrEnum):
    NOT_RECORDED = "not_recorded"
    GIVEN = "given"
    GIVEN_NO_QUOTES = "given_no_quotes"  # notes may be kept; no report quotes them
    WITHDRAWN = "withdrawn"


CONSENT_GIVEN = frozenset({Consent.GIVEN, Consent.GIVEN_NO_QUOTES})


def may_quote(consent: Consent) -> bool:
    """Whether a report may print what was written from the interview (its notes, its summary
    for sharing): only with consent given without the "no quotes" limit, in every profile."""
    return consent is Consent.GIVEN


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Allegation(StrEnum):
    FREEDOM_OF_ASSOCIATION = "freedom_of_association"
    COLLECTIVE_BARGAINING = "collective_bargaining"
    LEGITIMATION_VOTE = "legitimation_vote"
    SECTOR_AGREEMENT_NOT_APPLIED = "sector_agreement_not_applied"
    UNION_DISMISSAL = "union_dismissal"
    EMPLOYER_INTERFERENCE = "employer_interference"
    PROTECTION_CONTRACT = "protection_contract"


class CaseStage(StrEnum):
    """Where a case stands. The lifecycle (domain/case_lifecycle.py) says which event leads
    from one stage to the next; the first six are the stages of schema version 1."""

    PETITION_RECEIVED = "petition_received"
    UNDER_REVIEW = "under_review"
    REVIEW_REQUESTED = "review_requested"
    REMEDIATION_AGREED = "remediation_agreed"
    MONITORING = "monitoring"
    CLOSED = "closed"
    FURTHER_REVIEW = "further_review"
    EVIDENCE_SUFFICIENT = "evidence_sufficient"
    EVIDENCE_INSUFFICIENT = "evidence_insufficient"
    MEXICO_REVIEWING = "mexico_reviewing"
    MEXICO_DECLINED = "mexico_declined"
    DENIAL_FOUND = "denial_found"
    NO_DENIAL_FOUND = "no_denial_found"
    REMEDIATION_NOT_VERIFIED = "remediation_not_verified"
    PANEL_REQUESTED = "panel_requested"
    PANEL_CONSTITUTED = "panel_constituted"
    PANEL_VERIFYING = "panel_verifying"
    PANEL_FOUND_DENIAL = "panel_found_denial"
    REMEDIES_IMPOSED = "remedies_imposed"


class CaseType(StrEnum):
    RRM_PETITION = "rrm_petition"
    RRM_SELF_INITIATED = "rrm_self_initiated"
    LABOR_CHAPTER = "labor_chapter"


class CaseEvent(StrEnum):
    """What happens in a case, on a date: the triggers clocks run from and the steps of its
    lifecycle. Values carry an `ev_` prefix: a choice's label is looked up by its value, and
    an event must not share one with the stage it leads to."""

    PETITION_RECEIVED = "ev_petition_received"
    FURTHER_REVIEW = "ev_further_review"
    ILC_SUFFICIENT = "ev_ilc_sufficient"
    ILC_INSUFFICIENT = "ev_ilc_insufficient"
    CERTIFICATION_SENT = "ev_certification_sent"
    REVIEW_REQUESTED = "ev_review_requested"
    LIQUIDATION_SUSPENDED = "ev_liquidation_suspended"
    LIQUIDATION_RESUMED = "ev_liquidation_resumed"
    MEXICO_AGREED_TO_REVIEW = "ev_mexico_agreed_to_review"
    MEXICO_DECLINED = "ev_mexico_declined"
    MEXICO_FOUND_DENIAL = "ev_mexico_found_denial"
    MEXICO_FOUND_NO_DENIAL = "ev_mexico_found_no_denial"
    REMEDIATION_AGREED = "ev_remediation_agreed"
    REMEDIATION_VERIFIED = "ev_remediation_verified"
    REMEDIATION_NOT_VERIFIED = "ev_remediation_not_verified"
    PANEL_REQUESTED = "ev_panel_requested"
    PANEL_CONSTITUTED = "ev_panel_constituted"
    VERIFICATION_REQUESTED = "ev_verification_requested"
    VERIFICATION_HELD = "ev_verification_held"
    PANEL_FOUND_DENIAL = "ev_panel_found_denial"
    PANEL_FOUND_NO_DENIAL = "ev_panel_found_no_denial"
    PANEL_NO_JURISDICTION = "ev_panel_no_jurisdiction"
    REMEDIES_IMPOSED = "ev_remedies_imposed"
    REMEDIES_LIFTED = "ev_remedies_lifted"
    CASE_CLOSED = "ev_case_closed"


class RemediationParty(StrEnum):
    NONE = "none"
    COMPANY = "company"
    GOVERNMENTS = "governments"


class DayCount(StrEnum):
    CALENDAR = "calendar"
    BUSINESS = "business"


class SanctionKind(StrEnum):
    """The remedies of Annex 31-A against goods of a covered facility."""

    TARIFF_PREFERENCES_SUSPENDED = "tariff_preferences_suspended"
    PENALTIES = "penalties"
    DENIAL_OF_ENTRY = "denial_of_entry"


class RemedyKind(StrEnum):
    REINSTATEMENT = "reinstatement"
    BACK_PAY = "back_pay"
    NEUTRALITY_STATEMENT = "neutrality_statement"
    TRAINING = "training"
    CONDUCT_GUIDELINES = "conduct_guidelines"
    WAGE_INCREASE = "wage_increase"
    OTHER = "other"
    SEVERANCE = "severance"
    ZERO_TOLERANCE_POLICY = "zero_tolerance_policy"
    SUPERVISED_VOTE = "supervised_vote"
    LOST_WAGES = "lost_wages"


class RemedyStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    NOT_MET = "not_met"
    VERIFIED = "verified"


class TipChannel(StrEnum):
    HOTLINE = "hotline"
    EMAIL = "email"
    IN_PERSON = "in_person"
    PARTNER = "partner"
    OTHER = "other"


class TriageStatus(StrEnum):
    NEW = "new"
    ASSESSING = "assessing"
    REFERRED = "referred"
    LINKED_TO_CASE = "linked_to_case"
    CLOSED = "closed"


class OrganizationType(StrEnum):
    """Who an organization is, for the places a visit can be held besides a facility."""

    STPS = "stps"
    CFCRL = "cfcrl"
    CONCILIATION_CENTER = "conciliation_center"
    LABOR_COURT = "labor_court"
    UNION = "union"
    NGO = "ngo"
    GRANTEE = "grantee"
    EMPLOYER_ASSOCIATION = "employer_association"
    GOVERNMENT_OTHER = "government_other"
    OTHER = "other"


class MilestoneStatus(StrEnum):
    PENDING = "pending"
    MET = "met"
    LATE = "late"
    MISSED = "missed"


LABELS: dict[StrEnum, str] = {
    Sector.AUTOS: N_("Autos"),
    Sector.AUTO_PARTS: N_("Auto parts"),
    Sector.ELECTRONICS: N_("Electronics"),
    Sector.APPAREL: N_("Apparel"),
    Sector.AEROSPACE: N_("Aerospace"),
    Sector.RUBBER_TIRES: N_("Rubber and tires"),
    Sector.AGRICULTURE: N_("Agriculture"),
    Sector.MINING: N_("Mining"),
    Sector.STEEL_ALUMINUM: N_("Steel and aluminum"),
    Sector.GLASS: N_("Glass"),
    Sector.POTTERY: N_("Pottery"),
    Sector.PLASTICS: N_("Plastics"),
    Sector.FORGINGS: N_("Forgings"),
    Sector.CEMENT: N_("Cement"),
    Sector.COSMETICS: N_("Cosmetic products"),
    Sector.BAKED_GOODS: N_("Industrial baked goods"),
    Sector.OTHER_MANUFACTURING: N_("Other manufacturing"),
    Sector.SERVICES: N_("Services"),
    Sector.OTHER: N_("Other"),
    MexicanState.AGU: "Aguascalientes",
    MexicanState.BCN: "Baja California",
    MexicanState.BCS: "Baja California Sur",
    MexicanState.CAM: "Campeche",
    MexicanState.CHP: "Chiapas",
    MexicanState.CHH: "Chihuahua",
    MexicanState.CMX: N_("Mexico City"),
    MexicanState.COA: "Coahuila",
    MexicanState.COL: "Colima",
    MexicanState.DUR: "Durango",
    MexicanState.GUA: "Guanajuato",
    MexicanState.GRO: "Guerrero",
    MexicanState.HID: "Hidalgo",
    MexicanState.JAL: "Jalisco",
    MexicanState.MEX: N_("State of Mexico"),
    MexicanState.MIC: "Michoacán",
    MexicanState.MOR: "Morelos",
    MexicanState.NAY: "Nayarit",
    MexicanState.NLE: "Nuevo León",
    MexicanState.OAX: "Oaxaca",
    MexicanState.PUE: "Puebla",
    MexicanState.QUE: "Querétaro",
    MexicanState.ROO: "Quintana Roo",
    MexicanState.SLP: "San Luis Potosí",
    MexicanState.SIN: "Sinaloa",
    MexicanState.SON: "Sonora",
    MexicanState.TAB: "Tabasco",
    MexicanState.TAM: "Tamaulipas",
    MexicanState.TLA: "Tlaxcala",
    MexicanState.VER: "Veracruz",
    MexicanState.YUC: "Yucatán",
    MexicanState.ZAC: "Zacatecas",
    LegitimationStatus.UNKNOWN: N_("Unknown"),
    LegitimationStatus.NOT_REGISTERED: N_("Not registered"),
    LegitimationStatus.PENDING: N_("Legitimation pending"),
    LegitimationStatus.LEGITIMATED: N_("Legitimated"),
    LegitimationStatus.REJECTED: N_("Rejected in the legitimation vote"),
    LegitimationStatus.TERMINATED: N_("Terminated: not legitimated by July 31, 2023"),
    LaborEventKind.LEGITIMATION_VOTE: N_("CBA legitimation vote"),
    LaborEventKind.CBA_APPROVAL_VOTE: N_("Vote approving a new CBA"),
    LaborEventKind.CBA_REVISION_VOTE: N_("Vote on a CBA revision"),
    LaborEventKind.REPRESENTATIVENESS_CERTIFICATE: N_("Certificate of representativeness"),
    LaborEventKind.UNION_ELECTION: N_("Union leadership election"),
    VisitPurpose.MONITORING: N_("Monitoring"),
    VisitPurpose.CASE_FOLLOW_UP: N_("Case follow-up"),
    VisitPurpose.GRANT_MONITORING: N_("Grant monitoring"),
    VisitPurpose.STAKEHOLDER_MEETING: N_("Stakeholder meeting"),
    VisitStatus.DRAFT: N_("Draft"),
    VisitStatus.FINAL: N_("Final"),
    ActionStatus.OPEN: N_("Open"),
    ActionStatus.DONE: N_("Done"),
    ActionStatus.CANCELLED: N_("Cancelled"),
    PersonRole.WORKER: N_("Worker"),
    PersonRole.UNION_DELEGATE: N_("Union delegate"),
    PersonRole.MANAGER: N_("Manager"),
    PersonRole.OFFICIAL: N_("Official"),
    PersonRole.NGO: N_("NGO"),
    Consent.NOT_RECORDED: N_("Not recorded"),
    Consent.GIVEN: N_("Given"),
    Consent.GIVEN_NO_QUOTES: N_("Given, no quotes"),
    Consent.WITHDRAWN: N_("Withdrawn"),
    RiskLevel.LOW: N_("Low"),
    RiskLevel.MEDIUM: N_("Medium"),
    RiskLevel.HIGH: N_("High"),
    Allegation.FREEDOM_OF_ASSOCIATION: N_("Denial of freedom of association"),
    Allegation.COLLECTIVE_BARGAINING: N_("Denial of collective bargaining"),
    Allegation.LEGITIMATION_VOTE: N_("Interference with a CBA legitimation vote"),
    Allegation.SECTOR_AGREEMENT_NOT_APPLIED: N_("Sector-wide agreement not applied"),
    Allegation.UNION_DISMISSAL: N_("Dismissal for union activity"),
    Allegation.EMPLOYER_INTERFERENCE: N_("Employer interference"),
    Allegation.PROTECTION_CONTRACT: N_("Protection contract"),
    CaseStage.PETITION_RECEIVED: N_("Petition received"),
    CaseStage.UNDER_REVIEW: N_("Under review"),
    CaseStage.REVIEW_REQUESTED: N_("Request for review sent to Mexico"),
    CaseStage.REMEDIATION_AGREED: N_("Remediation plan agreed"),
    CaseStage.MONITORING: N_("Monitoring"),
    CaseStage.CLOSED: N_("Closed"),
    CaseStage.FURTHER_REVIEW: N_("Further review by the ILC"),
    CaseStage.EVIDENCE_SUFFICIENT: N_("ILC: sufficient, credible evidence"),
    CaseStage.EVIDENCE_INSUFFICIENT: N_("ILC: evidence insufficient (closed)"),
    CaseStage.MEXICO_REVIEWING: N_("Mexico reviewing"),
    CaseStage.MEXICO_DECLINED: N_("Mexico declined to review"),
    CaseStage.DENIAL_FOUND: N_("Mexico found a denial of rights"),
    CaseStage.NO_DENIAL_FOUND: N_("Mexico found no denial of rights"),
    CaseStage.REMEDIATION_NOT_VERIFIED: N_("Remediation not verified"),
    CaseStage.PANEL_REQUESTED: N_("Panel requested"),
    CaseStage.PANEL_CONSTITUTED: N_("Panel constituted"),
    CaseStage.PANEL_VERIFYING: N_("Panel verification"),
    CaseStage.PANEL_FOUND_DENIAL: N_("Panel found a denial of rights"),
    CaseStage.REMEDIES_IMPOSED: N_("Remedies imposed"),
    CaseType.RRM_PETITION: N_("RRM, on a petition"),
    CaseType.RRM_SELF_INITIATED: N_("RRM, self-initiated by the United States"),
    CaseType.LABOR_CHAPTER: N_("Labor Chapter submission"),
    CaseEvent.PETITION_RECEIVED: N_("Petition received"),
    CaseEvent.FURTHER_REVIEW: N_("ILC decided on further review"),
    CaseEvent.ILC_SUFFICIENT: N_("ILC determination: sufficient, credible evidence"),
    CaseEvent.ILC_INSUFFICIENT: N_("ILC determination: evidence insufficient"),
    CaseEvent.CERTIFICATION_SENT: N_("Certification sent to Congress and the petitioner"),
    CaseEvent.REVIEW_REQUESTED: N_("Request for review sent to Mexico"),
    CaseEvent.LIQUIDATION_SUSPENDED: N_("Customs liquidation suspended"),
    CaseEvent.LIQUIDATION_RESUMED: N_("Customs liquidation resumed"),
    CaseEvent.MEXICO_AGREED_TO_REVIEW: N_("Mexico's notice: it will review"),
    CaseEvent.MEXICO_DECLINED: N_("Mexico's notice: it declines to review"),
    CaseEvent.MEXICO_FOUND_DENIAL: N_("Mexico's results: denial of rights"),
    CaseEvent.MEXICO_FOUND_NO_DENIAL: N_("Mexico's results: no denial of rights"),
    CaseEvent.REMEDIATION_AGREED: N_("Course of remediation agreed"),
    CaseEvent.REMEDIATION_VERIFIED: N_("Remediation verified"),
    CaseEvent.REMEDIATION_NOT_VERIFIED: N_("Remediation not verified"),
    CaseEvent.PANEL_REQUESTED: N_("Panel requested"),
    CaseEvent.PANEL_CONSTITUTED: N_("Panel constituted"),
    CaseEvent.VERIFICATION_REQUESTED: N_("Panel requested a verification"),
    CaseEvent.VERIFICATION_HELD: N_("Verification held"),
    CaseEvent.PANEL_FOUND_DENIAL: N_("Panel determination: denial of rights"),
    CaseEvent.PANEL_FOUND_NO_DENIAL: N_("Panel determination: no denial of rights"),
    CaseEvent.PANEL_NO_JURISDICTION: N_("Panel determination: no jurisdiction"),
    CaseEvent.REMEDIES_IMPOSED: N_("Remedies imposed"),
    CaseEvent.REMEDIES_LIFTED: N_("Remedies lifted"),
    CaseEvent.CASE_CLOSED: N_("Case closed"),
    RemediationParty.NONE: N_("Not agreed"),
    RemediationParty.COMPANY: N_("With the company"),
    RemediationParty.GOVERNMENTS: N_("Between the governments"),
    DayCount.CALENDAR: N_("Calendar days"),
    DayCount.BUSINESS: N_("Business days (Monday to Friday)"),
    SanctionKind.TARIFF_PREFERENCES_SUSPENDED: N_("Suspension of preferential tariff treatment"),
    SanctionKind.PENALTIES: N_("Penalties on goods or services"),
    SanctionKind.DENIAL_OF_ENTRY: N_("Denial of entry of goods"),
    RemedyKind.REINSTATEMENT: N_("Reinstatement"),
    RemedyKind.BACK_PAY: N_("Back pay (wage differences)"),
    RemedyKind.NEUTRALITY_STATEMENT: N_("Neutrality statement"),
    RemedyKind.TRAINING: N_("Manager and worker training"),
    RemedyKind.CONDUCT_GUIDELINES: N_("Conduct guidelines"),
    RemedyKind.WAGE_INCREASE: N_("Wage increase"),
    RemedyKind.OTHER: N_("Other"),
    RemedyKind.SEVERANCE: N_("Severance"),
    RemedyKind.ZERO_TOLERANCE_POLICY: N_("Zero-tolerance policy"),
    RemedyKind.SUPERVISED_VOTE: N_("Supervised vote"),
    RemedyKind.LOST_WAGES: N_("Lost wages after dismissal"),
    RemedyStatus.PENDING: N_("Pending"),
    RemedyStatus.IN_PROGRESS: N_("In progress"),
    RemedyStatus.COMPLETED: N_("Completed"),
    RemedyStatus.NOT_MET: N_("Not met"),
    RemedyStatus.VERIFIED: N_("Verified"),
    TipChannel.HOTLINE: N_("USMCA hotline"),
    TipChannel.EMAIL: N_("Email"),
    TipChannel.IN_PERSON: N_("In person"),
    TipChannel.PARTNER: N_("Partner organization"),
    TipChannel.OTHER: N_("Other"),
    TriageStatus.NEW: N_("New"),
    TriageStatus.ASSESSING: N_("Assessing"),
    TriageStatus.REFERRED: N_("Referred"),
    TriageStatus.LINKED_TO_CASE: N_("Linked to a case"),
    TriageStatus.CLOSED: N_("Closed"),
    OrganizationType.STPS: N_("Ministry of Labor (STPS)"),
    OrganizationType.CFCRL: N_("Federal Center for Conciliation and Labor Registration (CFCRL)"),
    OrganizationType.CONCILIATION_CENTER: N_("Local conciliation center"),
    OrganizationType.LABOR_COURT: N_("Labor court"),
    OrganizationType.UNION: N_("Union"),
    OrganizationType.NGO: N_("Civil society organization"),
    OrganizationType.GRANTEE: N_("Grantee"),
    OrganizationType.EMPLOYER_ASSOCIATION: N_("Employer association"),
    OrganizationType.GOVERNMENT_OTHER: N_("Other government office"),
    OrganizationType.OTHER: N_("Other"),
    MilestoneStatus.PENDING: N_("Pending"),
    MilestoneStatus.MET: N_("Met"),
    MilestoneStatus.LATE: N_("Late"),
    MilestoneStatus.MISSED: N_("Missed"),
}


def label(choice: StrEnum) -> str:
    """The translated, human label of a choice."""
    return _(LABELS[choice])


# Lists of names rather than steps or degrees: pickers show them by their label in the language
# in use. Every other list keeps its declared order (draft before final, low before high risk).
BY_LABEL: frozenset[type[StrEnum]] = frozenset({MexicanState, Sector})


def picker_order(choices: Iterable[StrEnum]) -> list[StrEnum]:
    """The members as a picker lists them: a list of names by label (accents and case
    ignored, "Other…" kept last), any other list as declared."""
    members = list(choices)
    if not members or type(members[0]) not in BY_LABEL:
        return members
    named = [m for m in members if not m.value.startswith("other")]
    others = [m for m in members if m.value.startswith("other")]
    return sorted(named, key=lambda member: collation_key(label(member))) + others


def collation_key(text: str) -> str:
    """A sort key that reads as a person expects in English and Spanish: "Michoacán" with
    the Ms, "Ñ" beside "N", case ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
