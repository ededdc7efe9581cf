"""The lease: a vault that has not reached HQ for longer than HQ allows opens only with the
recovery key, not the passphrase alone (nor a device secret).

The lease end is sealed in the header (fieldkit/crypto/lease.py); the encrypted database
records that a lease is in force, so a header whose lease was removed or altered counts as
run out. A clock set back is caught by the hybrid logical clock: the vault has already seen a
time later than "now" (by more than a day, the slack for other devices' clocks running ahead).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

from fieldkit.crypto import lease as sealed_lease
from fieldkit.crypto.header import VaultHeader
from fieldkit.domain.device_orders import lease_code, same_lease_code
from fieldkit.domain.hlc import COUNTER_BITS
from fieldkit.store.store import Store

IN_FORCE = "lease:in_force"
CLOCK_SLACK_MS = sealed_lease.DAY_MS


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def lease_run_out(header: VaultHeader, key: bytes | bytearray, store: Store, at_ms: int) -> bool:
    """True when the passphrase alone must not open the vault at `at_ms`."""
    try:
        lease = sealed_lease.read_lease(header, key)
    except sealed_lease.LeaseAltered:
        return True
    if lease is None:
        return store.get_meta(IN_FORCE) == "1"
    seen_ms = store.clock.last >> COUNTER_BITS
    if at_ms + CLOCK_SLACK_MS < seen_ms:
        return True  # the clock was set back
    return at_ms > lease.until_ms


def renewed(
    header: VaultHeader, key: bytes | bytearray, store: Store, days: int | None, at_ms: int
) -> VaultHeader:
    """The header with the lease started again at `at_ms` (or without one); records in the
    database whether a lease is in force."""
    if days is None:
        store.delete_meta(IN_FORCE)
        return sealed_lease.without_lease(header)
    store.set_meta(IN_FORCE, "1")
    until = at_ms + days * sealed_lease.DAY_MS
    return sealed_lease.with_lease(header, key, sealed_lease.Lease(until, days))


def current_days(header: VaultHeader, key: bytes | bytearray) -> int | None:
    """The lease's length, to start it again after a recovery (None: no lease or unreadable)."""
    try:
        lease = sealed_lease.read_lease(header, key)
    except sealed_lease.LeaseAltered:
        return None
    return lease.days if lease else None


def lease_until(header: VaultHeader, key: bytes | bytearray) -> int | None:
    try:
        lease = sealed_lease.read_lease(header, key)
    except sealed_lease.LeaseAltered:
        return None
    return lease.until_ms if lease else None


def code_opens(typed: str, token: str | None, device_id: str | None, at_ms: int) -> bool:
    """True when `typed` is HQ's lease code for this device, for the day of `at_ms` (UTC) or
    the day before."""
    if not token or not device_id:
        return False
    digest = hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()
    today = dt.datetime.fromtimestamp(at_ms / 1000, dt.UTC).date()
    days = (today, today - dt.timedelta(days=1))
    return any(same_lease_code(typed, lease_code(digest, device_id, d.isoformat())) for d in days)
