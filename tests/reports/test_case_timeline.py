"""The case summary follows a case's path: its branch, clocks with due and actual dates,
lateness, the suspension of customs liquidation and the Annex 31-A remedies."""

from __future__ import annotations

import dataclasses
import datetime as dt

from fieldkit.domain.choices import CaseEvent as E
from fieldkit.domain.choices import CaseStage, CaseType, DayCount, SanctionKind
from fieldkit.domain.records import Case
from fieldkit.domain.values import CaseStep, ClockOverride, Sanction
from fieldkit.reports import render
from tests.reports import samples
from tests.reports.pdfcheck import flat

D = dt.date


def tridonex_like() -> Case:
    steps = (
        (E.PETITION_RECEIVED, D(2021, 5, 10), "AFL-CIO, SEIU, Public Citizen, SNITIS"),
        (E.ILC_SUFFICIENT, D(2021, 6, 9), ""),
        (E.REVIEW_REQUESTED, D(2021, 6, 9), ""),
        (E.LIQUIDATION_SUSPENDED, D(2021, 6, 9), ""),
        (E.MEXICO_AGREED_TO_REVIEW, D(2021, 6, 19), ""),
        (E.MEXICO_FOUND_NO_DENIAL, D(2021, 7, 24), "Facts before entry into force"),
        (E.REMEDIATION_AGREED, D(2021, 8, 10), "Company action plan"),
        (E.LIQUIDATION_RESUMED, D(2021, 8, 10), ""),
    )
    return dataclasses.replace(
        samples.case_report().case,
        case_type=CaseType.RRM_PETITION,
        stage=CaseStage.REMEDIATION_AGREED,
        events=tuple(CaseStep(event=e, on=on, note=note) for e, on, note in steps),
        mexico_grounds="The facts alleged took place before the USMCA entered into force.",
    )


def test_the_case_path_its_branch_and_clocks() -> None:
    report = samples.case_report()
    report = dataclasses.replace(report, case=tridonex_like())
    text = flat(render(report))
    for expected in (
        "Path of the case",
        "Mexico's results: no denial of rights",
        "Branch: Petition received → ILC: sufficient, credible evidence → Request for review "
        "sent to Mexico → Mexico reviewing → Mexico found no denial of rights → Remediation "
        "plan agreed",
        "What may come next: Remediation verified; Remediation not verified; Case closed",
        "From Jun 9, 2021 to Aug 10, 2021",
        "Deadline clocks",
        "Mexico's notice whether it will review",
        "Jun 19, 2021",
        "Results of Mexico's review",
        "Jul 24, 2021",
        "Met",
        "Article 31-A.4",
        "The facts alleged took place before the USMCA entered into force.",
    ):
        assert expected in text, expected
    assert "Late by" not in text and "OVERDUE" not in text


def test_late_overdue_and_overridden_clocks_are_flagged() -> None:
    case = dataclasses.replace(
        samples.case_report().case,
        case_type=CaseType.RRM_SELF_INITIATED,
        stage=CaseStage.MEXICO_REVIEWING,
        events=(
            CaseStep(event=E.REVIEW_REQUESTED, on=D(2025, 9, 1)),
            CaseStep(event=E.MEXICO_AGREED_TO_REVIEW, on=D(2025, 9, 14)),
        ),
        clock_overrides=(
            ClockOverride(rule="mexico_results", count=DayCount.BUSINESS, reason="Acuerdo"),
        ),
        sanctions=(Sanction(kind=SanctionKind.DENIAL_OF_ENTRY, imposed_on=D(2025, 12, 1)),),
    )
    report = dataclasses.replace(samples.case_report(), case=case)
    text = flat(render(report))  # generated on the samples' date, long after both clocks
    assert "Late by 3 days" in text  # the notice came on day 13 of 10
    assert "(set for this case: Acuerdo)" in text and "OVERDUE by" in text
    assert "Denial of entry of goods" in text and "Dec 1, 2025" in text


def test_the_path_in_spanish() -> None:
    report = dataclasses.replace(samples.case_report("es_MX"), case=tridonex_like())
    text = flat(render(report))
    for expected in (
        "Trayectoria del caso",
        "Resultados de México: no hay denegación de derechos",
        "Plazos según las reglas",
        "Aviso de México sobre si realizará la revisión",
        "Cumplido",
    ):
        assert expected in text, expected
