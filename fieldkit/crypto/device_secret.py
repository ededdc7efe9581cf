"""'Remember on this device': a random secret kept in the operating system's keyring.

The secret only opens the vault together with the device wrap in the vault header, and only
where the OS keyring protects it. The backends allowed are named one by one (Windows Credential
Manager, macOS Keychain, Secret Service, KWallet); everything else is refused, including any
third-party backend that stores secrets in a plain or self-encrypted file (keyrings.alt,
keyrings.cryptfile and whatever comes next): a border agent imaging the disk would read them.
We fail closed: when in doubt, the user types the passphrase.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import TYPE_CHECKING, Protocol, TypeVar

from fieldkit.errors import KeyringUnavailable

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# keyring is imported where a secret is kept or read, not with this module: it costs ~90 ms
# of every start (it loads urllib and email), and unlocking with a passphrase, syncing and
# most commands never touch it.

B = TypeVar("B", bound="type[KeyringBackend]")
SERVICE = "FieldKit"
SECRET_BYTES = 32
# The exact classes (module and name) that keep secrets in the operating system's own store.
# Exact, not "subclass of": a subclass can override where the secret goes.
OS_KEYRING_BACKENDS = frozenset(
    {
        "keyring.backends.Windows.WinVaultKeyring",  # Windows Credential Manager
        "keyring.backends.macOS.Keyring",  # macOS Keychain
        "keyring.backends.SecretService.Keyring",  # Secret Service (GNOME Keyring, KeePassXC)
        "keyring.backends.libsecret.Keyring",  # Secret Service through libsecret
        "keyring.backends.kwallet.DBusKeyring",  # KWallet 5 and later
        "keyring.backends.kwallet.DBusKeyringKWallet4",  # KWallet 4
    }
)
_trusted_for_tests: set[type[KeyringBackend]] = set()


class SecretStore(Protocol):
    """Where a per-vault device secret is kept."""

    def available(self) -> bool:
        """True if secrets can be kept here safely."""
        ...

    def load(self, vault_id: str) -> bytes | None:
        """The secret for `vault_id`, or None if there is none (or it cannot be read)."""
        ...

    def save(self, vault_id: str, secret: bytes) -> None:
        """Keep `secret` for `vault_id`; KeyringUnavailable if that cannot be done safely."""
        ...

    def delete(self, vault_id: str) -> None:
        """Forget the secret for `vault_id` (no error if there was none)."""
        ...


def new_device_secret() -> bytes:
    """A fresh random device secret."""
    return secrets.token_bytes(SECRET_BYTES)


class KeyringSecretStore:
    """A SecretStore on the active `keyring` backend: service "FieldKit", user = vault id."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def available(self) -> bool:
        """True only if the active keyring backend is one that really protects secrets."""
        return self._backend() is not None

    def load(self, vault_id: str) -> bytes | None:
        """The stored secret, or None if absent, unreadable or malformed."""
        import keyring.errors  # noqa: PLC0415 - see the note at the top

        backend = self._backend()
        if backend is None:
            return None
        try:
            text = backend.get_password(self.service, vault_id)
        except keyring.errors.KeyringError:
            return None
        if not isinstance(text, str):
            return None
        try:
            secret = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError):
            return None
        return secret if len(secret) == SECRET_BYTES else None

    def save(self, vault_id: str, secret: bytes) -> None:
        """Store `secret` as base64 text; KeyringUnavailable if the keyring is unsafe or fails."""
        import keyring.errors  # noqa: PLC0415 - see the note at the top

        if len(secret) != SECRET_BYTES:
            raise ValueError("a device secret is 32 bytes")
        backend = self._backend()
        if backend is None:
            raise KeyringUnavailable()
        try:
            backend.set_password(self.service, vault_id, base64.b64encode(secret).decode("ascii"))
        except keyring.errors.KeyringError:
            # `from None`: the backend's message is of no use to the user and is not ours to
            # vouch for; the typed error says what to do.
            raise KeyringUnavailable() from None

    def delete(self, vault_id: str) -> None:
        """Remove the stored secret; nothing to do if there is none or no secure keyring.

        A failure to delete a secret that is still there raises KeyringUnavailable, so a
        "forget this device" that did not happen is never reported as done.
        """
        import keyring.errors  # noqa: PLC0415 - see the note at the top

        backend = self._backend()
        if backend is None:
            return  # nothing can have been saved through an insecure backend
        try:
            backend.delete_password(self.service, vault_id)
        except keyring.errors.PasswordDeleteError:
            # Backends use this error for "not found" as well as for real failures.
            if self.load(vault_id) is not None:
                raise KeyringUnavailable() from None
        except keyring.errors.KeyringError:
            raise KeyringUnavailable() from None

    @staticmethod
    def _backend() -> KeyringBackend | None:
        """The active backend if it is secure, else None."""
        import keyring  # noqa: PLC0415 - see the note at the top

        try:
            backend = keyring.get_keyring()
        except Exception:  # any failure to set up the keyring means "no keyring"
            return None
        return backend if is_secure_backend(backend) else None


def is_secure_backend(backend: KeyringBackend) -> bool:
    """True if `backend` is one of the OS stores (fail closed on anything else or odd)."""
    from keyring.backends import chainer  # noqa: PLC0415 - see the note at the top

    try:
        if isinstance(backend, chainer.ChainerBackend):
            # A chain reads from every member, so each one must be an OS store.
            members = list(backend.backends)
            return bool(members) and all(is_secure_backend(member) for member in members)
        allowed = _class_name(backend) in OS_KEYRING_BACKENDS
        if not allowed and type(backend) not in _trusted_for_tests:
            return False
        return float(backend.priority) > 0
    except Exception:  # a backend whose priority cannot be read is not usable
        return False


def trust_backend_for_tests(cls: B) -> B:
    """Let the exact class `cls` (an in-memory test keyring) pass as an OS store.

    For test suites only: the application never calls it.
    """
    _trusted_for_tests.add(cls)
    return cls


def backend_name() -> str:
    """The active keyring backend's class, for diagnostics ("keyring.backends.fail.Keyring";
    a chain lists its members)."""
    import keyring  # noqa: PLC0415 - see the note at the top
    from keyring.backends import chainer  # noqa: PLC0415

    try:
        backend = keyring.get_keyring()
    except Exception:  # the same failure `_backend` treats as "no keyring"
        return "none"
    if isinstance(backend, chainer.ChainerBackend):
        members = ", ".join(_class_name(member) for member in backend.backends)
        return f"{_class_name(backend)} ({members})"
    return _class_name(backend)


def _class_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"
