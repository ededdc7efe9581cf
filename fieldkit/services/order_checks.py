"""Checking HQ's signed orders and sealing a travel list to HQ's key.

The device learns HQ's Ed25519 public key over the pinned TLS channel when it enrols (or on
its first contact, for devices enrolled before) and keeps it in the vault; from then on an
order acts only if it verifies under that key, names this device and HQ, and echoes the
challenge the device sent for this contact. A sealed travel list opens only with HQ's X25519
private key (fieldkit/hq/travel.py). It lives in services because it reads the domain's statement.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldkit.domain.device_orders import (
    SEALED_NONCE_BYTES,
    SIGNATURE_CONTEXT,
    TRAVEL_LIST_INFO,
    DeviceOrders,
    decode_orders,
)


class OrdersRefused(Exception):
    """An orders answer that must be ignored (forged, altered, replayed, for someone else)."""


def new_challenge() -> str:
    return secrets.token_hex(16)


def verify_orders(
    answer: object,
    pinned_key: str,
    *,
    server_id: str,
    device_id: str,
    challenge: str,
) -> DeviceOrders:
    """The orders in HQ's answer, or OrdersRefused saying why they must be ignored."""
    if not isinstance(answer, dict):
        raise OrdersRefused("not an orders answer")
    try:
        statement = base64.b64decode(str(answer["statement"]), validate=True)
        signature = base64.b64decode(str(answer["signature"]), validate=True)
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(pinned_key, validate=True))
    except (KeyError, binascii.Error, ValueError) as error:
        raise OrdersRefused(f"malformed: {type(error).__name__}") from None
    if answer.get("signing_key") != pinned_key:
        raise OrdersRefused("signed with a key that is not this HQ's")
    try:
        key.verify(signature, SIGNATURE_CONTEXT + statement)
    except InvalidSignature:
        raise OrdersRefused("bad signature") from None
    try:
        orders = decode_orders(statement)
    except (ValueError, KeyError, TypeError):
        raise OrdersRefused("not a statement") from None
    if orders.server_id != server_id or orders.device_id != device_id:
        raise OrdersRefused("for another HQ or device")
    if orders.challenge != challenge:
        raise OrdersRefused("not an answer to this contact (replayed)")
    return orders


def signing_key_of(answer: object) -> str | None:
    """The signing key an answer names (to pin on first contact over the pinned channel)."""
    if isinstance(answer, dict) and isinstance(answer.get("signing_key"), str):
        return str(answer["signing_key"])
    return None


def seal_list(record_ids: list[str], hq_sealing_key: str, device_id: str) -> bytes:
    """`record_ids` sealed so only the holder of HQ's X25519 private key can read them."""
    public = base64.b64decode(hq_sealing_key, validate=True)
    ephemeral = X25519PrivateKey.generate()
    mine = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    key = HKDF(hashes.SHA256(), 32, salt=mine + public, info=TRAVEL_LIST_INFO).derive(shared)
    nonce = secrets.token_bytes(SEALED_NONCE_BYTES)
    plain = json.dumps(record_ids).encode()
    return mine + nonce + AESGCM(key).encrypt(nonce, plain, device_id.encode())
