"""Orders for devices: remote wipe and leases, decided by the admin and delivered signed at
the start of the device's next contact (GET /v1/device/orders).

A wipe order reaches a revoked device too (revoke and wipe together): for these two endpoints
only, a revoked device's token is accepted while a wipe is pending for it.
"""

from __future__ import annotations

import base64
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from fieldkit.domain.device_orders import (
    MAX_LEASE_DAYS,
    DeviceOrders,
    encode_orders,
    lease_code,
)
from fieldkit.domain.device_orders import SIGNATURE_CONTEXT as CONTEXT
from fieldkit.hq.codes import digest
from fieldkit.hq.devices import (
    MAX_TOKEN_CHARS,
    Device,
    authenticate,
    find_device,
    find_device_by_id,
)
from fieldkit.hq.errors import AdminError, ApiError, bad_request, unauthorized
from fieldkit.hq.keys import hq_keys
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import LEASE_DAYS, device_controls, devices, server_settings

log = logging.getLogger(__name__)
MAX_CHALLENGE = 64


@dataclass(frozen=True)
class Control:
    """An admin's orders for one device, as `devices` shows them."""

    wipe_ordered_at: int | None = None
    keep_unsent: bool = False
    wipe_delivered_at: int | None = None
    wiped_at: int | None = None
    lease_days: int | None = None


def order_wipe(
    storage: Storage, ident: str, now_ms: int, *, keep_unsent: bool, revoke: bool
) -> Device:
    """Order the device wiped on its next contact (and revoke it, with `revoke`)."""
    with storage.writing() as conn:
        device = find_device(conn, ident)
        _ensure_row(conn, device.id)
        conn.execute(
            update(device_controls)
            .where(device_controls.c.device_id == device.id)
            .values(
                wipe_ordered_at=now_ms,
                wipe_keep_unsent=keep_unsent,
                wipe_nonce=secrets.token_hex(16),
                wipe_delivered_at=None,
                wiped_at=None,
            )
        )
        if revoke and device.revoked_at is None:
            conn.execute(update(devices).where(devices.c.id == device.id).values(revoked_at=now_ms))
    log.info("wipe ordered for device %s%s", device.id, " (revoked)" if revoke else "")
    return find_device_by_id(storage, device.id)


def set_lease(storage: Storage, days: int | None, ident: str | None = None) -> Device | None:
    """The lease in days (None: no lease) for one device, or the global one without `ident`.
    A device's own lease of None falls back to the global lease."""
    if days is not None and not 0 < days <= MAX_LEASE_DAYS:
        raise AdminError(f"A lease is 1 to {MAX_LEASE_DAYS} days.")
    with storage.writing() as conn:
        if ident is None:
            conn.execute(server_settings.delete().where(server_settings.c.name == LEASE_DAYS))
            if days is not None:
                conn.execute(insert(server_settings).values(name=LEASE_DAYS, value=str(days)))
            return None
        device = find_device(conn, ident)
        _ensure_row(conn, device.id)
        conn.execute(
            update(device_controls)
            .where(device_controls.c.device_id == device.id)
            .values(lease_days=days)
        )
    return find_device_by_id(storage, device.id)


def global_lease(conn: Connection) -> int | None:
    value = conn.execute(
        select(server_settings.c.value).where(server_settings.c.name == LEASE_DAYS)
    ).scalar_one_or_none()
    return int(value) if value else None


def lease_code_for(storage: Storage, ident: str, day: str) -> tuple[Device, str]:
    """A code that lets the device's vault, past its lease, open with its passphrase once
    more on `day` (UTC) or the day after."""
    with storage.reading() as conn:
        device = find_device(conn, ident)
        token_sha256 = conn.execute(
            select(devices.c.token_sha256).where(devices.c.id == device.id)
        ).scalar_one()
    if device.revoked_at is not None:
        raise AdminError(f"{device.id} ({device.name}) is revoked: no lease code for it.")
    return device, lease_code(token_sha256, device.id, day)


def global_lease_of(storage: Storage) -> int | None:
    with storage.reading() as conn:
        return global_lease(conn)


