"""What HQ tells a device at the start of each contact, as a statement HQ signs: a remote wipe
(bound to the device, a nonce HQ keeps, and the device's own fresh challenge), the lease the
device must renew, and HQ's public key for sealing travel lists. Pure data: HQ signs these
bytes (fieldkit/hq/orders.py) and the device verifies them (fieldkit/crypto/orders.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

ORDERS_FORMAT = "fieldkit-device-orders/1"
SIGNATURE_CONTEXT = b"fieldkit/device-orders/v1\n"
TRAVEL_LIST_INFO = b"fieldkit/travel-list/v1"
MAX_LEASE_DAYS = 3650
SEALED_KEY_BYTES = 32
SEALED_NONCE_BYTES = 12


@dataclass(frozen=True)
class DeviceOrders:
    server_id: str
    device_id: str
    challenge: str  # the device's random value for this contact: an old answer replays nothing
    issued_at: int  # HQ's clock, ms
    sealing_key: str  # base64 X25519 public key for travel lists
    lease_days: int | None = None
    wipe_nonce: str | None = None  # set: HQ orders this device wiped
    keep_unsent: bool = False  # push unsent changes before wiping

    @property
    def wipe(self) -> bool:
        return self.wipe_nonce is not None


def encode_orders(orders: DeviceOrders) -> bytes:
    """The canonical bytes HQ signs (sorted keys, no spaces)."""
    body = {
        "format": ORDERS_FORMAT,
        "server_id": orders.server_id,
        "device_id": orders.device_id,
        "challenge": orders.challenge,
        "issued_at": orders.issued_at,
        "sealing_key": orders.sealing_key,
        "lease_days": orders.lease_days,
        "wipe_nonce": orders.wipe_nonce,
        "keep_unsent": orders.keep_unsent,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def decode_orders(data: bytes) -> DeviceOrders:
    """The statement in `data`; ValueError when it is not one."""
    body = json.loads(data.decode("utf-8"))
    if not isinstance(body, dict) or body.get("format") != ORDERS_FORMAT:
        raise ValueError("not a device orders statement")
    lease = body.get("lease_days")
    if lease is not None and (
        not isinstance(lease, int) or isinstance(lease, bool) or not 0 < lease <= MAX_LEASE_DAYS
    ):
        raise ValueError("bad lease")
    orders = DeviceOrders(
        server_id=_text(body, "server_id"),
        device_id=_text(body, "device_id"),
        challenge=_text(body, "challenge"),
        issued_at=int(body["issued_at"]),
        sealing_key=_text(body, "sealing_key"),
        lease_days=lease,
        wipe_nonce=body.get("wipe_nonce") if isinstance(body.get("wipe_nonce"), str) else None,
        keep_unsent=body.get("keep_unsent") is True,
    )
    if encode_orders(orders) != data:
        raise ValueError("not in canonical form")
    return orders


def _text(body: dict[str, object], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise ValueError(f"missing {name}")
    return value


# --- lease codes: HQ lets a vault past its lease open once more, over the phone -------------

LEASE_CODE_CONTEXT = "fieldkit-lease-code/1"
LEASE_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
LEASE_CODE_CHARS = 10  # 50 bits: tried only after the right passphrase


def lease_code(token_sha256: str, device_id: str, day: str) -> str:
    """The code for `day` (YYYY-MM-DD, UTC): an HMAC keyed with the digest of the device's
    token, which HQ stores and the device can compute, so no new secret is needed."""
    mac = hmac.new(
        bytes.fromhex(token_sha256),
        f"{LEASE_CODE_CONTEXT}|{device_id}|{day}".encode(),
        hashlib.sha256,
    ).digest()
    number = int.from_bytes(mac[:8], "big") >> (64 - 5 * LEASE_CODE_CHARS)
    chars = [LEASE_CODE_ALPHABET[(number >> (5 * i)) & 31] for i in range(LEASE_CODE_CHARS)]
    text = "".join(reversed(chars))
    return f"{text[:5]}-{text[5:]}"


def same_lease_code(typed: str, expected: str) -> bool:
    """Typed loosely (lower case, spaces, O for 0, I or L for 1) and compared in constant time."""
    cleaned = typed.strip().upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    return hmac.compare_digest(cleaned.encode(), expected.replace("-", "").encode())
