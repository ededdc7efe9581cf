"""Sync as the app and the command line see it: connect, sync now, the status line, conflicts
to resolve, refused changes, and the log of recent rounds."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fieldkit import errors
from fieldkit.crypto.device_secret import KeyringSecretStore, SecretStore
from fieldkit.domain.sync_rules import is_long_text
from fieldkit.domain.sync_state import RecordSyncState, SyncState
from fieldkit.errors import HqNotFieldKit, NotConnected, SyncError
from fieldkit.services.device_orders import OrdersHandler, fetch_orders, obey
from fieldkit.services.hq_connection import (
    DEVICE_ID,
    STATE,
    TOKEN_SERVICE,
    CertificatePreview,
    HqConnection,
    HqConnections,
)
from fieldkit.services.records import RecordService
from fieldkit.services.reviewing import ReviewerView, reviewer_view
from fieldkit.store.audit import AuditAction
from fieldkit.store.store import Store
from fieldkit.store.sync_tables import LoggedRound
from fieldkit.sync.engine import RESOLVED, Progress, RoundReport, SyncEngine
from fieldkit.sync.protocol import REVIEWER_ROLE
from fieldkit.sync.transport import HqLink

log = logging.getLogger(__name__)

LAST_SYNCED = "sync:last_synced"
LOG_KEPT = 200

__all__ = ["CertificatePreview", "HqConnection", "Progress", "RoundReport", "SyncService"]


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows."""

    state: SyncState
    unsent: int
    conflicts: int
    quarantined: int
    last_synced: dt.datetime | None

    @property
    def stopped(self) -> bool:
        return self.state.stopped


@dataclass(frozen=True)
class ConflictView:
    id: str
    kind: str
    record_id: str
    field: str
    kept: dict[str, Any]  # value, hlc, node, device_name
    other: dict[str, Any]

    @property
    def long_text(self) -> bool:
        """A long text (merged in an editor); any other field is a short value to pick."""
        return is_long_text(self.kind, self.field)


@dataclass(frozen=True)
class SyncLogEntry:
    started_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: SyncState  # OK, or the state the round's error left
    pushed: int
    pulled: int
    requests: int
    error: SyncError | None  # rebuilt from the log, so it reads in the current language
    conflicts: int = 0  # conflicting edits the round brought