def controls(storage: Storage) -> dict[str, Control]:
    """Every device's orders, by device id."""
    with storage.reading() as conn:
        rows = conn.execute(select(device_controls)).all()
    return {row.device_id: _control(row) for row in rows}


def device_for_orders(storage: Storage, authorization: str | None) -> Device:
    """The device behind the token; a revoked one only while a wipe is pending for it."""
    try:
        return authenticate(storage, authorization)
    except ApiError as error:
        if error.code != "device_revoked":
            raise
        scheme, _, token = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_CHARS:
            raise unauthorized("a device token is required") from None
        with storage.reading() as conn:
            row = conn.execute(
                select(devices.c.id, device_controls.c.wipe_nonce, device_controls.c.wiped_at)
                .join(device_controls, device_controls.c.device_id == devices.c.id)
                .where(devices.c.token_sha256 == digest(token.strip()))
            ).one_or_none()
        if row is None or row.wipe_nonce is None or row.wiped_at is not None:
            raise
        return find_device_by_id(storage, row.id)


def signed_orders(
    storage: Storage, device: Device, server_id: str, challenge: str, now_ms: int
) -> dict[str, str]:
    """The device's orders as a statement signed with HQ's key (the wire answer)."""
    if not challenge or len(challenge) > MAX_CHALLENGE or not challenge.isalnum():
        raise bad_request("challenge: 1 to 64 letters or digits")
    keys = hq_keys(storage)
    with storage.writing() as conn:
        row = conn.execute(
            select(device_controls).where(device_controls.c.device_id == device.id)
        ).one_or_none()
        control = _control(row) if row is not None else Control()
        lease = control.lease_days or global_lease(conn)
        nonce = row.wipe_nonce if row is not None and control.wiped_at is None else None
        if nonce is not None and control.wipe_delivered_at is None:
            conn.execute(
                update(device_controls)
                .where(device_controls.c.device_id == device.id)
                .values(wipe_delivered_at=now_ms)
            )
    statement = encode_orders(
        DeviceOrders(
            server_id=server_id,
            device_id=device.id,
            challenge=challenge,
            issued_at=now_ms,
            sealing_key=_b64(keys.sealing_public),
            lease_days=lease,
            wipe_nonce=nonce,
            keep_unsent=control.keep_unsent if nonce else False,
        )
    )
    if nonce:
        log.info("wipe order delivered to device %s", device.id)
    return {
        "statement": _b64(statement),
        "signature": _b64(keys.signing.sign(CONTEXT + statement)),
        "signing_key": _b64(keys.signing_public),
    }


def record_wiped(storage: Storage, device: Device, nonce: str, now_ms: int) -> None:
    """The device reports the wipe done; only the nonce of the pending order counts."""
    with storage.writing() as conn:
        done = conn.execute(
            update(device_controls)
            .where(
                device_controls.c.device_id == device.id,
                device_controls.c.wipe_nonce == nonce,
                device_controls.c.wiped_at.is_(None),
            )
            .values(wiped_at=now_ms)
        )
        if done.rowcount != 1:
            raise bad_request("no such wipe order")
        # A wiped device never syncs again, whatever it (or a copy of its token) sends.
        conn.execute(
            update(devices)
            .where(devices.c.id == device.id, devices.c.revoked_at.is_(None))
            .values(revoked_at=now_ms)
        )
    log.info("device %s reports it is wiped", device.id)


def _ensure_row(conn: Connection, device_id: str) -> None:
    exists = conn.execute(
        select(device_controls.c.device_id).where(device_controls.c.device_id == device_id)
    ).one_or_none()
    if exists is None:
        conn.execute(insert(device_controls).values(device_id=device_id, wipe_keep_unsent=False))


def _control(row: Any) -> Control:
    return Control(
        wipe_ordered_at=row.wipe_ordered_at,
        keep_unsent=bool(row.wipe_keep_unsent),
        wipe_delivered_at=row.wipe_delivered_at,
        wiped_at=row.wiped_at,
        lease_days=row.lease_days,
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
