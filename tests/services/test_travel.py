"""Travel mode with a real vault and a real HQ: 1,000 interviews (and their attachments) leave
the laptop with no byte of them in any page of the database or WAL, even to someone holding
the data key, and come back from HQ whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest

from fieldkit.domain.choices import Consent
from fieldkit.domain.codec import to_plain
from fieldkit.domain.query import ANY_ORDER
from fieldkit.domain.records import Attachment, Facility, Interview, Tip, Visit
from fieldkit.errors import AlreadyTravelling, NotTravelling, TravelRefused
from fieldkit.services.vault import Vault, create_vault, unlock_vault
from tests.conftest import PASSPHRASE, fast_kdf
from tests.hq_server import RunningHQ
from tests.services.test_sync_service import connect
from tests.sqlcipher_pages import decrypted_folder, opens_with

COUNT = 1000
DAY = dt.date(2026, 11, 3)


def canary(i: int) -> str:
    return f"Canary-Travel-{i:04d}-despido"


def snapshot(vault: Vault) -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for cls in (Interview, Attachment, Tip):
        for record in vault.store.list(cls, include_deleted=True, sort=ANY_ORDER):
            found[record.id] = to_plain(record)
    return found


def fill(vault: Vault) -> list[bytes]:
    plant = vault.records.create(Facility(name="Autopartes del Norte"))
    visit = vault.records.create(Visit(facility_id=plant.id, start_date=DAY))
    photos = []
    for i in range(COUNT):
        interview = vault.records.create(
            Interview(
                visit_id=visit.id,
                held_on=DAY,
                pseudonym=f"W-{i}",
                consent=Consent.GIVEN,
                notes=canary(i),
            )
        )
        if i % 250 == 0:
            photo = f"photo {canary(i)} ".encode() * 200
            vault.attachments.attach_bytes(interview, f"p{i}.jpg", photo)
            photos.append(photo)
    vault.records.create(Tip(subject="Despidos", received_on=DAY, summary=canary(COUNT)))
    return photos


def canaries_in(folder: Path, key: bytes) -> list[int]:
    found = re.findall(rb"Canary-Travel-(\d{4})-despido", decrypted_folder(folder, key))
    return sorted({int(number) for number in found})


def test_travel_round_trips_a_thousand_interviews(tmp_path: Path, hq: RunningHQ) -> None:
    root = tmp_path / "vault"
    vault, _ = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    photos = fill(vault)
    connect(vault, hq, "Ana")
    vault.sync.sync_now()
    before = snapshot(vault)
    key = bytes(vault._key)
    assert len(canaries_in(root, key)) == COUNT + 1  # the search can find what it looks for

    counts = vault.travel.prepare(tips=True)

    assert counts == {"interview": COUNT, "attachment": len(photos), "tip": 1}
    assert vault.travel.status().active
    assert vault.store.count(Interview) == 0 and not vault.records.search("Canary")
    assert canaries_in(root, key) == []  # unlocked: database and WAL
    assert vault.store.read_blob(hashlib.sha256(photos[0]).hexdigest()) is None
    vault.lock()
    assert opens_with(root / "vault.db", key)
    assert canaries_in(root, key) == []  # locked: every file of the folder
    with pytest.raises(AlreadyTravelling):
        reopened = unlock_vault(root, PASSPHRASE)
        reopened.travel.prepare()
    reopened.lock()

    vault = unlock_vault(root, PASSPHRASE)
    assert vault.travel.status().active
    vault.travel.return_from_travel()
    assert not vault.travel.status().active
    assert snapshot(vault) == before
    for photo in photos:
        assert vault.store.read_blob(hashlib.sha256(photo).hexdigest()) == photo
    assert vault.records.search(canary(7))
    with pytest.raises(NotTravelling):
        vault.travel.return_from_travel()
    vault.lock()


def test_travel_is_refused_when_hq_cannot_be_reached(tmp_path: Path, hq: RunningHQ) -> None:
    root = tmp_path / "vault"
    vault, _ = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    connect(vault, hq, "Ana")
    vault.sync.sync_now()
    plant = vault.records.create(Facility(name="Llantas"))
    visit = vault.records.create(Visit(facility_id=plant.id, start_date=DAY))
    vault.records.create(Interview(visit_id=visit.id, held_on=DAY, pseudonym="W-1"))
    hq.stop()
    with pytest.raises(TravelRefused):
        vault.travel.prepare()
    assert vault.store.count(Interview) == 1 and not vault.travel.status().active
    vault.lock()
