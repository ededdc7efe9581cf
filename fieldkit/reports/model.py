"""What services hand the report renderer. The renderer never queries: every record it shows
is here, already redacted for the chosen profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from fieldkit.domain.records import Attachment, Case, Facility, Grant, Interview, Tip, Visit
from fieldkit.i18n import N_


class Profile(StrEnum):
    """Who a report is for. Shareable (the default) carries nothing that could identify an
    interviewee: services blank every `identifying` field before rendering."""

    INTERNAL = "internal"
    SHAREABLE = "shareable"


PROFILE_LABELS = {
    Profile.INTERNAL: N_("Internal (HQ)"),
    Profile.SHAREABLE: N_("Shareable: interviewee identities removed"),
}

DEFAULT_MARKING = "CUI"


@dataclass(frozen=True)
class ReportOptions:
    language: str  # "en_US" or "es_MX": the report's, not the interface's
    profile: Profile = Profile.SHAREABLE
    marking: str = DEFAULT_MARKING  # banner at the top and bottom of every page
    author: str = ""  # the attaché signing the report; blank leaves a line to sign on
    generated_at: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class VisitReport:
    options: ReportOptions
    visit: Visit
    facility: Facility | None
    grant: Grant | None
    interviews: tuple[Interview, ...]  # redacted: identifying fields are "" when shareable
    attachments: tuple[Attachment, ...]


@dataclass(frozen=True)
class CaseReport:
    options: ReportOptions
    case: Case
    facility: Facility | None
    visits: tuple[Visit, ...]
    interviews: tuple[Interview, ...]  # redacted as above
    tips: tuple[Tip, ...]
    facilities: Mapping[str, Facility]  # the facilities the visits point at, by id


@dataclass(frozen=True)
class GrantReport:
    options: ReportOptions
    grant: Grant
    visits: tuple[Visit, ...]  # monitoring visits linked to the grant
    facilities: Mapping[str, Facility]


@dataclass(frozen=True)
class PeriodReport:
    options: ReportOptions
    start: dt.date
    end: dt.date
    visits: tuple[Visit, ...]  # every visit that starts in [start, end]
    facilities: Mapping[str, Facility]  # by id, for sector and state grouping


@dataclass(frozen=True)
class QuarterCase:
    """A case as the quarterly report shows it: the case (no interview ever travels with it)
    and its facility's name."""

    case: Case
    facility_name: str


@dataclass(frozen=True)
class QuarterMilestone:
    grant_title: str
    award_number: str
    title: str
    due: dt.date | None
    status: StrEnum


@dataclass(frozen=True)
class QuarterlyReport:
    """The quarterly report to the Interagency Labor Committee: counts and cases, never an
    interview's words or an interviewee's pseudonym (interviews travel as counts by role)."""

    options: ReportOptions
    year: int
    quarter: int
    post: str  # the attaché post the report is from (a label: records carry no post)
    start: dt.date
    end: dt.date
    cases: tuple[QuarterCase, ...]
    remedies_verified: int
    remedies_total: int
    tips_by_triage: tuple[tuple[StrEnum, int], ...]
    interviews_by_role: tuple[tuple[StrEnum, int], ...]
    visits: tuple[Visit, ...]
    facilities: Mapping[str, Facility]
    milestones: tuple[QuarterMilestone, ...]


Report = VisitReport | CaseReport | GrantReport | PeriodReport | QuarterlyReport
