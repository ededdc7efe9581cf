"""The lease: HQ sets it, each contact renews it, and a vault past it (or whose lease was
edited out of the header, or whose clock was set back) opens only with the recovery key."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from fieldkit.domain.hlc import COUNTER_BITS
from fieldkit.errors import LeaseExpired
from fieldkit.hq import orders
from fieldkit.hq.cli import main as hq_main
from fieldkit.services.lease import now_ms
from fieldkit.services.vault import Vault, create_vault, recover_vault, unlock_vault
from tests.conftest import PASSPHRASE, fast_kdf
from tests.hq_server import RunningHQ
from tests.services.test_sync_service import connect

DAY_MS = 24 * 3600 * 1000
NEW_PASSPHRASE = "another correct horse battery staple"


def leased_vault(tmp_path: Path, hq: RunningHQ, days: int = 30) -> tuple[Vault, str, Path]:
    orders.set_lease(hq.storage, days)
    root = tmp_path / "vault"
    vault, recovery_key = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    connect(vault, hq, "Ana")
    vault.sync.sync_now()
    return vault, recovery_key, root


def test_each_contact_renews_the_lease_hq_set(tmp_path: Path, hq: RunningHQ) -> None:
    vault, _, root = leased_vault(tmp_path, hq)
    until = vault.lease_until()
    assert until is not None
    expected = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    assert abs((until - expected).total_seconds()) < 60
    assert "lease" in json.loads((root / "vault.key").read_text())
    # A lease of the device's own wins over the global one; none at all removes it.
    orders.set_lease(hq.storage, 2, "Ana")
    vault.sync.sync_now()
    until = vault.lease_until()
    assert until is not None and until < dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    orders.set_lease(hq.storage, None, "Ana")
    orders.set_lease(hq.storage, None)
    vault.sync.sync_now()
    assert vault.lease_until() is None
    vault.lock()
    unlock_vault(root, PASSPHRASE).lock()


def test_a_vault_past_its_lease_needs_the_recovery_key(tmp_path: Path, hq: RunningHQ) -> None:
    vault, recovery_key, root = leased_vault(tmp_path, hq, days=3)
    vault.renew_lease(3, at_ms=now_ms() - 4 * DAY_MS)  # last reached HQ four days ago
    vault.lock()
    with pytest.raises(LeaseExpired):
        unlock_vault(root, PASSPHRASE)
    recovered = recover_vault(root, recovery_key, NEW_PASSPHRASE)
    assert recovered.lease_until() is not None
    recovered.lock()
    unlock_vault(root, NEW_PASSPHRASE).lock()  # the recovery started a new lease


def test_editing_the_lease_out_of_the_header_does_not_extend_it(
    tmp_path: Path, hq: RunningHQ
) -> None:
    vault, _, root = leased_vault(tmp_path, hq)
    vault.lock()
    header = root / "vault.key"
    original = header.read_bytes()
    for edit in ("remove", "alter"):
        body = json.loads(original)
        body.pop("checksum")
        if edit == "remove":
            del body["lease"]
        else:
            body["lease"]["nonce"] = body["wraps"]["passphrase"]["nonce"]
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        body["checksum"] = hashlib.sha256(canonical).hexdigest()
        header.write_text(json.dumps(body, indent=2, sort_keys=True) + "\n")
        with pytest.raises(LeaseExpired):
            unlock_vault(root, PASSPHRASE)
    header.write_bytes(original)
    unlock_vault(root, PASSPHRASE).lock()


def test_a_clock_set_back_counts_as_a_lease_run_out(tmp_path: Path, hq: RunningHQ) -> None:
    vault, _, root = leased_vault(tmp_path, hq)
    later = (now_ms() + 10 * DAY_MS) << COUNTER_BITS  # the vault has seen ten days from "now"
    with vault.store.transaction():
        vault.store.observe_clock(later)
    vault.lock()
    with pytest.raises(LeaseExpired):
        unlock_vault(root, PASSPHRASE)


def test_without_a_lease_nothing_changes(tmp_path: Path, hq: RunningHQ) -> None:
    root = tmp_path / "vault"
    vault, _ = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    connect(vault, hq, "Ana")
    vault.sync.sync_now()
    assert vault.lease_until() is None
    vault.lock()
    unlock_vault(root, PASSPHRASE).lock()


def test_the_lease_command(
    tmp_path: Path, hq: RunningHQ, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data", str(hq.data_dir)]
    hq.enroll("Ana")
    assert hq_main(["lease", "--days", "30", *data]) == 0
    assert orders.global_lease_of(hq.storage) == 30
    assert hq_main(["lease", "--days", "0", *data]) == 2
    assert hq_main(["lease", *data]) == 2
    assert hq_main(["devices", *data]) == 0
    assert "Lease: 30 days" in capsys.readouterr().out
    assert hq_main(["lease", "--none", *data]) == 0
    assert orders.global_lease_of(hq.storage) is None


def test_a_rekey_keeps_the_lease_end(tmp_path: Path, hq: RunningHQ) -> None:
    vault, _, root = leased_vault(tmp_path, hq)
    until = vault.lease_until()
    vault.rekey(PASSPHRASE)
    assert vault.lease_until() == until
    vault.lock()
    reopened = unlock_vault(root, PASSPHRASE)
    assert reopened.lease_until() == until
    reopened.renew_lease(1, at_ms=now_ms() - 2 * DAY_MS)
    reopened.rekey(PASSPHRASE)
    reopened.lock()
    with pytest.raises(LeaseExpired):  # a rekey does not extend a lease either
        unlock_vault(root, PASSPHRASE)


def test_a_lease_code_from_hq_opens_a_vault_past_its_lease(
    tmp_path: Path, hq: RunningHQ, capsys: pytest.CaptureFixture[str]
) -> None:
    vault, _, root = leased_vault(tmp_path, hq, days=3)
    vault.renew_lease(3, at_ms=now_ms() - 4 * DAY_MS)
    vault.lock()
    other, _ = create_vault(tmp_path / "other", PASSPHRASE, kdf=fast_kdf())
    connect(other, hq, "Luis")  # another device's code opens nothing here
    _device, luis_code = orders.lease_code_for(hq.storage, "Luis", today())
    for wrong in ("ABCDE-FGHJK", luis_code):
        with pytest.raises(LeaseExpired):
            unlock_vault(root, PASSPHRASE, lease_code=wrong)
    assert hq_main(["lease-code", "Ana", "--data", str(hq.data_dir)]) == 0
    code = capsys.readouterr().out.split("\n\n")[1].strip()
    opened = unlock_vault(root, PASSPHRASE, lease_code=code.lower())
    until = opened.lease_until()
    assert until is not None and until > dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    opened.lock()
    unlock_vault(root, PASSPHRASE).lock()  # a new lease started
    other.lock()


def today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()
