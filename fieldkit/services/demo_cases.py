"""The demo cases' events, dated so that every clock of the rule table is met on time, as in
the real cases they are modelled on; the newest case is still running, with Mexico's results
falling due around the demo's date (late November 2026)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from fieldkit.domain.choices import CaseEvent as E
from fieldkit.domain.choices import LaborEventKind as L
from fieldkit.domain.grant_calendar import reporting_periods
from fieldkit.domain.records import Grant
from fieldkit.domain.values import CaseStep, GrantReportFiled, IndicatorActual, LaborEvent

D = dt.date


def _steps(*rows: tuple[E, dt.date, str]) -> tuple[CaseStep, ...]:
    return tuple(CaseStep(event=event, on=on, note=note) for event, on, note in rows)


# Petition 2022-11-07: the ILC's 30 days end 12-07; Mexico's notice is due 10 days after the
# request (12-16) and its results 45 days after it (2023-01-20); 10 days to agree remediation.
GERMAN_EVENTS = _steps(
    (E.PETITION_RECEIVED, D(2022, 11, 7), "Petición del sindicato independiente"),
    (E.ILC_SUFFICIENT, D(2022, 12, 6), ""),
    (E.REVIEW_REQUESTED, D(2022, 12, 6), "USTR request to Mexico"),
    (E.LIQUIDATION_SUSPENDED, D(2022, 12, 6), "Treasury directed by USTR"),
    (E.MEXICO_AGREED_TO_REVIEW, D(2022, 12, 15), ""),
    (E.MEXICO_FOUND_DENIAL, D(2023, 1, 19), "Despidos por actividad sindical"),
    (E.REMEDIATION_AGREED, D(2023, 1, 27), "Plan de la empresa: reinstalación de 8 de 10"),
    (E.LIQUIDATION_RESUMED, D(2023, 1, 27), ""),
)
# Petition 2023-07-18: ILC 08-14 (day 27); notice due 08-24, results due 09-28.
TIRE_EVENTS = _steps(
    (E.PETITION_RECEIVED, D(2023, 7, 18), "Coalition petition"),
    (E.ILC_SUFFICIENT, D(2023, 8, 14), ""),
    (E.REVIEW_REQUESTED, D(2023, 8, 14), ""),
    (E.LIQUIDATION_SUSPENDED, D(2023, 8, 14), ""),
    (E.MEXICO_AGREED_TO_REVIEW, D(2023, 8, 23), ""),
    (E.MEXICO_FOUND_DENIAL, D(2023, 9, 27), "Contrato-ley no aplicado"),
    (E.REMEDIATION_AGREED, D(2023, 10, 5), "Plan acordado entre los gobiernos"),
    (E.LIQUIDATION_RESUMED, D(2023, 10, 5), ""),
)
# Petition 2026-09-29: ILC 10-20 (day 21); request 10-20; notice 10-29 (due 10-30); Mexico's
# results are due 2026-12-04 and still running.
BRAKES_EVENTS = _steps(
    (E.PETITION_RECEIVED, D(2026, 9, 29), "Coalición de trabajadores y ONG"),
    (E.ILC_SUFFICIENT, D(2026, 10, 20), ""),
    (E.REVIEW_REQUESTED, D(2026, 10, 20), ""),
    (E.LIQUIDATION_SUSPENDED, D(2026, 10, 20), ""),
    (E.MEXICO_AGREED_TO_REVIEW, D(2026, 10, 29), "La STPS acepta revisar"),
)


# Each facility's labor history as registered with the CFCRL (by facility key).
LABOR_HISTORY = {
    "tire": (
        LaborEvent(kind=L.LEGITIMATION_VOTE, on=D(2021, 9, 14), cfcrl_file="CFCRL-LEG-SLP-0412",
                   eligible=1650, voted=1298, result="CCT de empresa rechazado"),
        LaborEvent(kind=L.REPRESENTATIVENESS_CERTIFICATE, on=D(2024, 2, 20),
                   cfcrl_file="CFCRL-CR-SLP-2024-0031", result="Sindicato independiente"),
    ),
    "german": (
        LaborEvent(kind=L.LEGITIMATION_VOTE, on=D(2021, 11, 9), cfcrl_file="CFCRL-LEG-PUE-0077",
                   eligible=7100, voted=5530, result="CCT legitimado"),
        LaborEvent(kind=L.UNION_ELECTION, on=D(2024, 6, 5), cfcrl_file="CFCRL-ED-PUE-2024-0102",
                   eligible=7020, voted=5895, result="Nueva directiva electa"),
        LaborEvent(kind=L.CBA_REVISION_VOTE, on=D(2025, 8, 21),
                   cfcrl_file="CFCRL-REV-PUE-2025-0419", eligible=7010, voted=6102,
                   result="Revisión salarial aprobada (8.5 %)"),
    ),
}  # fmt: skip


DEMO_DAY = D(2026, 11, 21)
# The one grantee report the demo shows as missed (Justicia Laboral Efectiva, period ending
# 2026-09-29, due 2026-10-29): it sits overdue on Today.
MISSED_REPORTS = {("IL-36072-21-75-K", D(2026, 9, 29))}


def with_reports(grant: Grant) -> Grant:
    """The grant with every report due before the demo day received three days early (but the
    missed one), and its indicators' actuals reported with each period, growing toward target."""
    reports, actuals = [], []
    periods = [p for p in reporting_periods(grant) if p.due < DEMO_DAY]
    for number, period in enumerate(periods, start=1):
        if (grant.award_number, period.end) in MISSED_REPORTS:
            continue
        early = period.due - dt.timedelta(days=3)
        reports.append(GrantReportFiled(period_end=period.end, submitted_on=early))
        for indicator in grant.indicators:
            if indicator.actual is not None:
                share = Decimal(number) / Decimal(len(periods))
                value = (indicator.actual * share).quantize(Decimal(1))
                actuals.append(
                    IndicatorActual(indicator=indicator.name, period_end=period.end, actual=value)
                )
    return dataclasses.replace(grant, reports=tuple(reports), indicator_actuals=tuple(actuals))
