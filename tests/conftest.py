"""Shared fixtures. Every test runs with its own data, log, cache and config dirs, an empty
in-memory keyring, and English messages."""

from __future__ import annotations

import gc
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from hypothesis import HealthCheck, settings

from fieldkit.crypto.kdf import MIN_MEMORY_KIB, MIN_TIME_COST, KdfParams, new_kdf_params
from fieldkit.i18n import ENGLISH, set_language
from fieldkit.services.vault import Vault, create_vault
from tests.hq_server import RunningHQ, running_hq
from tests.keyrings import MemoryKeyring

PASSPHRASE = "correct horse battery staple"

# Generated inputs are judged on what they find, not on how fast a loaded machine makes them.
settings.register_profile("fieldkit", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fieldkit")


def fast_kdf() -> KdfParams:
    """The weakest parameters a vault accepts: still Argon2id 64 MiB, 3 passes."""
    return new_kdf_params(MIN_MEMORY_KIB, MIN_TIME_COST)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_HOME", "config"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    for var in (
        "FIELDKIT_VAULT",
        "FIELDKIT_PASSPHRASE",
        "FIELDKIT_NEW_PASSPHRASE",
        "FIELDKIT_RECOVERY_KEY",
        "FIELDKIT_LANG",
    ):
        monkeypatch.delenv(var, raising=False)
    # HQ's SQLite database is encrypted: each test's HQ and admin commands share one key.
    monkeypatch.delenv("FIELDKIT_HQ_KEY_FILE", raising=False)
    monkeypatch.setenv("FIELDKIT_HQ_KEY", secrets.token_hex(32))
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    set_language(ENGLISH)
    umask = os.umask(0o022)  # the entry points tighten the process umask: undone per test
    os.umask(umask)
    collector_pace = gc.get_threshold()  # and pace the cycle collector: undone too
    yield home
    os.umask(umask)
    gc.set_threshold(*collector_pace)
    keyring.set_keyring(previous)
    set_language(ENGLISH)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[RunningHQ]:
    """A real HQ server on loopback (SQLite); tests/hq and tests/sync run theirs on PostgreSQL
    too."""
    with running_hq(tmp_path / "hq") as server:
        yield server


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path) -> Iterator[Vault]:
    opened, _recovery = create_vault(vault_dir, PASSPHRASE, kdf=fast_kdf())
    yield opened
    opened.lock()
