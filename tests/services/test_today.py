from __future__ import annotations

import datetime as dt

from fieldkit.domain.choices import ActionStatus
from fieldkit.domain.records import Case, Facility, Visit
from fieldkit.domain.values import Deadline, FollowUp
from fieldkit.services.today import today_summary
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


def test_today_reads_indexes_not_whole_rows(vault: Vault) -> None:
    sql = (
        "SELECT * FROM visits WHERE deleted = 0 AND EXISTS (SELECT 1 FROM json_each(follow_ups) "
        "WHERE json_extract(value, '$.status') = 'open')"
    )
    plan = " ".join(str(r[3]) for r in vault.store._db.execute(f"EXPLAIN QUERY PLAN {sql}"))
    assert "visits_today_follow_ups" in plan
