"""A minimal protocol client for HQ tests: plain httpx and JSON, so the tests check the
wire format itself rather than the app's sync engine."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx

from fieldkit.domain.hlc import HybridLogicalClock
from tests.hq_server import RunningHQ

_batches = itertools.count(1)


class TestDevice:
    """One enrolled device: its token, node, clock and pull cursor."""

    __test__ = False  # not a pytest test class

    def __init__(self, http: httpx.Client, node: str, device_id: str, name: str) -> None:
        self.http = http
        self.node = node
        self.device_id = device_id
        self.name = name
        self.clock = HybridLogicalClock(node)
        self.cursor = 0

    @classmethod
    def enrol(cls, hq: RunningHQ, name: str, node: str | None = None) -> TestDevice:
        return cls.enrol_with(hq, hq.enroll(name), node)

    @classmethod
    def enrol_with(cls, hq: RunningHQ, code: str, node: str | None = None) -> TestDevice:
        """Enrol with a code made beforehand (say, one replacing a revoked device)."""
        node = node or "node-" + uuid.uuid4().hex[:12]
        http = httpx.Client(base_url=hq.url, timeout=60)
        answer = http.post("/v1/enrol", json={"code": code, "node": node, "label": "laptop"})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        http.headers["Authorization"] = f"Bearer {body['token']}"
        return cls(http, node, body["device_id"], body["device_name"])

    def close(self) -> None:
        self.http.close()

    def change(
        self,
        kind: str,
        record: str,
        field: str,
        value: Any,
        *,
        hlc: int | None = None,
        base: tuple[int, str] | None = None,
    ) -> dict[str, Any]:
        """A journal entry as this device would send it (clock ticks unless `hlc` is given)."""
        change: dict[str, Any] = {
            "id": uuid.uuid4().hex,
            "kind": kind,
            "record": record,
            "field": field,
            "value": value,
            "hlc": self.clock.now().pack() if hlc is None else hlc,
        }
        if base is not None:
            change["base"] = {"hlc": base[0], "node": base[1]}
        return change

    def sync(self, **body: Any) -> httpx.Response:
        """A protocol-1 request (a change per field) unless `protocol` says otherwise."""
        return self.http.post("/v1/sync", json={"protocol": 1, **body})

    def push(
        self, changes: list[dict[str, Any]], batch: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        """Send `changes` in one batch without pulling; HQ's acknowledgement."""
        answer = self.sync(
            batch=batch or f"batch-{next(_batches)}", changes=changes, pull=False, **extra
        )
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def pull(self, limit: int = 2000) -> dict[str, Any]:
        """One page from this device's cursor; the cursor moves on."""
        answer = self.sync(cursor=self.cursor, limit=limit)
        assert answer.status_code == 200, answer.text
        page: dict[str, Any] = answer.json()
        self.cursor = page["cursor"]
        for change in page["changes"]:
            self.clock.observe(change["hlc"])
        return page

    def pull_all(self, limit: int = 2000) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Every page until HQ says there is no more: (changes, conflicts)."""
        changes: list[dict[str, Any]] = []
        conflicts: list[dict[str, Any]] = []
        while True:
            page = self.pull(limit)
            changes += page["changes"]
            conflicts += page["conflicts"]
            if not page["more"]:
                return changes, conflicts


def values(changes: list[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    """{(record, field): value}, the last change of each field winning (as a device applies)."""
    return {(c["record"], c["field"]): c["value"] for c in changes}
