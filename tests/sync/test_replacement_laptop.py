"""A lost laptop replaced: after HQ revokes it and makes a code to replace it, a fresh vault
on the new laptop receives the lost one's private interviews and their attachments, edits and
shares them, and colleagues see the result; the lost laptop stays refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable

import pytest

from fieldkit.domain.choices import Consent
from fieldkit.domain.records import Facility, Interview, Visit
from fieldkit.errors import DeviceRevoked
from fieldkit.services.attachments import AttachmentService
from tests.hq_server import RunningHQ
from tests.sync.devices import Device

MakeDevice = Callable[..., Device]


def test_a_replacement_laptop_carries_on_after_revocation(
    device: MakeDevice, hq: RunningHQ
) -> None:
    lost, luis = device("ana"), device("luis")
    facility = lost.create(Facility(name="Autopartes del Norte"))
    visit = lost.create(Visit(facility_id=facility.id, start_date=dt.date(2026, 11, 3)))
    interview = lost.create(
        Interview(
            visit_id=visit.id,
            held_on=dt.date(2026, 11, 3),
            pseudonym="W-17",
            consent=Consent.GIVEN,
            notes="Supervisor threatened to fire anyone who votes.",
        )
    )
    photo = os.urandom(50_000)
    AttachmentService(lost.store, lost.records).attach_bytes(interview, "photo.jpg", photo)
    lost.sync()
    luis.sync()
    assert luis.store.read_blob(hashlib.sha256(photo).hexdigest()) is None

    hq.revoke(lost.device_id)
    code = hq.enroll("Ana (new laptop)", replaces=lost.device_id)
    new = device("ana-new", code=code)
    assert new.node != lost.node  # a fresh vault: its own node, and the lost one's
    new.sync()
    received = new.records.get(Interview, interview.id)
    assert received.notes == "Supervisor threatened to fire anyone who votes."
    assert new.store.read_blob(hashlib.sha256(photo).hexdigest()) == photo

    new.edit(received, notes="Confirmed by two more workers.", shared=True)
    report = new.sync()
    assert report.rejected == 0 and new.store.count_unsent() == 0
    luis.sync()
    assert luis.records.get(Interview, interview.id).notes == "Confirmed by two more workers."
    assert luis.store.read_blob(hashlib.sha256(photo).hexdigest()) == photo
    with pytest.raises(DeviceRevoked):
        lost.sync()
