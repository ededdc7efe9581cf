from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from fieldkit.crypto.device_secret import KeyringSecretStore
from fieldkit.crypto.header import read_header, unwrap_with_passphrase
from fieldkit.domain.records import Facility
from fieldkit.errors import (
    DatabaseCorrupted,
    DeviceNotRemembered,
    HeaderCorrupted,
    KeyringUnavailable,
    UnlockThrottled,
    VaultAlreadyExists,
    VaultNotFound,
    WeakKeyParameters,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from fieldkit.services.unlock_throttle import UnlockThrottle, delay_after
from fieldkit.services.vault import (
    VaultFiles,
    create_vault,
    recover_vault,
    unlock_vault,
    unlock_with_device,
)
from fieldkit.store.audit import AuditAction
from tests.conftest import PASSPHRASE, fast_kdf
from tests.keyrings import MemoryKeyring


def make(root: Path) -> str:
    vault, recovery = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    vault.records.create(Facility(name="Planta Uno"))
    vault.lock()
    return recovery


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}


def test_create_unlock_lock(vault_dir: Path) -> None:
    make(vault_dir)
    vault = unlock_vault(vault_dir, PASSPHRASE)
    assert [f.name for f in vault.records.list(Facility)] == ["Planta Uno"]
    assert vault.store.recent_audit()[0].action is AuditAction.UNLOCKED
    vault.lock()
    assert sorted(p.name for p in vault_dir.iterdir()) == ["vault.db", "vault.key"]


def test_vault_files_are_private(vault_dir: Path) -> None:
    make(vault_dir)
    assert vault_dir.stat().st_mode & 0o077 == 0
    assert (vault_dir / "vault.key").stat().st_mode & 0o077 == 0


def test_create_refuses_an_existing_vault_and_a_short_passphrase(vault_dir: Path) -> None:
    make(vault_dir)
    with pytest.raises(VaultAlreadyExists):
        create_vault(vault_dir, PASSPHRASE, kdf=fast_kdf())
    with pytest.raises(WeakPassphrase):
        create_vault(vault_dir.parent / "other", "short", kdf=fast_kdf())


def test_missing_vault(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFound):
        unlock_vault(tmp_path / "nothing", PASSPHRASE)


def test_wrong_passphrase_changes_nothing_and_is_audited_later(vault_dir: Path) -> None:
    make(vault_dir)
    before = snapshot(vault_dir)
    with pytest.raises(WrongPassphrase):
        unlock_vault(vault_dir, "not the passphrase at all")
    after = snapshot(vault_dir)
    assert {k: v for k, v in after.items() if k != "unlock-attempts.json"} == before
    vault = unlock_vault(vault_dir, PASSPHRASE)
    actions = [a.action for a in vault.store.recent_audit()[:2]]
    assert actions == [AuditAction.UNLOCKED, AuditAction.UNLOCK_FAILED]
    vault.lock()
    assert not VaultFiles(vault_dir).attempts.exists()


def test_delays_grow_after_repeated_failures(vault_dir: Path) -> None:
    make(vault_dir)
    now = [1000.0]
    throttle = UnlockThrottle(VaultFiles(vault_dir).attempts, clock=lambda: now[0])
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            unlock_vault(vault_dir, "wrong passphrase here", throttle=throttle)
    with pytest.raises(UnlockThrottled) as caught:
        unlock_vault(vault_dir, PASSPHRASE, throttle=throttle)
    assert caught.value.params["seconds"] == delay_after(3)
    now[0] += delay_after(3)
    unlock_vault(vault_dir, PASSPHRASE, throttle=throttle).lock()
    assert [delay_after(n) for n in range(1, 9)] == [0, 0, 5, 15, 45, 135, 405, 900]


