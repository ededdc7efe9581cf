"""A reviewer's quarterly report for one post counts the records of that post's attachés only,
as HQ's directory names them; on an attaché's laptop the post stays a label."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from fieldkit.domain.choices import TriageStatus
from fieldkit.domain.records import Facility, Tip, Visit
from fieldkit.errors import UnknownPost
from fieldkit.hq import devices
from fieldkit.hq.clock import now_ms
from fieldkit.hq.roles import Role
from fieldkit.reports.model import ReportOptions
from fieldkit.services.quarterly import build_quarterly_report, post_authors
from fieldkit.services.records import RecordService
from fieldkit.services.sync import SyncService
from fieldkit.store.store import Store
from tests.hq_server import RunningHQ
from tests.sync.test_reviewer import NoKeyring

DAY = dt.date(2026, 11, 3)


def _laptop(tmp_path: Path, hq: RunningHQ, name: str, role: Role) -> tuple[Store, SyncService]:
    store = Store.open(tmp_path / f"{name}.db", os.urandom(32))
    service = SyncService(store, RecordService(store), f"vault-{name}", NoKeyring())
    service.connect(
        service.preview(hq.url), devices.create_code(hq.storage, name, now_ms(), role=role)
    )
    return store, service


def _work(store: Store, plant: str, tips: int) -> None:
    records = RecordService(store)
    facility = records.create(Facility(name=plant))
    records.create(Visit(facility_id=facility.id, start_date=DAY, summary=plant))
    for n in range(tips):
        records.create(Tip(received_on=DAY, subject=f"{plant} {n}", triage=TriageStatus.NEW))


def test_a_reviewers_quarterly_report_keeps_to_the_chosen_post(
    tmp_path: Path, hq: RunningHQ
) -> None:
    ana, ana_sync = _laptop(tmp_path, hq, "Ana", Role("attache", "Monterrey"))
    luis, luis_sync = _laptop(tmp_path, hq, "Luis", Role("attache", "Mexico City"))
    rita, rita_sync = _laptop(tmp_path, hq, "Rita", Role("reviewer"))
    try:
        _work(ana, "Arneses Cumbres", tips=2)
        _work(luis, "Llantas del Valle", tips=1)
        ana_sync.sync_now()
        luis_sync.sync_now()
        rita_sync.sync_now()
        view = rita_sync.reviewer_view()
        options = ReportOptions(language="en_US")
        records = RecordService(rita)

        monterrey = build_quarterly_report(
            records, 2026, 4, "Monterrey", options, authors=post_authors(view, "monterrey")
        )
        assert [v.summary for v in monterrey.visits] == ["Arneses Cumbres"]
        assert dict(monterrey.tips_by_triage)[TriageStatus.NEW] == 2
        everyone = build_quarterly_report(
            records, 2026, 4, "", options, authors=post_authors(view, "")
        )
        assert sorted(v.summary for v in everyone.visits) == [
            "Arneses Cumbres",
            "Llantas del Valle",
        ]
        assert dict(everyone.tips_by_triage)[TriageStatus.NEW] == 3
        with pytest.raises(UnknownPost) as refused:
            post_authors(view, "Guadalajara")
        assert "Mexico City" in refused.value.message and "Monterrey" in refused.value.message
        # On an attaché's laptop the post is only a label: the whole vault is its post's.
        assert post_authors(ana_sync.reviewer_view(), "Anything") is None
    finally:
        for store in (ana, luis, rita):
            store.close()
