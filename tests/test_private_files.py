"""Vault and HQ data are owner-only on disk: new files 0600 and folders 0700 whatever the
umask, loosened modes repaired (with a warning) at unlock or at HQ's start."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit import private_files
from fieldkit.domain.records import Facility
from fieldkit.errors import VaultNotPrivate
from fieldkit.hq import cli as hq_cli
from fieldkit.services.vault import create_vault, unlock_vault
from tests.conftest import PASSPHRASE, fast_kdf

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The common default (022): files 0644 unless FieldKit says otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_vault_is_owner_only_under_a_loose_umask(tmp_path: Path, loose_umask: None) -> None:
    root = tmp_path / "v"
    vault, _recovery = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    try:
        vault.records.create(Facility(name="Planta Uno"))
        files = ["vault.db", "vault.db-wal", "vault.db-shm", "vault.key"]
        assert {name: mode(root / name) for name in files} == dict.fromkeys(files, 0o600)
        assert mode(root) == 0o700
    finally:
        vault.lock()


def test_unlock_repairs_a_vault_readable_by_others_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "v"
    create_vault(root, PASSPHRASE, kdf=fast_kdf())[0].lock()
    os.chmod(root, 0o755)
    for name in ("vault.db", "vault.key"):
        os.chmod(root / name, 0o644)
    with caplog.at_level(logging.WARNING):
        unlock_vault(root, PASSPHRASE).lock()
    assert mode(root) == 0o700
    assert mode(root / "vault.db") == mode(root / "vault.key") == 0o600
    assert "readable by other users" in caplog.text and "vault.db" in caplog.text


def test_a_vault_that_cannot_be_made_private_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "v"
    create_vault(root, PASSPHRASE, kdf=fast_kdf())[0].lock()
    os.chmod(root / "vault.db", 0o644)

    def not_the_owner(path: object, _mode: int) -> None:
        # What chmod says for a file that belongs to another user (not reproducible as one).
        raise PermissionError(1, "Operation not permitted", str(path))

    monkeypatch.setattr(private_files.os, "chmod", not_the_owner)
    with pytest.raises(VaultNotPrivate) as caught:
        unlock_vault(root, PASSPHRASE)
    assert "vault.db" in caught.value.message


def test_hq_makes_its_data_folder_and_database_owner_only(
    tmp_path: Path, loose_umask: None, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "hq"
    data.mkdir(mode=0o755)
    assert hq_cli.main(["enroll", "Ana Pérez", "--data", str(data)]) == 0
    err = capsys.readouterr().err
    assert "warning" in err and str(data) in err  # the folder was open to others
    assert mode(data) == 0o700
    written = [p for p in data.iterdir() if p.name.startswith("hq.sqlite3")]
    assert written and {p.name: mode(p) for p in written} == {p.name: 0o600 for p in written}
    os.chmod(data / "hq.sqlite3", 0o644)
    assert hq_cli.main(["devices", "--data", str(data)]) == 0
    assert mode(data / "hq.sqlite3") == 0o600
    assert "hq.sqlite3" in capsys.readouterr().err
