"""A vault saved before cases had clocks (schema version 5) opens, keeps its cases, facilities
and grants as they were, and takes the new fields with their defaults."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import sqlite_utils

from fieldkit.domain.choices import CaseEvent, CaseStage, CaseType, RemediationParty
from fieldkit.domain.records import Case, Facility, Grant
from fieldkit.domain.values import CaseStep
from fieldkit.store.connection import open_encrypted
from fieldkit.store.rows import to_row
from fieldkit.store.schema import RRM_CASE_COLUMNS, migrations, schema_version
from fieldkit.store.store import Store

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def test_a_version_5_vault_keeps_its_cases_and_takes_the_new_fields(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "v5.db"
    conn = open_encrypted(path, key)
    db = sqlite_utils.Database(conn)
    migrations.apply(db, stop_before="0006_interview_sharing_summary")
    assert schema_version(db) == 5
    old = Case(
        reference="RRM-2022-04",
        received_on=dt.date(2022, 11, 7),
        stage=CaseStage.MONITORING,
        created_at=NOW,
        updated_at=NOW,
        author_device="old",
    )
    row = {k: v for k, v in to_row(old).items() if k not in RRM_CASE_COLUMNS}
    db.table("cases").insert(row)
    plant = Facility(name="Planta", created_at=NOW, updated_at=NOW, author_device="old")
    grant = Grant(award_number="IL-1", grantee="ONG", created_at=NOW, updated_at=NOW)
    calendar = {"reporting_months", "report_due_days", "reports", "indicator_actuals"}
    db.table("grants").insert({k: v for k, v in to_row(grant).items() if k not in calendar})
    new_columns = {"trade_link", "labor_events"}
    db.table("facilities").insert({k: v for k, v in to_row(plant).items() if k not in new_columns})
    conn.close()

    store = Store.open(path, key)
    assert store.get(Facility, plant.id) == plant  # no trade link known, no labor history
    assert store.get(Grant, grant.id) == grant  # semi-annual reports due after 30 days
    migrated = store.get(Case, old.id)
    assert migrated == old  # every new field holds its default
    assert migrated is not None and migrated.case_type is CaseType.RRM_PETITION
    assert migrated.events == () and migrated.remediation_party is RemediationParty.NONE
    newer = Case(
        reference="RRM-2026-19",
        received_on=dt.date(2026, 9, 29),
        events=(CaseStep(event=CaseEvent.PETITION_RECEIVED, on=dt.date(2026, 9, 29)),),
    )
    stored = store.insert(newer)
    assert store.get(Case, newer.id) == stored and stored.events == newer.events
    store.close()
