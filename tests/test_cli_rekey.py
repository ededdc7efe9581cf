"""`fieldkit rekey` and `fieldkit recover --rekey` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_support import minimum_kdf, run

__all__ = ["minimum_kdf"]  # fixtures shared with the command line's tests
from tests.conftest import PASSPHRASE


def test_rekey_shows_a_new_recovery_key_and_revokes_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    vault = ["--vault", str(tmp_path / "v")]
    old_key = json.loads(run(capsys, *vault, "--json", "init")[1])["recovery_key"]
    code, out, _ = run(capsys, *vault, "rekey")
    assert code == 0 and "New recovery key (shown only this once)" in out
    new_key = next(line.strip() for line in out.splitlines() if line.count("-") == 7)
    assert new_key != old_key
    assert run(capsys, *vault, "info")[0] == 0  # same passphrase

    monkeypatch.setenv("FIELDKIT_NEW_PASSPHRASE", "recovered passphrase here")
    monkeypatch.setenv("FIELDKIT_RECOVERY_KEY", old_key)
    assert run(capsys, *vault, "recover")[0] == 3  # the old recovery key is dead
    monkeypatch.setenv("FIELDKIT_RECOVERY_KEY", new_key)
    code, out, _ = run(capsys, *vault, "recover")
    assert code == 0 and "fieldkit rekey" in out  # offered after a recovery


def test_recover_then_rekey_in_one_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    vault = ["--vault", str(tmp_path / "v")]
    used_key = json.loads(run(capsys, *vault, "--json", "init")[1])["recovery_key"]
    monkeypatch.setenv("FIELDKIT_RECOVERY_KEY", used_key)
    monkeypatch.setenv("FIELDKIT_NEW_PASSPHRASE", "recovered passphrase here")
    code, out, _ = run(capsys, *vault, "--json", "recover", "--rekey")
    assert code == 0
    fresh = json.loads(out[out.index("{") :])["recovery_key"]
    assert fresh != used_key
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", "recovered passphrase here")
    assert run(capsys, *vault, "info")[0] == 0
    assert run(capsys, *vault, "recover")[0] == 3  # the key used to recover is revoked
