"""A vault header edited on disk: unlock neither hangs nor blames the passphrase, and the edit
is not counted as a wrong attempt."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pytest

from fieldkit.errors import HeaderAltered, WrongPassphrase
from fieldkit.services.vault import Vault, VaultFiles, unlock_vault
from tests.conftest import PASSPHRASE


def edit_header(path: Path, change: Any, *, fix_checksum: bool) -> None:
    body = json.loads(path.read_text("utf-8"))
    change(body)
    if fix_checksum:  # as someone who read the format would
        body.pop("checksum")
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        body["checksum"] = hashlib.sha256(canonical.encode()).hexdigest()
    path.write_text(json.dumps(body, indent=2), "utf-8")


def locked(vault: Vault) -> VaultFiles:
    vault.lock()
    return vault.files


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_cost", 17), ("memory_kib", 2 * 1024 * 1024), ("parallelism", 17)],
)
def test_kdf_settings_above_the_maxima_are_refused_at_once(
    vault: Vault, field: str, value: int
) -> None:
    files = locked(vault)
    edit_header(files.header, lambda b: b["kdf"].__setitem__(field, value), fix_checksum=True)
    started = time.monotonic()
    with pytest.raises(HeaderAltered) as caught:
        unlock_vault(files.root, PASSPHRASE)
    assert time.monotonic() - started < 1.0  # no key derivation ran
    assert "was altered" in caught.value.message
    assert not files.attempts.exists()  # not a failed attempt


def test_a_checksum_mismatch_says_altered_not_wrong_passphrase(vault: Vault) -> None:
    files = locked(vault)
    original = files.header.read_bytes()
    edit_header(files.header, lambda b: b.__setitem__("created_at", b["created_at"][:-1] + "1"),
                fix_checksum=False)  # fmt: skip
    for attempt in range(4):  # more than the free attempts: still no delay
        with pytest.raises(HeaderAltered) as caught:
            unlock_vault(files.root, PASSPHRASE if attempt % 2 else "not the passphrase")
    assert "no attempt was counted" in caught.value.message
    assert not files.attempts.exists()
    files.header.write_bytes(original)
    unlock_vault(files.root, PASSPHRASE).lock()


def test_a_wrong_passphrase_is_still_counted(vault: Vault) -> None:
    files = locked(vault)
    with pytest.raises(WrongPassphrase):
        unlock_vault(files.root, "not the passphrase")
    assert files.attempts.exists()
