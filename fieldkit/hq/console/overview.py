"""What the console shows, read from HQ's stored fields: devices and their state, the changes
HQ refused from each device, RRM cases with their deadlines and grants with their
disbursements. Never an interview: no query here reads an interview's fields.

Cases and grants are rebuilt as domain records from HQ's field rows, so their clocks and
totals come from the same domain code the desktop app uses (rrm_clocks, disbursements).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Connection, select

from fieldkit.domain.codec import from_plain
from fieldkit.domain.disbursements import disbursement_series
from fieldkit.domain.records import Case, Grant, Record
from fieldkit.domain.rrm_clocks import Clock, case_clocks
from fieldkit.domain.sync_rules import DELETED
from fieldkit.hq import roles
from fieldkit.hq.app_versions import app_versions
from fieldkit.hq.devices import DeviceStatus, list_devices
from fieldkit.hq.documents import documents_of_kind
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import batches, device_nodes, devices

R = TypeVar("R", bound=Record)
DAY_MS = 24 * 3600 * 1000
# The only kinds the console reads, and of facilities only the name. Interviews never.
CONSOLE_KINDS = ("case", "grant")


@dataclass(frozen=True)
class DeviceRow:
    status: DeviceStatus
    quarantined: int  # changes HQ refused from it (acknowledgements of the last 90 days)
    app_version: str | None = None  # as its last sync said; None: not reported

    @property
    def role(self) -> roles.Role:
        return self.status.role


@dataclass(frozen=True)
class Refusal:
    at: int
    change: str
    code: str


@dataclass(frozen=True)
class CaseRow:
    case: Case
    facility: str
    author: str
    clocks: list[Clock]
    next_due: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class GrantRow:
    grant: Grant
    author: str
    disbursed: Decimal
    share: Decimal | None  # of the award, 0..1
    last_paid: dt.date | None


def device_rows(storage: Storage) -> list[DeviceRow]:
    statuses = list_devices(storage)
    with storage.reading() as conn:
        counts = _refusal_counts(conn)
    versions = app_versions(storage)
    return [
        DeviceRow(status, counts.get(status.device.id, 0), versions.get(status.device.id))
        for status in statuses
    ]


def stale_devices(storage: Storage, days: int, now_ms: int) -> list[DeviceRow]:
    """Devices not revoked that have not synced for `days` days (or never)."""
    limit = now_ms - days * DAY_MS
    return [
        row
        for row in device_rows(storage)
        if row.status.device.revoked_at is None and (row.status.device.last_seen_at or 0) < limit
    ]


def refusals(storage: Storage, device_id: str) -> list[Refusal]:
    """The changes HQ refused from one device, newest first (codes only, never values)."""
    with storage.reading() as conn:
        rows = conn.execute(
            select(batches.c.created_at, batches.c.response)
            .where(batches.c.device_id == device_id)
            .order_by(batches.c.created_at.desc())
        ).all()
    found: list[Refusal] = []
    for at, response in rows:
        for item in json.loads(response).get("rejected", []):
            found.append(Refusal(int(at), str(item.get("change", "")), str(item.get("code", ""))))
    return found


def cases(storage: Storage, today: dt.date) -> list[CaseRow]:
    with storage.reading() as conn:
        loaded = _records(conn, "case")
        facilities = _facility_names(conn)
        authors = _authors(conn)
    found = []
    for record_id, (plain, owner) in loaded.items():
        case = _build(Case, record_id, plain)
        if case is None:
            continue
        clocks = [c for c in case_clocks(case) if c.running]
        dues = [c.due for c in clocks] + [d.due for d in case.deadlines if d.due and not d.done]
        next_due = min(dues) if dues else None
        found.append(
            CaseRow(
                case,
                facilities.get(case.facility_id or "", ""),
                authors.get(owner, "?"),
                clocks,
                next_due,
                next_due is not None and next_due < today,
            )
        )
    found.sort(key=lambda row: (row.next_due is None, row.next_due or today, row.case.reference))
    return found


def grants(storage: Storage, today: dt.date) -> list[GrantRow]:
    with storage.reading() as conn:
        loaded = _records(conn, "grant")
        authors = _authors(conn)
    found = []
    for record_id, (plain, owner) in loaded.items():
        grant = _build(Grant, record_id, plain)
        if grant is None:
            continue
        series = disbursement_series(
            grant.disbursements,
            award=grant.amount,
            period=(grant.period_start, grant.period_end),
            today=today,
        )
        disbursed = grant.disbursed
        share = disbursed / grant.amount if grant.amount else None
        last = series.steps[-1][0] if series else None
        found.append(GrantRow(grant, authors.get(owner, "?"), disbursed, share, last))
    found.sort(key=lambda row: row.grant.award_number)
    return found


def _records(conn: Connection, kind: str) -> dict[str, tuple[dict[str, Any], str]]:
    """Every record of `kind` (cases or grants only) that is not deleted: its fields as plain
    values, and its owner node."""
    if kind not in CONSOLE_KINDS:
        raise ValueError(f"the console does not read {kind} records")
    return {
        record_id: (doc, owner)
        for record_id, doc, owner in documents_of_kind(conn, kind)
        if doc.get(DELETED) is not True
    }


def _facility_names(conn: Connection) -> dict[str, str]:
    return {
        record_id: str(doc["name"])
        for record_id, doc, _owner in documents_of_kind(conn, "facility")
        if "name" in doc
    }


def _authors(conn: Connection) -> dict[str, str]:
    """Device names by the nodes they hold."""
    rows = conn.execute(
        select(device_nodes.c.node, devices.c.name).join(
            devices, devices.c.id == device_nodes.c.device_id
        )
    )
    return {node: name for node, name in rows}


def _build(cls: type[R], record_id: str, plain: dict[str, Any]) -> R | None:
    declared = {name for name in (spec.name for spec in cls.specs())}
    values, _problems = from_plain(cls, {k: v for k, v in plain.items() if k in declared})
    try:
        return cls(id=record_id, **values)
    except (TypeError, ValueError):
        return None


def _refusal_counts(conn: Connection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for device_id, response in conn.execute(select(batches.c.device_id, batches.c.response)):
        rejected = json.loads(response).get("rejected", [])
        if rejected:
            counts[device_id] = counts.get(device_id, 0) + len(rejected)
    return counts


def names(statuses: Iterable[DeviceStatus]) -> dict[str, str]:
    return {status.device.id: status.device.name for status in statuses}
