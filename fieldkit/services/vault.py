"""Create, unlock, lock and re-key a vault.

A vault is a folder: `vault.db` (SQLCipher, opened with a random 256-bit data key) and
`vault.key` (the data key wrapped under the passphrase, the recovery key and optionally a
device secret in the OS keyring). Changing the passphrase rewraps the data key; `rekey`
re-encrypts the database under a new data key (services/rekey.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from fieldkit.crypto import header as vault_header
from fieldkit.crypto.device_secret import KeyringSecretStore, SecretStore, new_device_secret
from fieldkit.crypto.kdf import KdfParams
from fieldkit.crypto.memory import wipe
from fieldkit.domain.records import KINDS
from fieldkit.errors import (
    DeviceNotRemembered,
    GuessablePassphrase,
    HeaderCorrupted,
    KeyringUnavailable,
    KeyringUnreachable,
    LeaseExpired,
    VaultAlreadyExists,
    VaultLocked,
    VaultNotFound,
    VaultNotPrivate,
    WeakPassphrase,
    WrongPassphrase,
)
from fieldkit.private_files import make_private
from fieldkit.services import lease, rekey
from fieldkit.services.attachments import AttachmentService
from fieldkit.services.passphrase_strength import MIN_LENGTH, assess
from fieldkit.services.records import RecordService
from fieldkit.services.reports import ReportService
from fieldkit.services.shredding import shred_folder
from fieldkit.services.sync import SyncService
from fieldkit.services.transfer import TransferService
from fieldkit.services.travel import TravelService
from fieldkit.services.unlock_throttle import UnlockThrottle
from fieldkit.store.audit import AuditAction
from fieldkit.store.store import Store

MIN_PASSPHRASE = MIN_LENGTH
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VaultFiles:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "vault.db"

    @property
    def header(self) -> Path:
        return self.root / "vault.key"

    @property
    def attempts(self) -> Path:
        return self.root / "unlock-attempts.json"

    def all_files(self) -> list[Path]:
        """Every file a vault may hold (the database's WAL and SHM, an unfinished rekey's)."""
        database = self.database
        sidecars = [database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal")]
        rekeying = [rekey.pending_header_path(self.root), rekey.new_database_path(self.root)]
        return [database, *sidecars, self.header, self.attempts, *rekeying]

    def exists(self) -> bool:
        return self.header.exists() or self.database.exists()


@dataclass(frozen=True)
class VaultInfo:
    path: Path
    vault_id: str
    device_id: str
    schema_version: int
    counts: dict[str, int]
    kdf: KdfParams
    remembered_on_device: bool
    unsent_changes: int


class Vault:
    """An unlocked vault. `lock()` closes the database and wipes the key from memory."""

    def __init__(self, files: VaultFiles, header: vault_header.VaultHeader, key: bytearray):
        self.files = files
        self._header = header
        self._key = key
        # Set by an unlock that completed a rekey interrupted after its database swap: the new
        # recovery key was never shown, so the user should run the rekey again for one.
        self.finished_interrupted_rekey = False
        self._attach()

    def _attach(self) -> None:
        """Open the database with the current key and bind the services to it."""
        self._store: Store | None = Store.open(self.files.database, self._key)
        self._reader: Store | None = Store.open_reader(self.files.database, self._key)
        self.records = RecordService(self._store)
        # The same records through a read-only connection of their own, for summaries run
        # on another worker than the one lists and edits use.
        self.read_only_records = RecordService(self._reader)
        self.attachments = AttachmentService(self._store, self.records)
        self.transfer = TransferService(self._store, self.records)
        self.reports = ReportService(self._store, self.records)
        self.sync = SyncService(
            self._store, self.records, self._header.vault_id, reader=self._reader
        )
        self.sync.orders_handler = self  # HQ's orders: wipe, lease (services/device_orders.py)
        self.travel = TravelService(self._store, self.sync)

    def _detach(self) -> None:
        """Close both connections (the writer checkpoints its WAL); the key is kept."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def store(self) -> Store:
        if self._store is None:
            raise VaultLocked()
        return self._store

    @property
    def vault_id(self) -> str:
        return self._header.vault_id

    def lock(self) -> None:
        self._detach()
        wipe(self._key)

    def get_setting(self, name: str) -> str | None:
        """Configuration that travels with the data (the HQ address), kept in the vault."""
        return self.store.get_meta(f"setting:{name}")

    def set_setting(self, name: str, value: str) -> None:
        self.store.set_meta(f"setting:{name}", value)

    def integrity_problems(self) -> list[str]:
        """What SQLite's and SQLCipher's full checks find wrong in the database (empty when
        it is intact)."""
        return self.store.integrity_problems()

    def unsent_changes(self) -> int:
        """Journal entries not yet acknowledged by headquarters."""
        return self.store.count_unsent()

    def info(self) -> VaultInfo:
        store = self.store
        return VaultInfo(
            path=self.files.root,
            vault_id=self._header.vault_id,
            device_id=store.device_id,
            schema_version=store.schema_version(),
            counts={kind: store.count(cls) for kind, cls in KINDS.items()},
            kdf=self._header.kdf,
            remembered_on_device=self.remembered_on_device(),
            unsent_changes=self.unsent_changes(),
        )

    # --- keys -----------------------------------------------------------------------------

    def change_passphrase(self, old: str, new: str) -> None:
        """Rewrap the data key under `new` after checking `old`."""
        check_passphrase(new)
        wipe(vault_header.unwrap_with_passphrase(self._header, old))
        self._replace_header(vault_header.rewrap_passphrase(self._header, self._key, new))
        self.store.audit(AuditAction.PASSPHRASE_CHANGED)

    def remember_on_device(self, secrets_store: SecretStore) -> None:
        """Let this device unlock without the passphrase until `forget_on_device`."""
        if not secrets_store.available():
            raise KeyringUnavailable()
        secret = secrets.token_bytes(32)
        secrets_store.save(self.vault_id, secret)
        self._replace_header(vault_header.with_device_wrap(self._header, self._key, secret))
        self.store.audit(AuditAction.DEVICE_REMEMBERED)

    def forget_on_device(self, secrets_store: SecretStore) -> None:
        self._replace_header(vault_header.without_device_wrap(self._header))
        secrets_store.delete(self.vault_id)
        self.store.audit(AuditAction.DEVICE_FORGOTTEN)

    def rekey(self, passphrase: str, secrets_store: SecretStore | None = None) -> str:
        """Re-encrypt the database under a fresh random data key; returns the new recovery key
        (show it once).

        Every wrap is made anew: the passphrase (`passphrase`, checked first) with a new salt,
        a new recovery key, and, if this device remembers the vault, a new device secret. An
        old copy of the header, the old recovery key and the old device secret open nothing
        from now on. Crash-safe: see services/rekey.py.
        """
        wipe(vault_header.unwrap_with_passphrase(self._header, passphrase))
        new_key = bytearray(os.urandom(32))
        header, recovery_key = vault_header.rekeyed_header(self._header, new_key, passphrase)
        kept = lease.lease_until(self._header, self._key)
        if kept is not None:  # the same lease end, sealed under the new key
            days = lease.current_days(self._header, self._key) or 1
            header = lease.renewed(header, new_key, self.store, days, kept - days * 86_400_000)
        secret = None
        if self.remembered_on_device() and secrets_store and secrets_store.available():
            secret = new_device_secret()  # the old one may have leaked with the keyring
            header = vault_header.with_device_wrap(header, new_key, secret)
        root, database = self.files.root, self.files.database
        self._detach()
        try:
            rekey.copy_database(database, self._key, root, new_key)
            rekey.write_pending(root, header)
            if secrets_store is not None and secret is not None:
                secrets_store.save(self.vault_id, secret)
            rekey.swap_database(database, root)
        except BaseException:
            rekey.discard_unfinished(root)
            wipe(new_key)
            self._attach()
            raise
        rekey.commit(root, header)
        wipe(self._key)
        self._key, self._header = new_key, header
        self._attach()
        self.store.audit(AuditAction.REKEYED)
        return recovery_key

    # --- lost laptops: lease and remote wipe ------------------------------------------------

    def renew_lease(self, days: int | None, at_ms: int | None = None) -> None:
        """Start HQ's lease again from now (or `at_ms`); None removes it."""
        if days is None and self._header.lease is None and not self.store.get_meta(lease.IN_FORCE):
            return
        with self.store.transaction():
            header = lease.renewed(
                self._header, self._key, self.store, days, at_ms or lease.now_ms()
            )
            self._replace_header(header)

    def lease_until(self) -> dt.datetime | None:
        """When the passphrase alone stops opening this vault (None: no lease)."""
        until = lease.lease_until(self._header, self._key)
        return dt.datetime.fromtimestamp(until / 1000, dt.UTC) if until else None

    def shred(self) -> None:
        """Crypto-shred the vault (HQ's wipe order): the header and keyring entries first,
        then the database and every temporary copy. Nothing opens it afterwards."""
        files, vault_id = self.files, self.vault_id
        pending = rekey.pending_header_path(files.root)
        keyring_entries = [self.sync.connections.forget_token, self._forget_device_secret]
        self._detach()
        wipe(self._key)
        data_files = [p for p in files.all_files() if p not in (files.header, pending)]
        shred_folder(files.root, [files.header, pending], data_files, before_data=keyring_entries)
        log.warning("vault %s wiped on headquarters' order", vault_id)

    def _forget_device_secret(self) -> None:
        store = os_keyring()
        if store.available():
            store.delete(self.vault_id)

    def remembered_on_device(self) -> bool:
        """True if the header has a device wrap (this device may unlock without passphrase)."""
        return vault_header.DEVICE in self._header.wraps

    def _replace_header(self, new_header: vault_header.VaultHeader) -> None:
        vault_header.write_header(self.files.header, new_header)
        self._header = new_header


