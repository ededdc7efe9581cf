"""Devices for sync tests: real encrypted vault databases (a raw random key, so no KDF cost),
enrolled with a real HQ over HTTP, syncing through the real engine."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import httpx

from fieldkit.domain.codec import to_plain
from fieldkit.domain.query import ANY_ORDER
from fieldkit.domain.records import KINDS, Record
from fieldkit.errors import HqBadResponse, HqUnreachable
from fieldkit.services.records import RecordService
from fieldkit.store import replica
from fieldkit.store.store import Store
from fieldkit.sync.engine import RoundReport, SyncEngine
from fieldkit.sync.pinning import parse_address
from fieldkit.sync.protocol import EnrolRequest
from fieldkit.sync.transport import HqLink

Snapshot = dict[str, dict[str, Any]]


class Device:
    def __init__(
        self,
        folder: Path,
        name: str,
        hq: Any,
        *,
        url: str | None = None,
        code: str | None = None,
        key: bytes | None = None,
    ) -> None:
        self.name = name
        # `key`: a vault made beforehand at folder/NAME.db (an older version's, say).
        self.store = Store.open(folder / f"{name}.db", key or os.urandom(32))
        self.records = RecordService(self.store)
        self.address = parse_address(url or hq.url)  # where it syncs (maybe a faulty proxy)
        code = code or hq.enroll(name)  # or one made beforehand (replacing a revoked device)
        with HqLink(parse_address(hq.url)) as link:
            answer = link.enrol(EnrolRequest(code=code, node=self.store.device_id, label=name))
        self.device_id = answer.device_id
        self.token = answer.token
        self.push_limit: int | None = 2000  # None: as many fields as HQ says it takes
        self.pull_limit = 2000
        # A network whose proxies close every connection: one TCP connection per request.
        self.fresh_connections = url is not None

    @property
    def node(self) -> str:
        return self.store.device_id

    def sync(self) -> RoundReport:
        transport = None
        if self.fresh_connections:
            transport = httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))
        with HqLink(self.address, token=self.token, transport=transport) as link:
            return SyncEngine(
                self.store, link, push_limit=self.push_limit, pull_limit=self.pull_limit
            ).run()

    def sync_until_done(self, attempts: int = 300) -> int:
        """Sync through a bad network until a round completes; how many rounds failed."""
        failures = 0
        for _ in range(attempts):
            try:
                self.sync()
            except (HqUnreachable, HqBadResponse):
                failures += 1
                time.sleep(0.01)
                continue
            if self.store.count_unsent() == 0:
                return failures
        raise AssertionError(f"{self.name} could not finish a sync in {attempts} attempts")

    def create(self, record: Record) -> Record:
        return self.records.create(record)

    def edit(self, record: Record, **changes: Any) -> Record:
        current = self.records.get(type(record), record.id)
        return self.records.update_from(record.KIND, record.id, changes) if changes else current

    def snapshot(self, kinds: tuple[str, ...] = tuple(KINDS)) -> Snapshot:
        """Every record of `kinds` (deleted ones too) as plain values, by id."""
        found: Snapshot = {}
        for kind in kinds:
            for record in self.store.list(KINDS[kind], include_deleted=True, sort=ANY_ORDER):
                found[record.id] = {"kind": kind, "deleted": record.deleted, **to_plain(record)}
        return found

    def conflicts(self) -> list[replica.StoredConflict]:
        return self.store.sync.conflicts()

    def close(self) -> None:
        self.store.close()
