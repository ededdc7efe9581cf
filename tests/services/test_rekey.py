"""`rekey`: a fresh data key under new wraps. What was written after it stays closed to every
old secret: a copy of the old header, the old passphrase's wrap, the old recovery key and the
old device secret."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fieldkit.crypto.device_secret import KeyringSecretStore
from fieldkit.crypto.header import read_header, unwrap_with_passphrase, unwrap_with_recovery
from fieldkit.domain.records import Facility
from fieldkit.errors import DatabaseCorrupted, VaultInUse, WrongPassphrase, WrongRecoveryKey
from fieldkit.services import rekey
from fieldkit.services.vault import (
    Vault,
    create_vault,
    recover_vault,
    unlock_vault,
    unlock_with_device,
)
from fieldkit.store.audit import AuditAction
from fieldkit.store.rekey import key_opens
from tests.conftest import PASSPHRASE, fast_kdf
from tests.keyrings import MemoryKeyring

CANARY = "Canario-despues-del-cambio-de-llave"


def facility_names(vault: Vault) -> set[str]:
    return {f.name for f in vault.records.list(Facility)}


def test_rekey_changes_the_data_key_and_keeps_every_record(tmp_path: Path) -> None:
    root = tmp_path / "v"
    vault, old_recovery = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    vault.records.create(Facility(name="Planta Uno"))
    old_header = read_header(root / "vault.key")
    old_key = unwrap_with_passphrase(old_header, PASSPHRASE)

    new_recovery = vault.rekey(PASSPHRASE)
    assert new_recovery != old_recovery
    assert facility_names(vault) == {"Planta Uno"}  # the same object keeps working
    vault.records.create(Facility(name="Planta Dos"))
    actions = [e.action for e in vault.store.recent_audit()]
    vault.lock()

    assert AuditAction.REKEYED in actions
    assert sorted(p.name for p in root.iterdir()) == ["vault.db", "vault.key"]
    assert not key_opens(root / "vault.db", old_key)
    new_header = read_header(root / "vault.key")
    assert new_header.vault_id == old_header.vault_id
    assert new_header.kdf.salt != old_header.kdf.salt
    assert key_opens(root / "vault.db", unwrap_with_passphrase(new_header, PASSPHRASE))
    with pytest.raises(WrongRecoveryKey):
        unwrap_with_recovery(new_header, old_recovery)
    reopened = recover_vault(root, new_recovery, "a new passphrase after rekey")
    assert facility_names(reopened) == {"Planta Uno", "Planta Dos"}
    reopened.lock()


def test_old_header_copy_and_old_passphrase_do_not_open_data_written_after_rekey(
    tmp_path: Path,
) -> None:
    root = tmp_path / "v"
    vault, old_recovery = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    stolen = tmp_path / "stolen-vault.key"
    shutil.copy2(root / "vault.key", stolen)  # an old backup, or an attacker's copy
    vault.rekey(PASSPHRASE)
    vault.records.create(Facility(name=CANARY))
    vault.lock()

    shutil.copy2(stolen, root / "vault.key")
    with pytest.raises(DatabaseCorrupted):
        unlock_vault(root, PASSPHRASE)
    with pytest.raises(DatabaseCorrupted):
        recover_vault(root, old_recovery, "someone else's passphrase")
    old_key = unwrap_with_passphrase(read_header(stolen), PASSPHRASE)
    assert not key_opens(root / "vault.db", old_key)
    assert CANARY.encode() not in (root / "vault.db").read_bytes()


def test_rekey_with_a_wrong_passphrase_changes_nothing(vault: Vault) -> None:
    before = (vault.files.header.read_bytes(), vault.files.database.stat().st_size)
    with pytest.raises(WrongPassphrase):
        vault.rekey("not the passphrase at all")
    assert vault.files.header.read_bytes() == before[0]
    vault.records.create(Facility(name="Still open"))
    assert "Still open" in facility_names(vault)


def test_rekey_gives_a_remembered_device_a_new_secret(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    root = tmp_path / "v"
    vault, _recovery = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    vault.remember_on_device(KeyringSecretStore())
    old_secret = dict(memory_keyring.items)
    vault.rekey(PASSPHRASE, KeyringSecretStore())
    vault.lock()
    assert memory_keyring.items != old_secret  # a leaked device secret is dead too
    reopened = unlock_with_device(root, KeyringSecretStore())
    assert reopened.remembered_on_device()
    reopened.lock()


def test_rekey_waits_until_no_other_window_has_the_vault_open(tmp_path: Path) -> None:
    # Another process holding the old file open would keep writing into it after the swap.
    root = tmp_path / "v"
    vault, _recovery = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    other = unlock_vault(root, PASSPHRASE)  # a second window, or a command running
    header = (root / "vault.key").read_bytes()
    with pytest.raises(VaultInUse):
        vault.rekey(PASSPHRASE)
    assert (root / "vault.key").read_bytes() == header
    other.records.create(Facility(name="Written elsewhere"))
    other.lock()
    vault.rekey(PASSPHRASE)
    assert "Written elsewhere" in facility_names(vault)
    vault.lock()


def test_rekey_finishes_when_another_unlock_settled_it_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "v"
    vault, _recovery = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    vault.records.create(Facility(name="Planta Uno"))
    swap = rekey.swap_database

    def swap_then_another_unlock(database: Path, folder: Path) -> None:
        swap(database, folder)
        # Another window unlocking right now finds the pending header and commits it.
        other = unlock_vault(folder, PASSPHRASE)
        assert other.finished_interrupted_rekey
        other.lock()

    monkeypatch.setattr(rekey, "swap_database", swap_then_another_unlock)
    vault.rekey(PASSPHRASE)
    assert facility_names(vault) == {"Planta Uno"}
    vault.lock()
    unlock_vault(root, PASSPHRASE).lock()
