from __future__ import annotations

import base64
from collections.abc import Callable, Iterator

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from fieldkit.crypto.device_secret import (
    OS_KEYRING_BACKENDS,
    SECRET_BYTES,
    SERVICE,
    KeyringSecretStore,
    SecretStore,
    is_secure_backend,
    new_device_secret,
)
from fieldkit.errors import KeyringUnavailable
from tests.keyrings import MemoryKeyring, trusted_test_backend, unregistered

VAULT = "7c6f3d52-8a1e-4b8f-9a53-0d5f5c1e2b3a"


@trusted_test_backend
class BrokenKeyring(MemoryKeyring):
    """A secure-looking keyring whose every operation fails (e.g. locked, D-Bus gone)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("cannot set")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringError("cannot delete")


@trusted_test_backend
class StuckKeyring(MemoryKeyring):
    """Reports a delete failure while keeping the secret."""

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("access denied")


UseBackend = Callable[[KeyringBackend], KeyringBackend]


@pytest.fixture
def use_backend() -> Iterator[UseBackend]:
    """Install a keyring backend for one test and put the previous one back afterwards."""
    previous = keyring.get_keyring()

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    try:
        yield install
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def memory(use_backend: UseBackend) -> MemoryKeyring:
    backend = MemoryKeyring()
    use_backend(backend)
    return backend


def test_round_trip(memory: MemoryKeyring) -> None:
    store: SecretStore = KeyringSecretStore()
    secret = new_device_secret()
    assert store.available()
    assert store.load(VAULT) is None
    store.save(VAULT, secret)
    assert store.load(VAULT) == secret
    # Stored as base64 text under service "FieldKit", username = vault id.
    assert memory.items[SERVICE, VAULT] == base64.b64encode(secret).decode()
    store.delete(VAULT)
    assert store.load(VAULT) is None
    store.delete(VAULT)  # deleting what is not there is fine


def test_secrets_are_per_vault(memory: MemoryKeyring) -> None:
    store = KeyringSecretStore()
    a, b = new_device_secret(), new_device_secret()
    assert a != b
    assert len(a) == SECRET_BYTES
    store.save(VAULT, a)
    store.save("other-vault", b)
    assert store.load(VAULT) == a
    assert store.load("other-vault") == b


@pytest.mark.parametrize("stored", ["not base64!", base64.b64encode(b"short").decode(), ""])
def test_malformed_value_loads_as_none(memory: MemoryKeyring, stored: str) -> None:
    memory.items[SERVICE, VAULT] = stored
    assert KeyringSecretStore().load(VAULT) is None


def test_save_refuses_wrong_length(memory: MemoryKeyring) -> None:
    with pytest.raises(ValueError):
        KeyringSecretStore().save(VAULT, b"short")


def test_fail_backend_is_unavailable(use_backend: UseBackend) -> None:
    use_backend(fail.Keyring())
    store = KeyringSecretStore()
    assert not store.available()
    with pytest.raises(KeyringUnavailable):
        store.save(VAULT, new_device_secret())
    assert store.load(VAULT) is None
    store.delete(VAULT)


def test_null_backend_is_unavailable(use_backend: UseBackend) -> None:
    use_backend(null.Keyring())
    assert not KeyringSecretStore().available()
    with pytest.raises(KeyringUnavailable):
        KeyringSecretStore().save(VAULT, new_device_secret())


def test_keyring_errors_become_typed_errors(use_backend: UseBackend) -> None:
    use_backend(BrokenKeyring())
    store = KeyringSecretStore()
    assert store.available()
    with pytest.raises(KeyringUnavailable) as caught:
        store.save(VAULT, new_device_secret())
    assert caught.value.__cause__ is None
    assert store.load(VAULT) is None
    with pytest.raises(KeyringUnavailable):
        store.delete(VAULT)


def test_delete_that_did_not_happen_is_reported(use_backend: UseBackend) -> None:
    backend = use_backend(StuckKeyring())
    store = KeyringSecretStore()
    store.save(VAULT, new_device_secret())
    with pytest.raises(KeyringUnavailable):
        store.delete(VAULT)
    assert isinstance(backend, StuckKeyring)
    assert backend.items


def _renamed(module: str) -> KeyringBackend:
    cls = unregistered(type("FileKeyring", (MemoryKeyring,), {"__module__": module}))
    backend: KeyringBackend = cls()
    return backend


@pytest.mark.parametrize(
    "module", ["keyrings.alt.file", "keyrings.alt", "keyrings.cryptfile.cryptfile"]
)
def test_file_backends_are_refused(use_backend: UseBackend, module: str) -> None:
    use_backend(_renamed(module))
    store = KeyringSecretStore()
    assert not store.available()
    with pytest.raises(KeyringUnavailable):
        store.save(VAULT, new_device_secret())


@pytest.mark.parametrize(
    "module", ["keyrings.plaintext", "keyrings.alternative_os_store", "keyring.backends.fake"]
)
def test_third_party_backends_are_refused(use_backend: UseBackend, module: str) -> None:
    # Only the OS stores are allowed: a backend nobody listed (here one that keeps the secret
    # in a dict, as a plaintext file backend would on disk) is refused whatever its priority.
    use_backend(_renamed(module))
    store = KeyringSecretStore()
    assert not store.available()
    with pytest.raises(KeyringUnavailable):
        store.save(VAULT, new_device_secret())


def test_the_allowlist_names_the_real_os_store_classes() -> None:
    from keyring.backends import SecretService, Windows, kwallet, libsecret, macOS  # noqa: PLC0415

    real = {Windows.WinVaultKeyring, macOS.Keyring, SecretService.Keyring, libsecret.Keyring}
    real |= {kwallet.DBusKeyring, kwallet.DBusKeyringKWallet4}
    assert {f"{c.__module__}.{c.__qualname__}" for c in real} == OS_KEYRING_BACKENDS


def test_a_subclass_of_an_os_store_is_not_trusted() -> None:
    from keyring.backends import SecretService  # noqa: PLC0415 - only this test

    subclass = unregistered(
        type("Keyring", (SecretService.Keyring,), {"priority": 5, "__module__": __name__})
    )
    assert not is_secure_backend(subclass())


@trusted_test_backend
class ZeroPriority(MemoryKeyring):
    priority = 0


@trusted_test_backend
class BrokenPriority(MemoryKeyring):
    @property
    def priority(self) -> float:  # type: ignore[override]
        raise RuntimeError("backend not usable here")


def test_low_or_unreadable_priority_is_refused() -> None:
    assert not is_secure_backend(ZeroPriority())
    assert not is_secure_backend(BrokenPriority())


def _chain(*members: KeyringBackend) -> KeyringBackend:
    cls = unregistered(type("FixedChain", (chainer.ChainerBackend,), {"backends": list(members)}))
    backend: KeyringBackend = cls()
    return backend


def test_chainer_backends() -> None:
    assert is_secure_backend(_chain(MemoryKeyring(), MemoryKeyring()))
    assert not is_secure_backend(_chain(fail.Keyring(), _renamed("keyrings.alt.file")))
    # Stricter than required: one file backend in the chain is enough to refuse it.
    assert not is_secure_backend(_chain(MemoryKeyring(), _renamed("keyrings.alt.file")))
    assert not is_secure_backend(_chain())


def test_test_backends_are_not_registered() -> None:
    registered = KeyringBackend._classes
    assert MemoryKeyring not in registered
    assert BrokenPriority not in registered
