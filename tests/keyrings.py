"""Keyring backends for tests: in memory, never keyrings.alt, never auto-detected."""

from __future__ import annotations

from typing import TypeVar

import keyring.errors
from keyring.backend import KeyringBackend

from fieldkit.crypto.device_secret import trust_backend_for_tests

B = TypeVar("B", bound=type[KeyringBackend])


def unregistered(cls: B) -> B:
    """Keep a test backend out of keyring's auto-detection registry.

    keyring records every concrete backend subclass and may pick one as the default the next
    time anything detects a backend; a fake "secure" keyring must never be chosen that way.
    """
    KeyringBackend._classes.discard(cls)  # type: ignore[attr-defined]
    return cls


def trusted_test_backend(cls: B) -> B:
    """Unregistered, and explicitly let through FieldKit's allowlist of OS keyrings: the
    stand-in for Credential Manager, Keychain or Secret Service in tests."""
    return trust_backend_for_tests(unregistered(cls))


@trusted_test_backend
class MemoryKeyring(KeyringBackend):
    """An in-memory keyring standing in for the OS one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not found")
