"""Devices: enrolment with a one-time code, token checks on every request, revocation, and
the admin's list. Only digests of codes and tokens are stored."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from fieldkit.hq import nodes, roles
from fieldkit.hq.codes import code_digest, digest, new_code, new_token, same_digest
from fieldkit.hq.errors import AdminError, ApiError, UnknownDevice, unauthorized
from fieldkit.hq.pull import count_pending
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import devices, enrolment_codes
from fieldkit.sync.protocol import EnrolRequest, EnrolResponse

log = logging.getLogger(__name__)

CODE_VALIDITY_MS = 24 * 3600 * 1000
MAX_TOKEN_CHARS = 256
MAX_SEQUENCE = (1 << 63) - 1  # a BIGINT


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    label: str
    node: str
    created_at: int
    last_seen_at: int | None
    revoked_at: int | None
    cursor: int


@dataclass(frozen=True)
class DeviceStatus:
    device: Device
    pending: int
    nodes: tuple[str, ...] = ()  # the nodes it holds: its own, and those it took over
    role: roles.Role = roles.Role()


def create_code(
    storage: Storage,
    name: str,
    now_ms: int,
    replaces: str | None = None,
    role: roles.Role | None = None,
) -> str:
    """A one-time code that enrols one device under `name` within 24 hours, with `role`
    (default: an attaché without a post; a replacement keeps the old device's role). With
    `replaces` (a revoked device's id or unique name), the new device takes over that
    device's nodes, and with them its records; AdminError unless that device is revoked and
    not yet replaced."""
    code = new_code()
    with storage.writing() as conn:
        old = _replaceable(conn, replaces) if replaces is not None else None
        if role is None and old is not None:
            role = roles.role_of(conn, old)
        roles.save_code_role(conn, code_digest(code), role or roles.Role())
        conn.execute(
            insert(enrolment_codes).values(
                code_sha256=code_digest(code),
                name=name,
                created_at=now_ms,
                expires_at=now_ms + CODE_VALIDITY_MS,
                replaces=old,
            )
        )
    log.info("enrolment code created%s", f" to replace device {old}" if old else "")
    return code


def _replaceable(conn: Connection, ident: str) -> str:
    device = find_device(conn, ident)
    if device.revoked_at is None:
        raise AdminError(
            f"{device.id} ({device.name}) is not revoked. Revoke it first "
            f"('fieldkit-hq revoke {device.id}'): a lost laptop must not sync again."
        )
    if not nodes.nodes_of_device(conn, device.id):
        raise AdminError(f"{device.id} ({device.name}) was already replaced by another device.")
    return device.id


def enrol(
    storage: Storage,
    request: EnrolRequest,
    server_id: str,
    now_ms: int,
    authorization: str | None = None,
) -> EnrolResponse:
    """Exchange a code for a new device and its token; 403 enrolment_refused when the code
    is unknown, used or expired, or the node is held by another device.

    A vault enrolling again (after HQ changed its certificate, say) proves it is the device
    holding its node by sending that device's token (`authorization`): the new device takes
    over its nodes and the old token is revoked."""
    key = code_digest(request.code)
    token = new_token()
    device_id = "dev-" + secrets.token_hex(8)
    previous = _token_digest(authorization)
    try:
        name = _enrol(
            storage, request, key, device_id=device_id, token=token, now_ms=now_ms,
            previous=previous,
        )  # fmt: skip
    except IntegrityError as error:
        # Another enrolment bound the same node at the same moment (PostgreSQL: both saw none).
        raise nodes.NodeHeld() from error
    log.info("device %s enrolled", device_id)
    return EnrolResponse(device_id=device_id, device_name=name, token=token, server_id=server_id)


def _enrol(
    storage: Storage,
    request: EnrolRequest,
    key: str,
    *,
    device_id: str,
    token: str,
    now_ms: int,
    previous: str | None,
) -> str:
    """Use the code, add the device and bind its node, all or nothing; the device's name."""
    refused = ApiError(403, "enrolment_refused", "unknown, used or expired enrolment code")
    with storage.writing() as conn:
        code = conn.execute(
            select(enrolment_codes).where(enrolment_codes.c.code_sha256 == key)
        ).one_or_none()
        if code is None or code.used_at is not None or code.expires_at <= now_ms:
            raise refused
        claimed = conn.execute(
            update(enrolment_codes)
            .where(enrolment_codes.c.code_sha256 == key, enrolment_codes.c.used_at.is_(None))
            .values(used_at=now_ms, device_id=device_id)
        )
        if claimed.rowcount != 1:
            raise refused
        conn.execute(
            insert(devices).values(
                id=device_id,
                name=code.name,
                label=_printable(request.label),
                node=request.node,
                token_sha256=digest(token),
                created_at=now_ms,
                cursor=0,
            )
        )
        roles.set_role(conn, device_id, roles.code_role(conn, key), now_ms)
        replaces = code.replaces or _same_vault(conn, previous, request.node, now_ms)
        nodes.bind(conn, device_id, request.node, replaces, now_ms)
    return str(code.name)


def _same_vault(conn: Connection, token_sha256: str | None, node: str, now_ms: int) -> str | None:
    """The device whose token the enrolling vault sent, when that device (not revoked) holds
    the vault's node; it is revoked now, as the new device replaces it."""
    if token_sha256 is None:
        return None
    row = conn.execute(
        select(devices.c.id).where(
            devices.c.token_sha256 == token_sha256, devices.c.revoked_at.is_(None)
        )
    ).one_or_none()
    if row is None or nodes.holder(conn, node) != row.id:
        return None
    conn.execute(update(devices).where(devices.c.id == row.id).values(revoked_at=now_ms))
    log.info("device %s enrolled again; its old token is revoked", row.id)
    return str(row.id)


def _token_digest(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_CHARS:
        return None
    return digest(token)


def authenticate(storage: Storage, authorization: str | None) -> Device:
    """The device behind an `Authorization: Bearer` header; 401 or 403 device_revoked."""
    key = _token_digest(authorization)
    if key is None:
        raise unauthorized("a device token is required")
    with storage.reading() as conn:
        row = conn.execute(select(devices).where(devices.c.token_sha256 == key)).one_or_none()
    if row is None or not same_digest(row.token_sha256, key):
        raise unauthorized("HQ does not know this device token")
    if row.revoked_at is not None:
        raise ApiError(403, "device_revoked", "this device was revoked by headquarters")
    return _device(row)


def touch(conn: Connection, device_id: str, cursor: int, now_ms: int) -> None:
    """Remember when the device last synced and how far it has pulled (a cursor beyond
    any sequence number, which only a broken device sends, is kept as the largest one)."""
    kept = min(cursor, MAX_SEQUENCE)
    conn.execute(
        update(devices).where(devices.c.id == device_id).values(last_seen_at=now_ms, cursor=kept)
    )


def revoke(storage: Storage, ident: str, now_ms: int) -> Device:
    """Revoke by device id or by a name only one device has; UnknownDevice otherwise."""
    with storage.writing() as conn:
        device = find_device(conn, ident)
        if device.revoked_at is None:
            conn.execute(update(devices).where(devices.c.id == device.id).values(revoked_at=now_ms))
    log.info("device %s revoked", device.id)
    return find_device_by_id(storage, device.id)


def find_device(conn: Connection, ident: str) -> Device:
    rows = conn.execute(
        select(devices).where(or_(devices.c.id == ident, devices.c.name == ident))
    ).all()
    by_id = [row for row in rows if row.id == ident]
    if by_id:
        return _device(by_id[0])
    if len(rows) == 1:
        return _device(rows[0])
    if not rows:
        raise UnknownDevice(f"No device has the id or name {ident!r}. See 'fieldkit-hq devices'.")
    ids = ", ".join(sorted(row.id for row in rows))
    raise UnknownDevice(f"Several devices are called {ident!r} ({ids}): give the device id.")


def find_device_by_id(storage: Storage, device_id: str) -> Device:
    with storage.reading() as conn:
        return find_device(conn, device_id)


def list_devices(storage: Storage) -> list[DeviceStatus]:
    """Every device, oldest first, with how many changes wait for it."""
    with storage.reading() as conn:
        rows = conn.execute(select(devices).order_by(devices.c.created_at, devices.c.id)).all()
        known = roles.roles_of(conn)
        return [
            DeviceStatus(
                device,
                count_pending(conn, device.node, device.cursor),
                tuple(nodes.nodes_of_device(conn, device.id)),
                known.get(device.id, roles.Role()),
            )
            for device in map(_device, rows)
        ]


def _printable(text: str) -> str:
    """A device's own label without control characters (PostgreSQL refuses NUL in text)."""
    return "".join(ch for ch in text if ch.isprintable()) or "device"


def _device(row: Row[Any]) -> Device:
    return Device(
        id=row.id,
        name=row.name,
        label=row.label,
        node=row.node,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        revoked_at=row.revoked_at,
        cursor=row.cursor,
    )
