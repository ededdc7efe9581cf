"""Reviewer devices end to end: real vaults, a real HQ on loopback, the real engine. The
reviewer's vault receives an attaché's unshared interview, its own edit of it is refused and
quarantined, the audit names it, and the vault learns its role at connection and each sync."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from fieldkit.domain.choices import Consent
from fieldkit.domain.records import Case, Facility, Interview
from fieldkit.hq import audit, devices, roles
from fieldkit.hq.clock import now_ms
from fieldkit.hq.roles import Role
from fieldkit.services.attachments import AttachmentService
from fieldkit.services.records import RecordService
from fieldkit.services.reviewing import ReviewerView
from fieldkit.services.sync import SyncService
from fieldkit.store.store import Store
from tests.hq_server import RunningHQ
from tests.sync.devices import Device

MakeDevice = Callable[..., Device]


class NoKeyring:
    """No secure keyring: the token stays inside the vault."""

    def available(self) -> bool:
        return False

    def load(self, vault_id: str) -> bytes | None:
        return None

    def save(self, vault_id: str, secret: bytes) -> None:
        raise AssertionError("not called when unavailable")

    def delete(self, vault_id: str) -> None:
        return None


def test_a_reviewer_vault_reads_but_never_rewrites_an_unshared_interview(
    device: MakeDevice, hq: RunningHQ
) -> None:
    ana, luis = device("ana"), device("luis")
    code = devices.create_code(hq.storage, "Rita", now_ms(), role=Role("reviewer"))
    rita = device("rita", code=code)
    facility = ana.create(Facility(name="Llantas del Potosí"))
    interview = ana.create(
        Interview(
            facility_id=facility.id,
            held_on=dt.date(2026, 11, 3),
            pseudonym="W-17",
            consent=Consent.GIVEN,
            notes="They said the union vote was rigged.",
        )
    )
    ana.sync()
    luis.sync()
    rita.sync()
    assert "interview" not in {r["kind"] for r in luis.snapshot().values()}
    assert rita.records.get(Interview, interview.id).notes == "They said the union vote was rigged."

    rita.edit(interview, notes="A reviewer's rewrite")
    case = rita.create(
        Case(reference="RRM-1", facility_id=facility.id, received_on=dt.date(2026, 11, 4))
    )
    report = rita.sync()
    assert report.rejected == 1
    (refused,) = rita.store.sync.quarantined()
    assert (refused["field"], refused["code"]) == ("notes", "not_permitted")
    ana.sync()
    assert ana.records.get(Interview, interview.id).notes == "They said the union vote was rigged."
    assert ana.records.get(Case, case.id).reference == "RRM-1"

    served = audit.who_has(hq.storage, record_id=interview.id)
    assert {entry.device_id for entry in served} == {rita.device_id}
    assert "notes" in {entry.field for entry in served}


def test_the_vault_learns_its_role_and_directory_through_the_sync_service(
    tmp_path: Path, hq: RunningHQ
) -> None:
    ana = devices.create_code(hq.storage, "Ana Pérez", now_ms(), role=Role("attache", "Monterrey"))
    store = Store.open(tmp_path / "ana.db", os.urandom(32))
    ana_store = Store.open(tmp_path / "ana-vault.db", os.urandom(32))
    try:
        ana_service = SyncService(ana_store, RecordService(ana_store), "vault-ana", NoKeyring())
        ana_service.connect(ana_service.preview(hq.url), ana)
        service = SyncService(store, RecordService(store), "vault-rita", NoKeyring())
        code = devices.create_code(hq.storage, "Rita", now_ms(), role=Role("reviewer"))
        connection = service.connect(service.preview(hq.url), code)
        assert connection.reviewer
        assert not service.reviewer_view().authors  # no directory before the first sync
        service.sync_now()
        view = service.reviewer_view()
        assert view.reviewer and view.node == store.device_id
        assert view.name_of(ana_store.device_id) == "Ana Pérez"
        assert view.post_of(ana_store.device_id) == "Monterrey"
        assert [name for name, _nodes in view.posts()] == ["Monterrey"]
        assert not view.may_edit("interview", ana_store.device_id)
        assert view.may_edit("case", ana_store.device_id)
        roles.change_role(hq.storage, connection.device_id, Role("attache"), now_ms())
        service.sync_now()
        assert not service.reviewer_view().reviewer
        assert ana_service.reviewer_view() == ReviewerView(False, {}, ana_store.device_id)
    finally:
        store.close()
        ana_store.close()


def test_an_interview_attachment_downloaded_by_a_reviewer_is_in_the_audit(
    device: MakeDevice, hq: RunningHQ
) -> None:
    ana = device("ana")
    code = devices.create_code(hq.storage, "Rita", now_ms(), role=Role("reviewer"))
    rita = device("rita", code=code)
    facility = ana.create(Facility(name="Llantas del Potosí"))
    interview = ana.create(
        Interview(
            facility_id=facility.id,
            held_on=dt.date(2026, 11, 3),
            pseudonym="W-18",
            consent=Consent.GIVEN,
        )
    )
    photo = os.urandom(4096)
    attached = AttachmentService(ana.store, ana.records).attach_bytes(interview, "pay.jpg", photo)
    ana.sync()
    rita.sync()
    assert rita.store.read_blob(hashlib.sha256(photo).hexdigest()) == photo
    served = audit.who_has(hq.storage, record_id=interview.id)
    assert (rita.device_id, f"attachment {attached.id}") in {
        (entry.device_id, entry.field) for entry in served
    }
    assert ana.device_id not in {entry.device_id for entry in served}  # its own never logged
    assert audit.verify(hq.storage).intact