def os_keyring() -> SecretStore:
    """The OS keyring as a place for device secrets (unavailable where it is not secure)."""
    return KeyringSecretStore()


def check_passphrase(passphrase: str) -> None:
    """WeakPassphrase if too short, GuessablePassphrase if an attacker would try it early."""
    strength = assess(passphrase)
    if strength.score == 0:
        raise WeakPassphrase(minimum=MIN_PASSPHRASE)
    if not strength.acceptable:
        raise GuessablePassphrase(strength.reasons)


def create_vault(root: Path, passphrase: str, *, kdf: KdfParams | None = None) -> tuple[Vault, str]:
    """Create a new vault in `root`. Returns it unlocked, with the recovery key to show once."""
    files = VaultFiles(Path(root))
    if files.exists():
        raise VaultAlreadyExists(path=files.root)
    check_passphrase(passphrase)
    files.root.mkdir(parents=True, exist_ok=True, mode=0o700)
    _make_private(files)
    key = bytearray(os.urandom(32))
    header, recovery_key = vault_header.create_header(key, passphrase, kdf=kdf)
    vault_header.write_header(files.header, header)
    return Vault(files, header, key), recovery_key


def unlock_vault(
    root: Path,
    passphrase: str,
    *,
    throttle: UnlockThrottle | None = None,
    lease_code: str | None = None,
) -> Vault:
    """Open the vault with its passphrase; wrong guesses earn growing delays. Past its lease
    it opens only with `lease_code` from HQ too (which starts a new lease)."""
    files = VaultFiles(Path(root))
    header = _read_header(files)
    throttle = throttle or UnlockThrottle(files.attempts)
    throttle.check()
    try:
        opened = _open_keys(files, header, partial(_unwrap_passphrase, passphrase=passphrase))
    except WrongPassphrase:
        throttle.record_failure()
        raise
    return _within_lease(_opened(files, opened, throttle), lease_code)


