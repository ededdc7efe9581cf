"""The device-orders endpoints on both databases: signed statements, one key per HQ kept
across restarts, a revoked device reached only while a wipe is pending, the wipe report
checked against the order's nonce, and the admin commands that set them."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from fieldkit.domain.device_orders import SIGNATURE_CONTEXT, decode_orders
from fieldkit.hq import orders
from fieldkit.hq.cli import main
from fieldkit.hq.clock import now_ms
from tests.hq.client import TestDevice
from tests.hq.conftest import DeviceFactory
from tests.hq_server import RunningHQ


def fetch(device: TestDevice, challenge: str = "abc123") -> tuple[int, dict[str, str]]:
    answer = device.http.get("/v1/device/orders", params={"challenge": challenge})
    return answer.status_code, answer.json()


def statement_of(answer: dict[str, str]) -> dict[str, object]:
    raw = base64.b64decode(answer["statement"])
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(answer["signing_key"]))
    key.verify(base64.b64decode(answer["signature"]), SIGNATURE_CONTEXT + raw)
    decode_orders(raw)
    parsed: dict[str, object] = json.loads(raw)
    return parsed


def test_orders_are_signed_with_one_key_kept_across_restarts(
    enrol: DeviceFactory, hq: RunningHQ
) -> None:
    ana = enrol("Ana")
    status, first = fetch(ana)
    assert status == 200
    body = statement_of(first)
    assert body["device_id"] == ana.device_id and body["server_id"] == hq.server_id
    assert body["challenge"] == "abc123" and body["wipe_nonce"] is None
    assert body["lease_days"] is None
    hq.stop()
    hq.start()
    status, again = fetch(ana, "other")
    assert status == 200 and again["signing_key"] == first["signing_key"]
    assert statement_of(again)["sealing_key"] == body["sealing_key"]
    assert fetch(ana, "not hex!")[0] == 422


def test_leases_and_a_wipe_reach_the_device(enrol: DeviceFactory, hq: RunningHQ) -> None:
    ana, ben = enrol("Ana"), enrol("Ben")
    orders.set_lease(hq.storage, 30)
    orders.set_lease(hq.storage, 7, ana.device_id)
    assert statement_of(fetch(ana)[1])["lease_days"] == 7
    assert statement_of(fetch(ben)[1])["lease_days"] == 30
    orders.order_wipe(hq.storage, ana.device_id, now_ms(), keep_unsent=False, revoke=True)
    assert ana.sync(cursor=0).status_code == 403  # revoked for syncing
    body = statement_of(fetch(ana)[1])  # but the wipe order still reaches it
    nonce = body["wipe_nonce"]
    assert isinstance(nonce, str) and body["keep_unsent"] is False
    assert statement_of(fetch(ben)[1])["wipe_nonce"] is None
    assert ana.http.post("/v1/device/wiped", json={"nonce": "wrong"}).status_code == 400
    assert ben.http.post("/v1/device/wiped", json={"nonce": nonce}).status_code == 400
    assert ana.http.post("/v1/device/wiped", json={"nonce": nonce}).status_code == 204
    control = orders.controls(hq.storage)[ana.device_id]
    assert control.wiped_at is not None and control.wipe_delivered_at is not None
    assert fetch(ana)[0] == 403  # wiped and revoked: nothing more for it


def test_wipe_and_lease_commands(
    enrol: DeviceFactory, hq: RunningHQ, capsys: pytest.CaptureFixture[str]
) -> None:
    ana = enrol("Ana")
    where = ["--data", str(hq.data_dir)] if hq.key else ["--database", hq.database_url]
    assert main(["wipe", "Ana", "--keep-unsent", "--revoke", *where]) == 2
    assert main(["wipe", "Ana", "--keep-unsent", *where]) == 0
    assert "Wipe ordered" in capsys.readouterr().out
    assert statement_of(fetch(ana)[1])["keep_unsent"] is True
    assert main(["lease", "--days", "14", "Ana", *where]) == 0
    assert main(["devices", *where]) == 0
    out = capsys.readouterr().out
    assert "wipe order delivered" in out and "lease 14 days" in out
    assert main(["wipe", "Nobody", *where]) == 2
