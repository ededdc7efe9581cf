"""New case fields travel through a real HQ on loopback, and a vault of the schema before
them (version 5) migrates and syncs with a vault made by this version."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import sqlite_utils

from fieldkit.domain.choices import CaseEvent, CaseStage, CaseType, DayCount
from fieldkit.domain.codec import to_plain
from fieldkit.domain.records import Case, Facility
from fieldkit.domain.rrm_clocks import case_clocks
from fieldkit.domain.values import CaseStep, ClockOverride
from fieldkit.services.cases import record_case_event
from fieldkit.services.records import RecordService
from fieldkit.store.connection import open_encrypted
from fieldkit.store.schema import migrations, schema_version
from fieldkit.store.store import Store
from fieldkit.sync.engine import SyncEngine
from fieldkit.sync.pinning import parse_address
from fieldkit.sync.protocol import EnrolRequest
from fieldkit.sync.transport import HqLink
from tests.hq_server import RunningHQ
from tests.sync.devices import Device

D = dt.date


def test_a_new_case_field_round_trips_through_hq(hq: RunningHQ, device) -> None:  # type: ignore[no-untyped-def]
    ana, luis = device("ana"), device("luis")
    plant = ana.create(Facility(name="Tridonex Matamoros"))
    case = ana.create(
        Case(
            reference="RRM-2021-02",
            facility_id=plant.id,
            received_on=D(2021, 5, 10),
            case_type=CaseType.RRM_PETITION,
            events=(CaseStep(event=CaseEvent.PETITION_RECEIVED, on=D(2021, 5, 10)),),
            clock_overrides=(
                ClockOverride(rule="mexico_notice", count=DayCount.BUSINESS, reason="Hábiles"),
            ),
        )
    )
    ana.sync()
    luis.sync()
    # Every declared field arrives as written (timestamps travel at millisecond precision).
    assert to_plain(luis.records.get(Case, case.id)) == to_plain(ana.records.get(Case, case.id))
    for event, on in (
        (CaseEvent.ILC_SUFFICIENT, D(2021, 6, 9)),
        (CaseEvent.REVIEW_REQUESTED, D(2021, 6, 9)),
    ):
        record_case_event(luis.records, case.id, event, on)
    luis.sync()
    ana.sync()
    seen = ana.records.get(Case, case.id)
    assert seen.stage is CaseStage.REVIEW_REQUESTED and len(seen.events) == 3
    notice = next(c for c in case_clocks(seen) if c.rule.id == "mexico_notice")
    assert notice.due == D(2021, 6, 23)  # the override travelled with the case


def _enrolled_old_vault(folder: Path, hq: RunningHQ) -> tuple[Store, str]:
    """A vault made at schema version 5 with one case in it, opened (and so migrated) by this
    version and enrolled with HQ; returns the store and its token."""
    key = os.urandom(32)
    path = folder / "old.db"
    conn = open_encrypted(path, key)
    db = sqlite_utils.Database(conn)
    migrations.apply(db, stop_before="0006_interview_sharing_summary")
    assert schema_version(db) == 5
    conn.close()
    store = Store.open(path, key)
    with HqLink(parse_address(hq.url)) as link:
        answer = link.enrol(EnrolRequest(code=hq.enroll("old"), node=store.device_id, label="old"))
    return store, answer.token


def test_a_migrated_vault_syncs_case_fields_with_a_new_one(
    hq: RunningHQ,
    device,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    store, token = _enrolled_old_vault(tmp_path, hq)
    records = RecordService(store)
    plant = records.create(Facility(name="GM Silao"))
    old_case = records.create(
        Case(reference="RRM-2021-01", facility_id=plant.id, received_on=D(2021, 5, 12))
    )

    def sync_old() -> None:
        with HqLink(parse_address(hq.url), token=token) as link:
            SyncEngine(store, link).run()

    sync_old()
    new: Device = device("new")
    new.sync()
    record_case_event(new.records, old_case.id, CaseEvent.CASE_CLOSED, D(2021, 9, 20))
    new.records.update_from("case", old_case.id, {"case_type": "rrm_self_initiated"})
    new.sync()
    sync_old()
    migrated_view = records.get(Case, old_case.id)
    assert migrated_view.case_type is CaseType.RRM_SELF_INITIATED
    assert migrated_view.stage is CaseStage.CLOSED
    assert [s.event for s in migrated_view.events] == [CaseEvent.CASE_CLOSED]
    store.close()