def unlock_with_device(root: Path, secrets_store: SecretStore) -> Vault:
    """Open the vault with the secret this device remembers (no passphrase)."""
    files = VaultFiles(Path(root))
    header = _read_header(files)
    secret = secrets_store.load(header.vault_id) if secrets_store.available() else None
    if secret is None:
        if vault_header.DEVICE in header.wraps:  # remembered, but the keyring cannot say so
            raise KeyringUnreachable()
        raise DeviceNotRemembered()
    opened = _open_keys(
        files, header, partial(vault_header.unwrap_with_device_secret, secret=secret)
    )
    return _within_lease(_opened(files, opened, UnlockThrottle(files.attempts)))


def recover_vault(root: Path, recovery_key: str, new_passphrase: str) -> Vault:
    """Open the vault with the recovery key and set a new passphrase."""
    check_passphrase(new_passphrase)
    files = VaultFiles(Path(root))
    header = _read_header(files)
    opened = _open_keys(
        files, header, partial(vault_header.unwrap_with_recovery, recovery_key=recovery_key)
    )
    opened.header = vault_header.rewrap_passphrase(opened.header, opened.key, new_passphrase)
    vault_header.write_header(files.header, opened.header)
    vault = _opened(files, opened, UnlockThrottle(files.attempts))
    vault.store.audit(AuditAction.RECOVERED)
    days = lease.current_days(opened.header, opened.key)
    if days is not None:  # the recovery key holder lets the vault run for another lease
        vault.renew_lease(days)
    return vault