class SyncService:
    def __init__(
        self,
        store: Store,
        records: RecordService,
        vault_id: str,
        secrets: SecretStore | None = None,
        *,
        reader: Store | None = None,
    ) -> None:
        self._store = store
        self._reader = reader or store  # status() reads here (a read-only connection)
        self._records = records
        self.connections = HqConnections(
            store, vault_id, secrets or KeyringSecretStore(TOKEN_SERVICE)
        )
        self.orders_handler: OrdersHandler | None = None  # the vault, to wipe or renew a lease

    # --- connecting -----------------------------------------------------------------------

    def preview(self, url: str) -> CertificatePreview:
        return self.connections.preview(url)

    def connect(
        self, preview: CertificatePreview, code: str, *, expected_fingerprint: str | None = None
    ) -> HqConnection:
        return self.connections.connect(preview, code, expected_fingerprint=expected_fingerprint)

    def connection(self) -> HqConnection | None:
        return self.connections.current()

    def saved_address(self) -> str | None:
        """The headquarters address this vault last connected to, to offer it again."""
        return self.connections.saved_address()

    # --- syncing --------------------------------------------------------------------------

    def online(self) -> bool:
        """True when the connected HQ answers its health probe as itself; False when nothing
        answers or something else does (a login page, another server).

        A probe that finds a reason to stop (a changed certificate, another protocol version)
        is not "offline": it is logged like a failed round and raised, so the device stops
        and says why instead of retrying quietly."""
        try:
            link, server_id = self.connections.open_link()
        except NotConnected:
            return False
        started = _now()
        try:
            with link:
                return link.health().server_id == server_id
        except SyncError as error:
            if error.state is SyncState.OFFLINE:
                return False
            self._finish(started, error.state, None, error)
            raise

    def sync_now(self, on_progress: Callable[[Progress], None] | None = None) -> RoundReport:
        """One full round. Raises a SyncError (already logged and reflected in the status)."""
        started = _now()
        report: RoundReport | None = None
        try:
            link, server_id = self.connections.open_link()
            with link:
                if link.health().server_id != server_id:
                    raise HqNotFieldKit()
                self._take_orders(link, server_id)
                report = SyncEngine(self._store, link, on_progress=on_progress).run()
                self.connections.remember_role(link.role)
                if link.role == REVIEWER_ROLE:  # names and posts of the records' authors
                    self.connections.remember_directory(link.directory())
        except SyncError as error:
            self._finish(started, error.state, report, error)
            raise
        self._finish(started, SyncState.OK, report, None)
        return report

    def reviewer_view(self) -> ReviewerView:
        """Whether HQ made this device a reviewer, and who wrote what (by node)."""
        connection = self.connection()
        if connection is None:
            return ReviewerView()
        return reviewer_view(connection.role, self.connections.directory(), self._store.device_id)

    def _take_orders(self, link: HqLink, server_id: str) -> None:
        """HQ's signed orders before anything else in the round (a wipe raises DeviceWiped)."""
        device_id = self._store.get_meta(DEVICE_ID) or ""
        orders = fetch_orders(self._store, link, server_id, device_id)
        if orders is not None and self.orders_handler is not None:
            obey(self._store, link, orders, self.orders_handler)

    def status(self) -> SyncStatus:
        """How sync stands, read through the read-only connection when there is one: counting
        a long unsent journal takes a while and need not hold up the database worker."""
        reader = self._reader
        with reader.reading():
            conflicts = reader.sync.count_conflicts()
            quarantined = reader.sync.count_quarantined()
        stored = reader.get_meta(STATE) if self.connection() else None
        last = reader.get_meta(LAST_SYNCED)
        return SyncStatus(
            SyncState.parse(stored, SyncState.NOT_CONNECTED),
            reader.count_unsent(),
            conflicts,
            quarantined,
            dt.datetime.fromisoformat(last) if last else None,
        )

    def _finish(
        self,
        started: str,
        outcome: SyncState,
        report: RoundReport | None,
        error: SyncError | None,
    ) -> None:
        detail: dict[str, Any] = (
            {"error": type(error).__name__, "params": _jsonable(error.params)} if error else {}
        )
        if report is not None and report.conflicts:
            detail["conflicts"] = report.conflicts
        with self._store.transaction():
            self._store.sync.log_round(
                LoggedRound(
                    started_at=started,
                    finished_at=_now(),
                    outcome=outcome.value,
                    pushed=report.pushed if report else 0,
                    pulled=report.pulled if report else 0,
                    requests=report.requests if report else 0,
                    detail=json.dumps(detail),
                ),
                keep=LOG_KEPT,
            )
            self._store.set_meta(STATE, outcome.value)
            if outcome is SyncState.OK:
                self._store.set_meta(LAST_SYNCED, started)

    def log(self, limit: int = 50) -> list[SyncLogEntry]:
        entries = []
        for r in self._store.sync.logged_rounds(limit):
            detail = json.loads(r.detail or "{}")
            entries.append(
                SyncLogEntry(
                    dt.datetime.fromisoformat(r.started_at),
                    dt.datetime.fromisoformat(r.finished_at) if r.finished_at else None,
                    SyncState.parse(r.outcome, SyncState.FAILED),
                    r.pushed,
                    r.pulled,
                    r.requests,
                    _error_from(detail),
                    int(detail.get("conflicts") or 0),
                )
            )
        return entries

    # --- conflicts and refused changes ------------------------------------------------------

    def conflicts(self, record_id: str | None = None) -> list[ConflictView]:
        stored = self._store.sync.conflicts(record_id)
        return [ConflictView(c.id, c.kind, c.record_id, c.field, c.kept, c.other) for c in stored]

    def record_states(self, kind: str, record_ids: Sequence[str]) -> dict[str, RecordSyncState]:
        """Where each of these records of `kind` stands: in conflict (a stored conflict waits
        for a person), waiting (a change not yet sent) or sent."""
        unsettled = self._store.sync.unsettled(kind, record_ids)
        return {
            record_id: RecordSyncState.CONFLICT
            if record_id in unsettled.conflicted
            else RecordSyncState.WAITING
            if record_id in unsettled.waiting
            else RecordSyncState.SENT
            for record_id in record_ids
        }

    def resolve(self, conflict_id: str, value: Any) -> None:
        """Keep `value` (one version, or a merge of both texts) and tell HQ the conflict is
        settled."""
        self.resolve_many({conflict_id: value})

    def keep(self, conflict_ids: Sequence[str], *, other: bool) -> None:
        """Settle several conflicts in one step, each keeping the value now in the record
        (`other` False) or the other version (`other` True)."""
        chosen = {
            c.id: (c.other if other else c.kept).get("value")
            for c in self.conflicts()
            if c.id in set(conflict_ids)
        }
        self.resolve_many(chosen)

    def resolve_many(self, values: Mapping[str, Any]) -> None:
        """Keep the value given for each conflict id, all in one transaction (all or none)."""
        found = [c for c in self.conflicts() if c.id in values]
        if not found:
            return
        with self._store.transaction():
            resolved = json.loads(self._store.get_meta(RESOLVED) or "[]")
            for conflict in found:
                self._records.update_from(
                    conflict.kind, conflict.record_id, {conflict.field: values[conflict.id]}
                )
                self._store.sync.drop_conflict(conflict.id)
                resolved.append(conflict.id)
                self._store.audit(
                    AuditAction.CONFLICT_RESOLVED,
                    kind=conflict.kind,
                    record_id=conflict.record_id,
                    detail=conflict.field,
                )
            self._store.set_meta(RESOLVED, json.dumps(resolved))

    def quarantined(self) -> list[dict[str, Any]]:
        return self._store.sync.quarantined()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _jsonable(params: dict[str, object]) -> dict[str, str]:
    return {key: str(value) for key, value in params.items()}


def _error_from(detail: dict[str, Any]) -> SyncError | None:
    """The logged error again, as the typed error (so it is shown in today's language)."""
    cls = getattr(errors, str(detail.get("error", "")), None)
    if not (isinstance(cls, type) and issubclass(cls, SyncError)):
        return None
    return cls(**detail.get("params", {}))
