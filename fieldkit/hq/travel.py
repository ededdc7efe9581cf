"""Return from travel: a device sends back the list of records it removed before crossing a
border, sealed to HQ's X25519 key (only HQ can read it); HQ opens it and answers with the
current fields of those records the device may still see, which the device stores as it
stores a pull.

Sealed list: ephemeral X25519 public key (32) | nonce (12) | AES-256-GCM of the JSON list,
the key from HKDF-SHA256 over the shared secret (salt: both public keys).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldkit.domain.device_orders import SEALED_KEY_BYTES, SEALED_NONCE_BYTES, TRAVEL_LIST_INFO
from fieldkit.hq.devices import Device
from fieldkit.hq.documents import visible_fields
from fieldkit.hq.errors import bad_request
from fieldkit.hq.keys import hq_keys
from fieldkit.hq.storage import Storage

log = logging.getLogger(__name__)
MAX_RECORDS = 200_000
IN_CHUNK = 500


def unseal_list(private: X25519PrivateKey, sealed: bytes, device_id: str) -> list[str]:
    """The record ids in a sealed travel list; 400 when it does not open (another HQ's key,
    another device's list, or altered bytes)."""
    head = SEALED_KEY_BYTES + SEALED_NONCE_BYTES
    if len(sealed) <= head:
        raise bad_request("sealed list too short")
    ephemeral = sealed[:SEALED_KEY_BYTES]
    nonce = sealed[SEALED_KEY_BYTES:head]
    public = private.public_key().public_bytes_raw()
    shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral))
    key = HKDF(hashes.SHA256(), 32, salt=ephemeral + public, info=TRAVEL_LIST_INFO).derive(shared)
    try:
        plain = AESGCM(key).decrypt(nonce, sealed[head:], device_id.encode())
    except InvalidTag:
        raise bad_request("the sealed list does not open with this HQ's key") from None
    ids = json.loads(plain)
    if (
        not isinstance(ids, list)
        or len(ids) > MAX_RECORDS
        or not all(isinstance(i, str) for i in ids)
    ):
        raise bad_request("not a travel list")
    return ids


def returned_records(storage: Storage, device: Device, sealed: bytes) -> list[dict[str, Any]]:
    """Every current field of the listed records this device may see, as RemoteChanges."""
    ids = unseal_list(hq_keys(storage).sealing, sealed, device.id)
    with storage.reading() as conn:
        changes = visible_fields(conn, device.node, ids)
    log.info("device %s returned from travel: %d records", device.id, len(ids))
    return changes
