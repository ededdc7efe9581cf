"""HQ's own keys, kept in the database every HQ process shares (encrypted at rest on SQLite):

- an Ed25519 signing key: devices learn its public half over the pinned TLS channel at
  enrolment (or first contact) and act on a wipe order only when it carries HQ's signature;
- an X25519 sealing key: a device in travel mode seals the list of what it removed to its
  public half, so only HQ can read that list and give the records back.

Both are made at first use; several processes starting together keep whichever was stored
first.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import SEALING_KEY, SIGNING_KEY, server_settings


@dataclass(frozen=True)
class HQKeys:
    signing: Ed25519PrivateKey
    sealing: X25519PrivateKey

    @property
    def signing_public(self) -> bytes:
        return self.signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def sealing_public(self) -> bytes:
        return self.sealing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def hq_keys(storage: Storage) -> HQKeys:
    """HQ's signing and sealing keys, made and stored the first time they are needed."""
    signing = _raw_key(storage, SIGNING_KEY, Ed25519PrivateKey.generate().private_bytes_raw)
    sealing = _raw_key(storage, SEALING_KEY, X25519PrivateKey.generate().private_bytes_raw)
    return HQKeys(
        Ed25519PrivateKey.from_private_bytes(signing),
        X25519PrivateKey.from_private_bytes(sealing),
    )


def _raw_key(storage: Storage, name: str, make: Callable[[], bytes]) -> bytes:
    stored = _stored(storage, name)
    if stored is not None:
        return stored
    raw = make()
    try:
        with storage.writing() as conn:
            conn.execute(
                insert(server_settings).values(name=name, value=base64.b64encode(raw).decode())
            )
    except IntegrityError:  # another process stored one first: use that
        pass
    found = _stored(storage, name)
    assert found is not None
    return found


def _stored(storage: Storage, name: str) -> bytes | None:
    with storage.reading() as conn:
        value = conn.execute(
            select(server_settings.c.value).where(server_settings.c.name == name)
        ).scalar_one_or_none()
    return base64.b64decode(value) if value else None