def _within_lease(vault: Vault, code: str | None = None) -> Vault:
    """The vault, or LeaseExpired (and locked) when its lease has run out, unless `code` is
    HQ's lease code for this device (then a new lease starts)."""
    now = lease.now_ms()
    if not lease.lease_run_out(vault._header, vault._key, vault.store, now):
        return vault
    token, device_id = vault.sync.connections.token_and_device()
    if code and lease.code_opens(code, token, device_id, now):
        vault.renew_lease(lease.current_days(vault._header, vault._key) or 1)
        log.warning("vault past its lease opened with a code from headquarters")
        return vault
    vault.lock()
    raise LeaseExpired()


def _unwrap_passphrase(header: vault_header.VaultHeader, passphrase: str) -> bytearray:
    return vault_header.unwrap_with_passphrase(header, passphrase)


def _open_keys(
    files: VaultFiles, header: vault_header.VaultHeader, unwrap: rekey.Unwrap
) -> rekey.Opened:
    return rekey.open_keys(files.root, files.database, header, unwrap)


def _make_private(files: VaultFiles) -> None:
    """Owner-only folder and files; loosened modes (an older version, a copy) are repaired."""
    try:
        loosened = make_private(files.root, files.all_files())
    except PermissionError as exc:
        raise VaultNotPrivate(path=Path(exc.filename or files.root)) from None
    if loosened:
        names = ", ".join(p.name for p in loosened)
        log.warning("vault files were readable by other users, now owner-only: %s", names)


def _read_header(files: VaultFiles) -> vault_header.VaultHeader:
    _make_private(files)
    if not files.header.exists():
        if files.database.exists():
            raise HeaderCorrupted(path=files.header)
        raise VaultNotFound(path=files.root)
    return vault_header.read_header(files.header)


def _opened(files: VaultFiles, opened: rekey.Opened, throttle: UnlockThrottle) -> Vault:
    vault = Vault(files, opened.header, opened.key)
    vault.finished_interrupted_rekey = opened.finished_interrupted_rekey
    failures = throttle.reset()
    with vault.store.transaction():
        for when in failures.times:
            at = dt.datetime.fromtimestamp(when, dt.UTC)
            vault.store.audit(AuditAction.UNLOCK_FAILED, at=at)
        vault.store.audit(AuditAction.UNLOCKED)
    return vault
