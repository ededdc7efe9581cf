from __future__ import annotations

import datetime as dt

import pytest

from fieldkit.domain.choices import ActionStatus
from fieldkit.domain.query import ANY_ORDER, HasItem
from fieldkit.domain.records import Case, Facility, Interview, Record, Visit
from fieldkit.domain.values import Deadline, FollowUp
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
