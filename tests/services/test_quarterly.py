"""The quarterly report to the ILC on a real vault: its counts equal direct queries of the
vault, and it carries no pseudonym and no interview text, shareable and CUI by default."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from fieldkit.domain.choices import (
    CaseEvent,
    CaseType,
    Consent,
    MilestoneStatus,
    PersonRole,
    RemedyKind,
    RemedyStatus,
    TriageStatus,
)
from fieldkit.domain.records import Case, Facility, Grant, Interview, Tip, Visit
from fieldkit.domain.values import CaseStep, Milestone, Remedy
from fieldkit.reports import render
from fieldkit.reports.model import Profile, ReportOptions
from fieldkit.services.quarterly import build_quarterly_report, quarter_span
from fieldkit.services.vault import Vault
from tests.reports.pdfcheck import flat

IN_Q = dt.date(2026, 11, 3)
BEFORE = dt.date(2026, 8, 20)
SECRETS = ("Garza-7781", "el supervisor la amenazó en la línea 3", "Fonda La Esperanza")


@pytest.fixture
def filled(vault: Vault) -> Vault:
    r = vault.records
    plant = r.create(Facility(name="Frenos Juárez"))
    for day in (IN_Q, IN_Q, BEFORE):
        r.create(Visit(facility_id=plant.id, start_date=day))
    roles = (PersonRole.WORKER, PersonRole.WORKER, PersonRole.UNION_DELEGATE, PersonRole.WORKER)
    for index, role in enumerate(roles):
        r.create(
            Interview(
                facility_id=plant.id,
                held_on=BEFORE if index == 3 else IN_Q,
                pseudonym=SECRETS[0] if index == 0 else f"W-{index}",
                place=SECRETS[2],
                role=role,
                consent=Consent.GIVEN,
                notes=SECRETS[1],
            )
        )
    for triage, day in (
        (TriageStatus.NEW, IN_Q),
        (TriageStatus.NEW, IN_Q),
        (TriageStatus.REFERRED, IN_Q),
        (TriageStatus.CLOSED, BEFORE),
    ):
        r.create(Tip(received_on=day, subject="Reporte", triage=triage))
    r.create(
        Case(
            reference="RRM-2026-19",
            facility_id=plant.id,
            received_on=dt.date(2026, 9, 29),
            case_type=CaseType.RRM_PETITION,
            events=(
                CaseStep(event=CaseEvent.PETITION_RECEIVED, on=dt.date(2026, 9, 29)),
                CaseStep(event=CaseEvent.ILC_SUFFICIENT, on=dt.date(2026, 10, 20)),
                CaseStep(event=CaseEvent.REVIEW_REQUESTED, on=dt.date(2026, 10, 20)),
            ),
            remedies=(
                Remedy(kind=RemedyKind.REINSTATEMENT, status=RemedyStatus.VERIFIED),
                Remedy(kind=RemedyKind.LOST_WAGES, status=RemedyStatus.PENDING),
            ),
        )
    )
    r.create(
        Grant(
            award_number="IL-1",
            name="Voces",
            grantee="ONG",
            amount=Decimal(100),
            milestones=(
                Milestone(title="Informe de línea base", due=IN_Q, status=MilestoneStatus.MET),
                Milestone(title="Fuera del trimestre", due=BEFORE),
            ),
        )
    )
    return vault


def direct_count(vault: Vault, sql: str, *params: object) -> dict[str, int]:
    with vault.store._reading() as db:
        return {str(key): int(n) for key, n in db.execute(sql, params).fetchall()}


def test_counts_equal_direct_queries(filled: Vault) -> None:
    start, end = quarter_span(2026, 4)
    report = build_quarterly_report(filled.records, 2026, 4, "Monterrey", ReportOptions("en_US"))
    span = (start.isoformat(), end.isoformat())
    roles = direct_count(
        filled,
        "SELECT role, count(*) FROM interviews WHERE deleted = 0 AND held_on BETWEEN ? AND ? "
        "GROUP BY role",
        *span,
    )
    assert {r.value: n for r, n in report.interviews_by_role if n} == roles
    triage = direct_count(
        filled,
        "SELECT triage, count(*) FROM tips WHERE deleted = 0 AND received_on BETWEEN ? AND ? "
        "GROUP BY triage",
        *span,
    )
    assert {s.value: n for s, n in report.tips_by_triage if n} == triage
    visits = direct_count(
        filled,
        "SELECT 'visits', count(*) FROM visits WHERE deleted = 0 AND start_date BETWEEN ? AND ?",
        *span,
    )
    assert len(report.visits) == visits["visits"] == 2
    assert (report.remedies_verified, report.remedies_total) == (1, 2)
    assert [m.title for m in report.milestones] == ["Informe de línea base"]
    assert [c.case.reference for c in report.cases] == ["RRM-2026-19"]


def test_the_pdf_holds_no_pseudonym_or_interview_text(filled: Vault, tmp_path: Path) -> None:
    options = ReportOptions("es_MX")
    assert options.profile is Profile.SHAREABLE and options.marking == "CUI"
    report = build_quarterly_report(filled.records, 2026, 4, "Monterrey", options)
    pdf = render(report)
    text = flat(pdf)
    for secret in (*SECRETS, "W-1", "W-2"):
        assert secret not in text
    for expected in (
        "Informe trimestral al Comité Laboral Interinstitucional",
        "Monterrey",
        "RRM-2026-19",
        "Aviso de México sobre si realizará la revisión",
        "Trabajador",
        "CUI",
    ):
        assert expected in text, expected
    size = filled.reports.export_pdf(report, tmp_path / "q4.pdf")
    assert size == len((tmp_path / "q4.pdf").read_bytes())


def test_a_quarter_is_one_to_four() -> None:
    assert quarter_span(2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert quarter_span(2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValueError):
        quarter_span(2026, 5)
