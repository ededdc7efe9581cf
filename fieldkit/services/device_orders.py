"""HQ's orders at the start of each sync round: a remote wipe, the lease to renew, and HQ's
key for sealing travel lists.

The orders come signed (fieldkit/services/order_checks.py). HQ's signing key is pinned in the
vault the first time the device meets it over the pinned TLS channel (right after enrolment);
an answer signed by any other key, altered, replayed or meant for another device is ignored,
logged and written to the audit log. An HQ that does not know these endpoints (404) sends no
orders.
"""

from __future__ import annotations

import logging
from typing import Protocol

from fieldkit.domain.device_orders import DeviceOrders
from fieldkit.errors import DeviceWiped, HqBadResponse, SyncError
from fieldkit.services.order_checks import (
    OrdersRefused,
    new_challenge,
    signing_key_of,
    verify_orders,
)
from fieldkit.store.audit import AuditAction
from fieldkit.store.store import Store
from fieldkit.sync.engine import SyncEngine
from fieldkit.sync.transport import HqLink

log = logging.getLogger(__name__)

SIGNING_KEY = "hq:signing_key"  # HQ's Ed25519 public key, base64, pinned at first contact
SEALING_KEY = "hq:sealing_key"  # HQ's X25519 public key, base64, from the signed statement


class OrdersHandler(Protocol):
    """What the unlocked vault does when HQ orders it (services/vault.py)."""

    def shred(self) -> None:
        """Destroy the keys first, then every file of the vault; the vault is closed after."""

    def renew_lease(self, days: int | None) -> None:
        """Start the lease again from now (None: HQ set no lease)."""


def fetch_orders(store: Store, link: HqLink, server_id: str, device_id: str) -> DeviceOrders | None:
    """This contact's orders, verified; None when HQ has none or the answer must be ignored."""
    challenge = new_challenge()
    try:
        answer = link.call_json("GET", f"/v1/device/orders?challenge={challenge}")
    except HqBadResponse as error:
        log.info("HQ sent no orders (%s)", error.params.get("reason"))
        return None
    pinned = store.get_meta(SIGNING_KEY)
    if pinned is None:
        pinned = signing_key_of(answer)
        if pinned is None:
            return None
        store.set_meta(SIGNING_KEY, pinned)  # first contact, over the pinned channel
    try:
        orders = verify_orders(
            answer, pinned, server_id=server_id, device_id=device_id, challenge=challenge
        )
    except OrdersRefused as refused:
        log.warning("ignored an orders answer that is not HQ's: %s", refused)
        store.audit(AuditAction.HQ_ORDERS_IGNORED, detail=str(refused))
        return None
    if store.get_meta(SEALING_KEY) != orders.sealing_key:
        store.set_meta(SEALING_KEY, orders.sealing_key)
    return orders


def obey(store: Store, link: HqLink, orders: DeviceOrders, handler: OrdersHandler) -> None:
    """Carry out verified orders: wipe (raises DeviceWiped after telling HQ), or renew the
    lease."""
    if not orders.wipe:
        handler.renew_lease(orders.lease_days)
        return
    log.warning("HQ ordered this device wiped")
    if orders.keep_unsent:
        try:
            SyncEngine(store, link).run()
        except SyncError as error:  # the wipe goes ahead: HQ's order says so
            log.warning("unsent changes could not be sent before the wipe: %s", type(error))
    handler.shred()
    try:
        link.call_json("POST", "/v1/device/wiped", {"nonce": orders.wipe_nonce})
    except SyncError as error:
        log.warning("the wipe could not be reported to HQ: %s", type(error).__name__)
    raise DeviceWiped()
