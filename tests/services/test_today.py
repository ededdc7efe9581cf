from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fieldkit.domain.choices import ActionStatus, CaseEvent, CaseType
from fieldkit.domain.query import ANY_ORDER, HasItem
from fieldkit.domain.records import Case, Facility, Grant, Interview, Record, Visit
from fieldkit.domain.values import CaseStep, Deadline, FollowUp, GrantReportFiled
from fieldkit.services.cases import record_case_event
from fieldkit.services.today import OPEN_DEADLINES, OPEN_FOLLOW_UPS, today_summary
from fieldkit.services.vault import Vault

DAY = dt.date(2026, 11, 21)


def test_open_follow_ups_and_deadlines_by_due_date(vault: Vault) -> None:
    plant = vault.records.create(Facility(name="Planta"))
    vault.records.create(
        Visit(
            facility_id=plant.id,
            start_date=DAY,
            follow_ups=(
                FollowUp(action="Llamar al sindicato", due=DAY + dt.timedelta(3)),
                FollowUp(action="Hecho ya", due=DAY - dt.timedelta(9), status=ActionStatus.DONE),
                FollowUp(action="Sin fecha"),
            ),
        )
    )
    vault.records.create(
        Case(
            reference="RRM-1",
            facility_id=plant.id,
            received_on=DAY,
            deadlines=(
                Deadline(label="Plan de reparación", due=DAY - dt.timedelta(2)),
                Deadline(label="Cumplido", due=DAY - dt.timedelta(5), done=True),
            ),
        )
    )
    summary = today_summary(vault.records)
    assert [item.what for item in summary.due] == [
        "Plan de reparación",
        "Llamar al sindicato",
        "Sin fecha",
    ]
    assert summary.due[0].overdue(DAY) and not summary.due[1].overdue(DAY)
    assert {r.KIND for r in summary.recent} == {"facility", "visit", "case"}
    assert summary.recent[0].KIND == "case"


@pytest.mark.parametrize(
    ("cls", "query", "index"),
    [
        (Visit, OPEN_FOLLOW_UPS, "visits_today_follow_ups"),
        (Interview, OPEN_FOLLOW_UPS, "interviews_today_follow_ups"),
        (Case, OPEN_DEADLINES, "cases_today_deadlines"),
    ],
)
def test_today_reads_indexes_not_whole_rows(
    vault: Vault, cls: type[Record], query: HasItem, index: str
) -> None:
    plan = vault.store.list_plan(cls, filters=[query], sort=ANY_ORDER)
    assert index in plan


def test_case_clocks_due_within_14_days_and_overdue(vault: Vault) -> None:
    plant = vault.records.create(Facility(name="Planta"))
    request = DAY - dt.timedelta(days=12)  # Mexico's 10-day notice is 2 days overdue
    overdue = vault.records.create(
        Case(
            reference="RRM-OVERDUE",
            facility_id=plant.id,
            received_on=request,
            case_type=CaseType.RRM_SELF_INITIATED,
            events=(CaseStep(event=CaseEvent.REVIEW_REQUESTED, on=request),),
        )
    )
    petition = DAY - dt.timedelta(days=20)  # the ILC's 30 days end in 10 days
    vault.records.create(
        Case(
            reference="RRM-SOON",
            facility_id=plant.id,
            received_on=petition,
            events=(CaseStep(event=CaseEvent.PETITION_RECEIVED, on=petition),),
        )
    )
    far = DAY - dt.timedelta(days=1)  # due in 29 days: not yet on Today
    vault.records.create(
        Case(
            reference="RRM-LATER",
            facility_id=plant.id,
            received_on=far,
            events=(CaseStep(event=CaseEvent.PETITION_RECEIVED, on=far),),
        )
    )
    summary = today_summary(vault.records, today=DAY)
    clocks = [(item.record.title, item.what, item.due) for item in summary.due]
    assert clocks == [
        ("RRM-OVERDUE", "Mexico's notice whether it will review", DAY - dt.timedelta(days=2)),
        ("RRM-SOON", "ILC determination on the Rapid Response petition", DAY + dt.timedelta(10)),
    ]
    assert summary.due[0].overdue(DAY) and not summary.due[1].overdue(DAY)
    # Mexico's notice arrives: the clock stops and leaves Today; its 45-day clock stays off it.
    record_case_event(vault.records, overdue.id, CaseEvent.MEXICO_AGREED_TO_REVIEW, DAY)
    assert [i.record.title for i in today_summary(vault.records, today=DAY).due] == ["RRM-SOON"]


def test_grantee_reports_due_soon_and_missed(vault: Vault) -> None:
    vault.records.create(
        Grant(
            award_number="IL-9",
            grantee="Centro de Apoyo",
            amount=Decimal(100),
            period_start=dt.date(2025, 12, 1),
            period_end=dt.date(2027, 11, 30),
            reports=(GrantReportFiled(period_end=dt.date(2026, 5, 31)),),  # no date: not received
        )
    )
    due = [(i.due, i.owner) for i in today_summary(vault.records, today=DAY).due]
    assert due == [(dt.date(2026, 6, 30), "Centro de Apoyo")]  # missed, overdue
    later = today_summary(vault.records, today=dt.date(2026, 12, 20)).due
    assert [i.due for i in later] == [dt.date(2026, 6, 30), dt.date(2026, 12, 30)]
