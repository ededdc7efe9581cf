"""Travel mode: before a border, take off the laptop every interview and attachment (and, by
choice, cases and tips) that HQ already holds; after it, get them back from HQ.

Prepare syncs first and refuses while anything would be lost (unsent changes, conflicts,
changes HQ refused, attachment bytes not yet uploaded). The list of what was removed stays in
the vault sealed to HQ's X25519 key: whoever opens the vault at the border learns neither the
records nor their ids, and only HQ can say what to give back. Return sends that sealed list
to HQ, which answers with the records' current fields; the next round fetches attachment
bytes again.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from dataclasses import dataclass

from fieldkit.errors import (
    AlreadyTravelling,
    HqBadResponse,
    HqKeysUnknown,
    NotConnected,
    NotTravelling,
    SyncError,
    TravelRefused,
)
from fieldkit.i18n import _
from fieldkit.services.device_orders import SEALING_KEY
from fieldkit.services.hq_connection import DEVICE_ID
from fieldkit.services.order_checks import seal_list
from fieldkit.services.sync import SyncService
from fieldkit.store import replica
from fieldkit.store.audit import AuditAction
from fieldkit.store.store import Store

log = logging.getLogger(__name__)

SEALED = "travel:sealed"  # base64 sealed list of record ids
SINCE = "travel:since"
COUNTS = "travel:counts"  # JSON {kind: count}, to show (no ids)
ALWAYS = ("interview", "attachment")


@dataclass(frozen=True)
class TravelStatus:
    active: bool
    since: dt.datetime | None = None
    counts: dict[str, int] | None = None


class TravelService:
    """Travel mode for one unlocked vault."""

    def __init__(self, store: Store, sync: SyncService) -> None:
        self._store = store
        self._sync = sync

    def status(self) -> TravelStatus:
        since = self._store.get_meta(SINCE)
        if not since:
            return TravelStatus(False)
        counts = json.loads(self._store.get_meta(COUNTS) or "{}")
        return TravelStatus(True, dt.datetime.fromisoformat(since), counts)

    def prepare(self, *, cases: bool = False, tips: bool = False) -> dict[str, int]:
        """Sync, then remove what HQ holds; how many records of each kind were removed."""
        if self.status().active:
            raise AlreadyTravelling()
        try:
            self._sync.sync_now()
        except SyncError as error:
            raise TravelRefused(reason=_("headquarters could not be reached ({error}).").format(
                error=error.message)) from error  # fmt: skip
        self._refuse_if_anything_would_be_lost()
        sealing_key = self._store.get_meta(SEALING_KEY)
        if not sealing_key:
            raise HqKeysUnknown()
        kinds = [*ALWAYS, *(["case"] if cases else []), *(["tip"] if tips else [])]
        records = self._store.travel_records(kinds)
        device_id = self._store.get_meta(DEVICE_ID) or ""
        sealed = seal_list([record_id for _kind, record_id in records], sealing_key, device_id)
        counts = {kind: sum(1 for k, _id in records if k == kind) for kind in kinds}
        with self._store.transaction():
            self._store.set_meta(SEALED, base64.b64encode(sealed).decode("ascii"))
            self._store.set_meta(SINCE, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
            self._store.set_meta(COUNTS, json.dumps(counts))
            self._store.audit(AuditAction.TRAVEL_PREPARED, detail=json.dumps(counts))
        self._store.purge_for_travel(records)
        log.info("travel mode: %s removed", counts)
        return counts

    def return_from_travel(self) -> int:
        """Ask HQ for the removed records and store them; how many fields came back."""
        sealed = self._store.get_meta(SEALED)
        if not sealed:
            raise NotTravelling()
        link, _server_id = self._sync.connections.open_link()
        with link:
            answer = link.call_json("POST", "/v1/device/travel/return", {"sealed": sealed})
        changes = answer.get("changes") if isinstance(answer, dict) else None
        if not isinstance(changes, list):
            raise HqBadResponse(reason="travel return: no changes")
        incoming = [
            replica.Incoming(c["kind"], c["record"], c["field"], c["value"], c["hlc"], c["node"])
            for c in changes
        ]
        with self._store.transaction():
            applied = self._store.sync.apply(incoming)
            if applied.latest:
                self._store.observe_clock(applied.latest)
            for name in (SEALED, SINCE, COUNTS):
                self._store.delete_meta(name)
            self._store.audit(AuditAction.TRAVEL_RETURNED, detail=str(len(incoming)))
        try:
            self._sync.sync_now()  # attachment bytes, and what changed meanwhile
        except (SyncError, NotConnected) as error:
            log.info("after return, the sync round failed: %s", type(error).__name__)
        return len(incoming)

    def _refuse_if_anything_would_be_lost(self) -> None:
        status = self._sync.status()
        reasons = []
        if status.unsent:
            reasons.append(
                _("{count} changes are not yet at headquarters.").format(count=status.unsent)
            )
        if status.conflicts:
            reasons.append(
                _("{count} conflicts wait to be resolved.").format(count=status.conflicts)
            )
        if status.quarantined:
            reasons.append(
                _("headquarters refused {count} changes.").format(count=status.quarantined)
            )
        if self._store.sync.to_upload():
            reasons.append(_("some attachments are not yet uploaded."))
        if reasons:
            raise TravelRefused(reason=" ".join(reasons))
