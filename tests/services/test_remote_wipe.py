"""Remote wipe end to end: a real vault, a real HQ on loopback. After HQ's signed order the
vault folder holds nothing that decrypts under the old data key, the old passphrase and
recovery key open nothing, HQ records the wipe; an order from an impostor is ignored."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest

from fieldkit.domain.choices import Consent
from fieldkit.domain.records import Facility, Interview, Visit
from fieldkit.errors import DeviceRevoked, DeviceWiped, VaultNotFound
from fieldkit.hq import orders
from fieldkit.hq.clock import now_ms
from fieldkit.services.device_orders import SIGNING_KEY
from fieldkit.services.order_checks import OrdersRefused, new_challenge, verify_orders
from fieldkit.services.vault import Vault, create_vault, os_keyring, recover_vault, unlock_vault
from fieldkit.store.audit import AuditAction
from tests.conftest import PASSPHRASE, fast_kdf
from tests.hq_server import RunningHQ, running_hq
from tests.keyrings import MemoryKeyring
from tests.services.test_sync_service import connect
from tests.sqlcipher_pages import decrypted_folder, opens_with

CANARY = "Canary-Quetzal-4412 despidos por votar"


def fill(vault: Vault) -> None:
    plant = vault.records.create(Facility(name="Autopartes del Norte"))
    visit = vault.records.create(Visit(facility_id=plant.id, start_date=dt.date(2026, 11, 3)))
    vault.records.create(
        Interview(
            visit_id=visit.id,
            held_on=dt.date(2026, 11, 3),
            pseudonym="W-1",
            notes=CANARY,
            consent=Consent.GIVEN,
        )
    )


def device_id(vault: Vault) -> str:
    connection = vault.sync.connection()
    assert connection is not None
    return connection.device_id


def test_a_wipe_order_shreds_the_vault_and_hq_records_it(
    tmp_path: Path, hq: RunningHQ, memory_keyring: MemoryKeyring
) -> None:
    root = tmp_path / "vault"
    vault, recovery_key = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    fill(vault)
    connect(vault, hq, "Ana")
    vault.sync.sync_now()
    vault.remember_on_device(os_keyring())
    key = bytes(vault._key)
    assert opens_with(root / "vault.db", key)  # the check below can find what it looks for
    assert CANARY.encode() in decrypted_folder(root, key)
    assert memory_keyring.items  # the device secret (and maybe the token) are in the keyring
    fill(vault)  # an unsent change: not pushed without --keep-unsent
    orders.order_wipe(hq.storage, "Ana", now_ms(), keep_unsent=False, revoke=True)

    with pytest.raises(DeviceWiped):
        vault.sync.sync_now()

    left = [p for p in root.rglob("*") if p.is_file()]
    assert left == []
    assert not memory_keyring.items
    with pytest.raises(VaultNotFound):
        unlock_vault(root, PASSPHRASE)
    with pytest.raises(VaultNotFound):
        recover_vault(root, recovery_key, PASSPHRASE + " again")
    control = orders.controls(hq.storage)[device_id_at(hq, "Ana")]
    assert control.wiped_at is not None and control.wipe_delivered_at is not None


def test_keep_unsent_pushes_first_and_a_copy_taken_before_is_dead(
    tmp_path: Path, hq: RunningHQ
) -> None:
    root = tmp_path / "vault"
    vault, _ = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    connect(vault, hq, "Ana")
    vault.sync.sync_now()
    fill(vault)  # unsent
    key = bytes(vault._key)
    orders.order_wipe(hq.storage, "Ana", now_ms(), keep_unsent=True, revoke=False)
    with pytest.raises(DeviceWiped):
        vault.sync.sync_now()
    assert not any(p.is_file() for p in root.rglob("*"))
    assert CANARY.encode() not in decrypted_folder(root, key)
    # HQ got the unsent interview before the wipe; the wiped device is refused from now on.
    reader, _ = create_vault(tmp_path / "reader", PASSPHRASE, kdf=fast_kdf())
    connect(reader, hq, "Luis")
    reader.sync.sync_now()
    assert orders.controls(hq.storage)[device_id_at(hq, "Ana")].wiped_at is not None
    assert hq_devices_revoked(hq, "Ana")
    reader.lock()


def test_an_impostor_hq_cannot_order_a_wipe(tmp_path: Path, hq: RunningHQ) -> None:
    root = tmp_path / "vault"
    vault, _ = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    fill(vault)
    connect(vault, hq, "Ana")
    vault.sync.sync_now()
    pinned = vault.store.get_meta(SIGNING_KEY)
    assert pinned
    # A second HQ with its own key: the network sends the device there, and that HQ (which
    # enrolled a device of the same id with a token the attacker holds) orders a wipe.
    with running_hq(tmp_path / "impostor") as impostor:
        code = impostor.enroll("Ana")
        other, _ = create_vault(tmp_path / "scratch", PASSPHRASE, kdf=fast_kdf())
        link_to(other, impostor, code)
        for name in ("setting:hq_url", "sync:server_id", "sync:device_id", "sync:token"):
            vault.store.set_meta(name, other.store.get_meta(name) or "")
        orders.order_wipe(impostor.storage, "Ana", now_ms(), keep_unsent=False, revoke=False)
        vault.sync.sync_now()  # the round goes on: the order is not HQ's
    assert vault.store.get_meta(SIGNING_KEY) == pinned
    assert (root / "vault.key").exists() and (root / "vault.db").exists()
    ignored = [e for e in vault.store.recent_audit() if e.action is AuditAction.HQ_ORDERS_IGNORED]
    assert ignored and "not this HQ's" in (ignored[0].detail or "")
    vault.lock()
    unlock_vault(root, PASSPHRASE).lock()
    other.lock()


def test_a_tampered_or_replayed_order_is_refused(hq: RunningHQ, tmp_path: Path) -> None:
    vault, _ = create_vault(tmp_path / "v", PASSPHRASE, kdf=fast_kdf())
    connect(vault, hq, "Ana")
    ident = device_id(vault)
    device = orders.find_device_by_id(hq.storage, ident)
    orders.order_wipe(hq.storage, ident, now_ms(), keep_unsent=False, revoke=False)
    challenge = new_challenge()
    answer = orders.signed_orders(hq.storage, device, hq.server_id, challenge, now_ms())
    pinned = answer["signing_key"]
    good = verify_orders(
        answer, pinned, server_id=hq.server_id, device_id=ident, challenge=challenge
    )
    assert good.wipe
    statement = json.loads(base64.b64decode(answer["statement"]))
    statement["device_id"] = "dev-someone-else"
    forged = dict(answer, statement=base64.b64encode(json.dumps(statement).encode()).decode())
    bad_signature = dict(answer, signature=base64.b64encode(b"\0" * 64).decode())
    for wrong, check in (
        (forged, {"challenge": challenge}),
        (bad_signature, {"challenge": challenge}),
        (answer, {"challenge": new_challenge()}),  # an old answer replayed
    ):
        with pytest.raises(OrdersRefused):
            verify_orders(wrong, pinned, server_id=hq.server_id, device_id=ident, **check)
    vault.lock()


def test_a_revoked_device_without_a_wipe_is_still_just_refused(
    tmp_path: Path, hq: RunningHQ
) -> None:
    vault, _ = create_vault(tmp_path / "v", PASSPHRASE, kdf=fast_kdf())
    connect(vault, hq, "Ana")
    hq.revoke("Ana")
    with pytest.raises(DeviceRevoked):
        vault.sync.sync_now()
    assert (tmp_path / "v" / "vault.key").exists()
    vault.lock()


# --- helpers ---------------------------------------------------------------------------------


def device_id_at(hq: RunningHQ, name: str) -> str:
    return orders.find_device_by_id(hq.storage, name).id


def hq_devices_revoked(hq: RunningHQ, name: str) -> bool:
    return orders.find_device_by_id(hq.storage, name).revoked_at is not None


def link_to(vault: Vault, hq: RunningHQ, code: str) -> None:
    preview = vault.sync.preview(hq.url)
    vault.sync.connect(preview, code)
