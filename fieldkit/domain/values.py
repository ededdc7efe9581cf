"""Small value objects that live inside a record (a visit's follow-up actions, a grant's
disbursements). They travel with their record as one field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from fieldkit.domain import fields as f
from fieldkit.domain.choices import (
    ActionStatus,
    CaseEvent,
    DayCount,
    LaborEventKind,
    MilestoneStatus,
    PersonRole,
    RemedyKind,
    SanctionKind,
)
from fieldkit.domain.choices import RemedyStatus as RS
from fieldkit.i18n import N_


@dataclass(frozen=True, kw_only=True)
class PersonMet(f.Model):
    role: PersonRole = f.choice(N_("Role"), PersonRole, PersonRole.WORKER)
    description: str = f.text(N_("Description"))
    count: int = f.integer(N_("Number of people"), default=1)


@dataclass(frozen=True, kw_only=True)
class FollowUp(f.Model):
    action: str = f.text(N_("Action"), required=True)
    owner: str = f.text(N_("Owner"))
    due: dt.date | None = f.date(N_("Due date"))
    status: ActionStatus = f.choice(N_("Status"), ActionStatus, ActionStatus.OPEN)


@dataclass(frozen=True, kw_only=True)
class Remedy(f.Model):
    kind: RemedyKind = f.choice(N_("Remedy"), RemedyKind, RemedyKind.OTHER)
    description: str = f.text(N_("Description"))
    status: RS = f.choice(N_("Status"), RS, RS.PENDING)
    evidence: str = f.text(N_("Evidence"), max_length=f.LONGTEXT_MAX)


@dataclass(frozen=True, kw_only=True)
class Deadline(f.Model):
    label: str = f.text(N_("Deadline"), required=True)
    due: dt.date | None = f.date(N_("Due date"), required=True)
    done: bool = f.flag(N_("Done"))


@dataclass(frozen=True, kw_only=True)
class CaseStep(f.Model):
    """One dated event of a case: a trigger its clocks run from and a step of its lifecycle."""

    event: CaseEvent = f.choice(N_("Event"), CaseEvent, CaseEvent.PETITION_RECEIVED)
    on: dt.date | None = f.date(N_("Date"), required=True)
    note: str = f.text(N_("Note"), max_length=f.LONGTEXT_MAX)


@dataclass(frozen=True, kw_only=True)
class ClockOverride(f.Model):
    """A case's own count for one clock of the rule table, and why."""

    rule: str = f.text(N_("Clock"), required=True, search=False)
    days: int = f.integer(N_("Days (0: as the rule says)"))
    count: DayCount | None = f.choice(N_("Count in"), DayCount, None)
    due: dt.date | None = f.date(N_("Due date set by hand"))
    reason: str = f.text(N_("Reason"), required=True)


@dataclass(frozen=True, kw_only=True)
class Sanction(f.Model):
    """A remedy of Annex 31-A on the facility's goods, from when to when."""

    kind: SanctionKind = f.choice(
        N_("Annex 31-A remedy"), SanctionKind, SanctionKind.TARIFF_PREFERENCES_SUSPENDED
    )
    imposed_on: dt.date | None = f.date(N_("Imposed on"), required=True)
    lifted_on: dt.date | None = f.date(N_("Lifted on"))
    note: str = f.text(N_("Note"))


@dataclass(frozen=True, kw_only=True)
class LaborEvent(f.Model):
    """One entry of a facility's labor history, as registered with the CFCRL."""

    kind: LaborEventKind = f.choice(N_("Event"), LaborEventKind, LaborEventKind.LEGITIMATION_VOTE)
    on: dt.date | None = f.date(N_("Date"), required=True)
    cfcrl_file: str = f.text(N_("CFCRL file"))
    eligible: int = f.integer(N_("Eligible workers"))
    voted: int = f.integer(N_("Votes cast"))
    result: str = f.text(N_("Result"))


@dataclass(frozen=True, kw_only=True)
class Disbursement(f.Model):
    paid_on: dt.date | None = f.date(N_("Date"), required=True)
    amount: Decimal | None = f.money(N_("Amount (USD)"), required=True)
    note: str = f.text(N_("Note"))


@dataclass(frozen=True, kw_only=True)
class Milestone(f.Model):
    title: str = f.text(N_("Milestone"), required=True)
    due: dt.date | None = f.date(N_("Due date"))
    status: MilestoneStatus = f.choice(N_("Status"), MilestoneStatus, MilestoneStatus.PENDING)
    evidence: str = f.text(N_("Evidence"), max_length=f.LONGTEXT_MAX)


@dataclass(frozen=True, kw_only=True)
class Indicator(f.Model):
    name: str = f.text(N_("Indicator"), required=True)
    unit: str = f.text(N_("Unit"))
    baseline: Decimal | None = f.number(N_("Baseline"))
    target: Decimal | None = f.number(N_("Target"))
    actual: Decimal | None = f.number(N_("Actual"))


@dataclass(frozen=True, kw_only=True)
class GrantReportFiled(f.Model):
    """A grantee's report for one reporting period, by the period's last day."""

    period_end: dt.date | None = f.date(N_("Period ending"), required=True)
    submitted_on: dt.date | None = f.date(N_("Submitted on"))
    note: str = f.text(N_("Note"))


@dataclass(frozen=True, kw_only=True)
class IndicatorActual(f.Model):
    """An indicator's actual value for one reporting period."""

    indicator: str = f.text(N_("Indicator"), required=True)
    period_end: dt.date | None = f.date(N_("Period ending"), required=True)
    actual: Decimal | None = f.number(N_("Actual"))
