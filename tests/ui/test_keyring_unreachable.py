"""A vault remembered on this device whose keyring is locked or missing: the lock screen says
so instead of silently asking for the passphrase."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from fieldkit.errors import DeviceNotRemembered, KeyringUnreachable
from fieldkit.services.vault import create_vault, os_keyring, unlock_with_device
from fieldkit.ui.controller import AppController
from fieldkit.ui.preferences import Preferences
from tests.conftest import PASSPHRASE, fast_kdf
from tests.keyrings import MemoryKeyring


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def remembered_vault(root: Path) -> None:
    vault, _key = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    vault.remember_on_device(os_keyring())
    vault.lock()


def test_a_remembered_vault_with_its_secret_gone_says_the_keyring_is_unreachable(  # type: ignore[no-untyped-def]
    tmp_path: Path, memory: MemoryKeyring
) -> None:
    remembered_vault(tmp_path / "v")
    unlock_with_device(tmp_path / "v", os_keyring()).lock()  # remembered: opens
    memory.items.clear()  # the keyring locked, reset or gone
    with pytest.raises(KeyringUnreachable):
        unlock_with_device(tmp_path / "v", os_keyring())
    plain, _key = create_vault(tmp_path / "plain", PASSPHRASE, kdf=fast_kdf())
    plain.lock()
    with pytest.raises(DeviceNotRemembered):  # never remembered: nothing to say
        unlock_with_device(tmp_path / "plain", os_keyring())


def test_the_lock_screen_says_so(qtbot, qapp, tmp_path: Path, memory, settings) -> None:  # type: ignore[no-untyped-def]
    remembered_vault(tmp_path / "v")
    memory.items.clear()
    ctrl = AppController(tmp_path / "v", Preferences(settings))
    try:
        ctrl.start()
        w = ctrl.window
        qtbot.waitUntil(w.unlock.error.isVisible, timeout=10_000)
        assert "keyring is locked or missing" in w.unlock.error.text()
        assert w.stack.currentWidget() is w.unlock and w.unlock.passphrase.isEnabled()
    finally:
        ctrl.shutdown()
        ctrl.window.close()
