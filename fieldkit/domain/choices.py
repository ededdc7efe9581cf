"""The closed vocabularies of the work, each value with a translatable label."""

from __future__ import annotations

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
    PETITION_RECEIVED = "petition_received"
    UNDER_REVIEW = "under_review"
    REVIEW_REQUESTED = "review_requested"
    REMEDIATION_AGREED = "remediation_agreed"
    MONITORING = "monitoring"
    CLOSED = "closed"


class RemedyKind(StrEnum):
    REINSTATEMENT = "reinstatement"
    BACK_PAY = "back_pay"
    NEUTRALITY_STATEMENT = "neutrality_statement"
    TRAINING = "training"
    CONDUCT_GUIDELINES = "conduct_guidelines"
    WAGE_INCREASE = "wage_increase"
    OTHER = "other"


class RemedyStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    NOT_MET = "not_met"


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
    RemedyKind.REINSTATEMENT: N_("Reinstatement"),
    RemedyKind.BACK_PAY: N_("Back pay"),
    RemedyKind.NEUTRALITY_STATEMENT: N_("Neutrality statement"),
    RemedyKind.TRAINING: N_("Manager and worker training"),
    RemedyKind.CONDUCT_GUIDELINES: N_("Conduct guidelines"),
    RemedyKind.WAGE_INCREASE: N_("Wage increase"),
    RemedyKind.OTHER: N_("Other"),
    RemedyStatus.PENDING: N_("Pending"),
    RemedyStatus.IN_PROGRESS: N_("In progress"),
    RemedyStatus.COMPLETED: N_("Completed"),
    RemedyStatus.NOT_MET: N_("Not met"),
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
    MilestoneStatus.PENDING: N_("Pending"),
    MilestoneStatus.MET: N_("Met"),
    MilestoneStatus.LATE: N_("Late"),
    MilestoneStatus.MISSED: N_("Missed"),
}


def label(choice: StrEnum) -> str:
    """The translated, human label of a choice."""
    return _(LABELS[choice])
