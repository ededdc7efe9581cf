"""The vault's lease: until when the passphrase alone may open it.

HQ sets a lease in days; each contact with HQ renews it from that moment. The end is sealed
in the header (AES-256-GCM under a key derived from the data key, bound to the vault id), so
editing the file can neither extend nor forge it: an altered lease fails to open and counts
as run out. The encrypted database also records that a lease is in force, so deleting the
lease from the header counts as run out too.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldkit.crypto.header import NONCE_BYTES, VaultHeader, Wrap

LEASE_INFO = b"fieldkit/lease/v1"
DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class Lease:
    until_ms: int  # the passphrase alone opens the vault until then
    days: int  # the length HQ set, renewed from each contact


class LeaseAltered(Exception):
    """The header's lease does not open under this vault's data key."""


def with_lease(header: VaultHeader, data_key: bytes | bytearray, lease: Lease) -> VaultHeader:
    plain = json.dumps({"until": lease.until_ms, "days": lease.days}, sort_keys=True).encode()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(_key(header, data_key)).encrypt(nonce, plain, _aad(header))
    return replace(header, lease=Wrap(nonce=nonce, ciphertext=sealed))


def without_lease(header: VaultHeader) -> VaultHeader:
    return replace(header, lease=None)


def read_lease(header: VaultHeader, data_key: bytes | bytearray) -> Lease | None:
    """The lease in the header (None: no lease); LeaseAltered when it does not authenticate."""
    if header.lease is None:
        return None
    try:
        plain = AESGCM(_key(header, data_key)).decrypt(
            header.lease.nonce, header.lease.ciphertext, _aad(header)
        )
        body = json.loads(plain)
        return Lease(until_ms=int(body["until"]), days=int(body["days"]))
    except (InvalidTag, ValueError, KeyError, TypeError):
        raise LeaseAltered() from None


def _key(header: VaultHeader, data_key: bytes | bytearray) -> bytes:
    hkdf = HKDF(hashes.SHA256(), 32, salt=header.vault_id.encode(), info=LEASE_INFO)
    return hkdf.derive(bytes(data_key))


def _aad(header: VaultHeader) -> bytes:
    return json.dumps({"vault_id": header.vault_id, "part": "lease"}, sort_keys=True).encode()
