"""What services hand the report renderer. The renderer never queries: every record it shows
is here, already redacted for the chosen profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from fieldkit.domain.records import (
    Attachment,
    Case,
    Facility,
    Grant,
    Interview,
    Organization,
    Tip,
    Visit,
)
from fieldkit.i18n import N_


class Profile(StrEnum):
    """Who a report is for. Shareable (the default) carries no text written about an
    interviewee except the summaries written for sharing: services strip interviews and tips
    before rendering, and the renderer prints only counts and those summaries."""

    INTERNAL = "internal"
    SHAREABLE = "shareable"


PROFILE_LABELS = {
    Profile.INTERNAL: N_("Internal (HQ)"),
    Profile.SHAREABLE: N_("Shareable: interviewee identities removed"),
}

# What each profile includes, in plain words, for the export dialog.
PROFILE_CONTENTS = {
    Profile.SHAREABLE: N_(
        "For readers beyond HQ. Interviews appear only as a count by role "
        "group and the summaries written for sharing; no pseudonyms, dates, places, languages, "
        "notes, risk or safe-contact notes. Linked tips appear only as a count. Findings, "
        "observations and other text about the visit, case or grant are printed as written."
    ),
    Profile.INTERNAL: N_(
        "For HQ only. Everything recorded: each interview's pseudonym, date, place, notes, "
        "risk notes and safe-contact notes, and each tip's subject. Interviews whose consent "
        'is "Given, no quotes" appear without their notes or summary for sharing.'
    ),
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
    interviews: tuple[Interview, ...]  # stripped by services unless internal
    attachments: tuple[Attachment, ...]
    organization: Organization | None = None  # where a visit not at a facility was held


@dataclass(frozen=True)
class CaseReport:
    options: ReportOptions
    case: Case
    facility: Facility | None
    visits: tuple[Visit, ...]
    interviews: tuple[Interview, ...]  # stripped as above
    tips: tuple[Tip, ...]  # stripped as above
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
    scope: str = ""  # whose work, in reviewer mode ("Attaché: Ana Pérez", "Post: Monterrey")


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
