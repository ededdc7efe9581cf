"""Report models built by hand from domain records (no vault): the two real cases of the seed
page, a grant, and a period with many visits."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from fieldkit.domain.choices import (
    ActionStatus,
    Allegation,
    CaseStage,
    Consent,
    LegitimationStatus,
    MexicanState,
    MilestoneStatus,
    PersonRole,
    RemedyKind,
    RemedyStatus,
    RiskLevel,
    Sector,
    TipChannel,
    TriageStatus,
    VisitPurpose,
    VisitStatus,
)
from fieldkit.domain.records import Attachment, Case, Facility, Grant, Interview, Tip, Visit
from fieldkit.domain.values import (
    Deadline,
    Disbursement,
    FollowUp,
    Indicator,
    Milestone,
    PersonMet,
    Remedy,
)
from fieldkit.reports.model import (
    CaseReport,
    GrantReport,
    PeriodReport,
    Profile,
    ReportOptions,
    VisitReport,
)

GENERATED = dt.datetime(2026, 3, 20, 15, 30, tzinfo=dt.UTC)
PSEUDONYM = "Zorzal-Q7X"
FINDING = "Management did not post the neutrality statement in the cafeteria."
ACTION = "Confirm reinstatement of the eight workers with the CFCRL"
LOREM = (
    "Workers on the second shift described the legitimation vote and the pressure they felt "
    "from supervisors before the ballot; several asked that their names not be recorded. "
)


def options(
    language: str = "en_US", profile: Profile = Profile.SHAREABLE, author: str = "A. Rivera"
) -> ReportOptions:
    return ReportOptions(language=language, profile=profile, author=author, generated_at=GENERATED)


def tire_plant() -> Facility:
    return Facility(
        name="Llantas del Potosí, planta San Luis",
        employer="Llantas del Potosí S.A. de C.V.",
        parent_company="Global Tire Holdings",
        sector=Sector.RUBBER_TIRES,
        state=MexicanState.SLP,
        municipality="San Luis Potosí",
        unions=("Sindicato Independiente de Trabajadores", "Sindicato Nacional del Hule"),
        cba_registration="CFCRL/SLP/2023/0457",
        cba_legitimation=LegitimationStatus.REJECTED,
        sector_agreement="Contrato-ley de la industria del hule",
        priority_sector=True,
    )


def car_plant() -> Facility:
    return Facility(
        name="Autowerk Puebla assembly plant",
        employer="Autowerk México",
        parent_company="Autowerk AG",
        sector=Sector.AUTOS,
        state=MexicanState.PUE,
        municipality="Cuautlancingo",
    )


def interview(pseudonym: str = "", **kw: object) -> Interview:
    fields: dict[str, object] = {
        "held_on": dt.date(2026, 3, 4),
        "language": "Spanish",
        "role": PersonRole.WORKER,
        "consent": Consent.GIVEN,
        "consent_scope": "Notes may be shared without name",
        "risk": RiskLevel.HIGH,
        "notes": "Dismissed after attending a union assembly. " * 20,
        "follow_ups": (FollowUp(action="Refer to legal aid NGO", owner="A. Rivera"),),
        **kw,
    }
    return Interview(pseudonym=pseudonym, **fields)  # type: ignore[arg-type]


def visit_report(
    *,
    language: str = "en_US",
    profile: Profile = Profile.SHAREABLE,
    findings: str = FINDING,
    interviews: tuple[Interview, ...] | None = None,
    follow_ups: int = 3,
    author: str = "A. Rivera",
) -> VisitReport:
    facility = tire_plant()
    grant = Grant(award_number="IL-31234-17-75-K", name="Labor justice in the Bajío", grantee="X")
    visit = Visit(
        facility_id=facility.id,
        grant_id=grant.id,
        start_date=dt.date(2026, 3, 4),
        end_date=dt.date(2026, 3, 5),
        purpose=VisitPurpose.CASE_FOLLOW_UP,
        attaches=("A. Rivera", "M. Chen"),
        people_met=(
            PersonMet(role=PersonRole.WORKER, description="Second-shift line workers", count=9),
            PersonMet(role=PersonRole.MANAGER, description="HR director", count=1),
        ),
        observations="The plant posted the sector-wide agreement's wage table.",
        findings=findings,
        follow_ups=tuple(
            FollowUp(
                action=f"{ACTION} (item {n})",
                owner="M. Chen",
                due=dt.date(2026, 4, 1) + dt.timedelta(days=n),
                status=ActionStatus.OPEN,
            )
            for n in range(1, follow_ups + 1)
        ),
        status=VisitStatus.FINAL,
    )
    if interviews is None:
        interviews = (interview(), interview(role=PersonRole.UNION_DELEGATE))
    files = (
        Attachment(
            record_kind="visit",
            record_id=visit.id,
            filename="wage-table-photo.jpg",
            media_type="image/jpeg",
            size=2_345_678,
            sha256="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        ),
    )
    return VisitReport(
        options(language, profile, author), visit, facility, grant, interviews, files
    )


def case_report(language: str = "en_US", profile: Profile = Profile.SHAREABLE) -> CaseReport:
    facility = car_plant()
    visit = Visit(facility_id=facility.id, start_date=dt.date(2025, 11, 3))
    case = Case(
        reference="RRM-2025-04",
        facility_id=facility.id,
        petitioner="Independent union and a U.S. labor federation",
        received_on=dt.date(2025, 9, 15),
        allegations=(Allegation.UNION_DISMISSAL, Allegation.FREEDOM_OF_ASSOCIATION),
        stage=CaseStage.REMEDIATION_AGREED,
        summary="Ten workers were fired for union activity. " * 10,
        remedies=(
            Remedy(
                kind=RemedyKind.REINSTATEMENT,
                description="Eight workers reinstated",
                status=RemedyStatus.COMPLETED,
                evidence="Signed reinstatement letters",
            ),
            Remedy(kind=RemedyKind.BACK_PAY, status=RemedyStatus.IN_PROGRESS),
            Remedy(kind=RemedyKind.NEUTRALITY_STATEMENT, status=RemedyStatus.PENDING),
        ),
        deadlines=(Deadline(label="Remediation plan due", due=dt.date(2026, 1, 10), done=True),),
        visit_ids=(visit.id,),
    )
    tip = Tip(
        received_on=dt.date(2025, 9, 1),
        channel=TipChannel.HOTLINE,
        subject="Dismissals after union assembly",
        triage=TriageStatus.LINKED_TO_CASE,
    )
    return CaseReport(
        options(language, profile),
        case,
        facility,
        (visit,),
        (interview(),),
        (tip,),
        {facility.id: facility},
    )


def grant_report(language: str = "en_US") -> GrantReport:
    facility = tire_plant()
    grant = Grant(
        award_number="IL-35000-21-75-K",
        name="Strengthening labor justice institutions",
        grantee="Centro de Estudios Laborales",
        amount=Decimal("2500000"),
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2026, 12, 31),
        objectives="Train conciliators of the CFCRL and labor court staff.",
        sectors=(Sector.AUTOS, Sector.RUBBER_TIRES),
        states=(MexicanState.SLP, MexicanState.GUA),
        disbursements=(
            Disbursement(paid_on=dt.date(2024, 2, 1), amount=Decimal("500000"), note="First"),
            Disbursement(paid_on=dt.date(2024, 9, 15), amount=Decimal("750000.50")),
            Disbursement(paid_on=dt.date(2025, 6, 30), amount=Decimal("400000")),
        ),
        milestones=(
            Milestone(title="Baseline study", due=dt.date(2024, 6, 30), status=MilestoneStatus.MET),
            Milestone(title="200 conciliators trained", due=dt.date(2025, 12, 31)),
        ),
        indicators=(
            Indicator(
                name="Conciliators trained",
                unit="people",
                baseline=Decimal(0),
                target=Decimal(200),
                actual=Decimal(134),
            ),
        ),
    )
    visit = Visit(
        facility_id=facility.id,
        grant_id=grant.id,
        start_date=dt.date(2025, 5, 12),
        purpose=VisitPurpose.GRANT_MONITORING,
    )
    return GrantReport(options(language), grant, (visit,), {facility.id: facility})


def period_report(count: int = 40, language: str = "en_US") -> PeriodReport:
    # The nine sectors of the first release, in their order (the test counts by them).
    sectors = itertools.cycle([*list(Sector)[:8], Sector.OTHER])
    states = itertools.cycle(list(MexicanState)[:12])
    facilities = [
        Facility(name=f"Planta {n:03d}", sector=next(sectors), state=next(states))
        for n in range(max(1, count // 4))
    ]
    start = dt.date(2026, 1, 1)
    visits = tuple(
        Visit(
            facility_id=facilities[n % len(facilities)].id,
            start_date=start + dt.timedelta(days=n % 90),
            purpose=list(VisitPurpose)[n % 4],
        )
        for n in range(count)
    )
    return PeriodReport(
        options(language),
        start,
        dt.date(2026, 3, 31),
        visits,
        {f.id: f for f in facilities},
    )