def test_change_passphrase_rewraps_without_reencrypting(vault_dir: Path) -> None:
    make(vault_dir)
    header_path = vault_dir / "vault.key"
    key_before = unwrap_with_passphrase(read_header(header_path), PASSPHRASE)
    vault = unlock_vault(vault_dir, PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase("not the old one!!", "a new passphrase 2026")
    vault.change_passphrase(PASSPHRASE, "a new passphrase 2026")
    vault.lock()
    key_after = unwrap_with_passphrase(read_header(header_path), "a new passphrase 2026")
    assert key_after == key_before  # same data key: the database was not re-encrypted
    with pytest.raises(WrongPassphrase):
        unlock_vault(vault_dir, PASSPHRASE)
    vault = unlock_vault(vault_dir, "a new passphrase 2026")
    assert vault.records.count(Facility) == 1
    assert AuditAction.PASSPHRASE_CHANGED in [a.action for a in vault.store.recent_audit()]
    vault.lock()


def test_recovery_key_sets_a_new_passphrase(vault_dir: Path) -> None:
    recovery = make(vault_dir)
    typed = recovery.lower().replace("-", " ")
    vault = recover_vault(vault_dir, typed, "recovered passphrase!")
    assert vault.records.count(Facility) == 1
    assert vault.store.recent_audit()[0].action is AuditAction.RECOVERED
    vault.lock()
    unlock_vault(vault_dir, "recovered passphrase!").lock()


def test_another_vaults_recovery_key_is_refused(tmp_path: Path) -> None:
    make(tmp_path / "a")
    other = make(tmp_path / "b")
    with pytest.raises(WrongRecoveryKey):
        recover_vault(tmp_path / "a", other, "recovered passphrase!")


def test_tampered_header_names_the_file_and_is_not_overwritten(vault_dir: Path) -> None:
    make(vault_dir)
    header = vault_dir / "vault.key"
    data = json.loads(header.read_text())
    data["vault_id"] = data["vault_id"][:-1] + ("0" if data["vault_id"][-1] != "0" else "1")
    header.write_text(json.dumps(data))
    tampered = header.read_bytes()
    with pytest.raises(HeaderCorrupted) as caught:
        unlock_vault(vault_dir, PASSPHRASE)
    assert str(header) in caught.value.message
    assert header.read_bytes() == tampered


def test_truncated_header(vault_dir: Path) -> None:
    make(vault_dir)
    header = vault_dir / "vault.key"
    header.write_bytes(header.read_bytes()[:57])
    with pytest.raises(HeaderCorrupted):
        unlock_vault(vault_dir, PASSPHRASE)


def test_missing_header_beside_a_database(vault_dir: Path) -> None:
    make(vault_dir)
    (vault_dir / "vault.key").unlink()
    with pytest.raises(HeaderCorrupted):
        unlock_vault(vault_dir, PASSPHRASE)


def test_downgraded_kdf_is_refused_before_any_derivation(vault_dir: Path) -> None:
    make(vault_dir)
    header = vault_dir / "vault.key"
    data = json.loads(header.read_text())
    data["kdf"]["memory_kib"] = 8192
    body = {k: v for k, v in data.items() if k != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    data["checksum"] = hashlib.sha256(canonical).hexdigest()
    header.write_text(json.dumps(data))
    with pytest.raises(WeakKeyParameters):
        unlock_vault(vault_dir, PASSPHRASE)


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_damaged_database_names_the_file_and_is_not_overwritten(
    vault_dir: Path, damage: str
) -> None:
    make(vault_dir)
    database = vault_dir / "vault.db"
    data = bytearray(database.read_bytes())
    if damage == "truncate":
        data = data[:100]
    else:
        data[20] ^= 0xFF
    database.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupted) as caught:
        unlock_vault(vault_dir, PASSPHRASE)
    assert str(database) in caught.value.message
    assert database.read_bytes() == bytes(data)


def test_remember_on_device_with_a_secure_keyring(
    vault_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    make(vault_dir)
    store = KeyringSecretStore()
    with pytest.raises(DeviceNotRemembered):
        unlock_with_device(vault_dir, store)
    vault = unlock_vault(vault_dir, PASSPHRASE)
    vault.remember_on_device(store)
    assert vault.info().remembered_on_device
    vault.lock()
    unlock_with_device(vault_dir, store).lock()
    vault = unlock_vault(vault_dir, PASSPHRASE)
    vault.forget_on_device(store)
    vault.lock()
    assert memory_keyring.items == {}
    with pytest.raises(DeviceNotRemembered):
        unlock_with_device(vault_dir, store)


def test_remember_fails_closed_without_a_secure_keyring(vault_dir: Path) -> None:
    make(vault_dir)
    vault = unlock_vault(vault_dir, PASSPHRASE)
    header = (vault_dir / "vault.key").read_bytes()
    with pytest.raises(KeyringUnavailable):
        vault.remember_on_device(KeyringSecretStore())
    vault.lock()
    assert (vault_dir / "vault.key").read_bytes() == header


def test_keyring_secret_alone_cannot_open_another_copy(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    make(tmp_path / "a")
    vault = unlock_vault(tmp_path / "a", PASSPHRASE)
    vault.remember_on_device(KeyringSecretStore())
    vault.lock()
    (tmp_path / "a" / "vault.key").unlink()
    with pytest.raises(HeaderCorrupted):
        unlock_with_device(tmp_path / "a", KeyringSecretStore())


def test_settings_travel_inside_the_vault(vault_dir: Path) -> None:
    make(vault_dir)
    vault = unlock_vault(vault_dir, PASSPHRASE)
    assert vault.get_setting("hq_url") is None
    vault.set_setting("hq_url", "https://hq.example.gov")
    vault.lock()
    vault = unlock_vault(vault_dir, PASSPHRASE)
    assert vault.get_setting("hq_url") == "https://hq.example.gov"
    vault.lock()
    assert b"hq.example.gov" not in (vault_dir / "vault.db").read_bytes()
