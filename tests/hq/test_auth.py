"""Tokens, enrolment codes and revocation, over HTTP."""

from __future__ import annotations

import httpx

from fieldkit.domain.ids import new_id
from fieldkit.hq import devices
from fieldkit.hq.clock import now_ms
from fieldkit.hq.codes import normalise_code
from fieldkit.sync.protocol import PROTOCOL_VERSION
from tests.hq.conftest import DeviceFactory
from tests.hq_server import RunningHQ


def enrol_body(code: str, node: str = "node-x") -> dict[str, object]:
    return {"code": code, "node": node, "label": "laptop"}


def test_sync_needs_a_known_token(sqlite_hq: RunningHQ) -> None:
    with httpx.Client(base_url=sqlite_hq.url) as http:
        refused = [
            {},
            {"Authorization": "Bearer wrong-token-" + "x" * 40},
            {"Authorization": "Basic dXNlcjpwYXNz"},
            {"Authorization": "Bearer"},
            {"Authorization": "Bearer " + "x" * 5000},
        ]
        for headers in refused:
            answer = http.post("/v1/sync", json={}, headers=headers)
            assert answer.status_code == 401
            assert answer.json()["error"] == "unauthorized"
        assert http.head("/v1/blobs/" + "a" * 64).status_code == 401


def test_health_needs_no_token_and_names_the_server(sqlite_hq: RunningHQ) -> None:
    answer = httpx.get(sqlite_hq.url + "/v1/health").json()
    assert answer["service"] == "fieldkit-hq" and answer["protocol"] == PROTOCOL_VERSION
    assert answer["server_id"] == sqlite_hq.server_id


def test_a_code_enrols_once_and_names_the_device(sqlite_hq: RunningHQ) -> None:
    code = sqlite_hq.enroll("Ana Pérez")
    assert len(code.replace("-", "")) == 20 and code.count("-") == 4
    with httpx.Client(base_url=sqlite_hq.url) as http:
        # Typed in lower case with spaces, as people do: still the code.
        typed = code.lower().replace("-", " ")
        first = http.post("/v1/enrol", json=enrol_body(typed))
        assert first.status_code == 200
        body = first.json()
        assert body["device_name"] == "Ana Pérez" and body["server_id"] == sqlite_hq.server_id
        again = http.post("/v1/enrol", json=enrol_body(code, "node-y"))
        assert again.status_code == 403 and again.json()["error"] == "enrolment_refused"
        unknown = http.post("/v1/enrol", json=enrol_body("AAAA-BBBB-CCCC-DDDD-EEEE"))
        assert unknown.status_code == 403 and unknown.json()["error"] == "enrolment_refused"


def test_an_expired_code_is_refused(sqlite_hq: RunningHQ) -> None:
    yesterday = now_ms() - 25 * 3600 * 1000
    code = devices.create_code(sqlite_hq.storage, "Ben", yesterday)
    answer = httpx.post(sqlite_hq.url + "/v1/enrol", json=enrol_body(code))
    assert answer.status_code == 403 and answer.json()["error"] == "enrolment_refused"


def test_only_digests_of_codes_and_tokens_are_stored(sqlite_hq: RunningHQ) -> None:
    code = sqlite_hq.enroll("Carla")
    token = httpx.post(sqlite_hq.url + "/v1/enrol", json=enrol_body(code)).json()["token"]
    raw = (sqlite_hq.data_dir / "hq.sqlite3").read_bytes()
    wal = sqlite_hq.data_dir / "hq.sqlite3-wal"
    raw += wal.read_bytes() if wal.exists() else b""
    assert token.encode() not in raw
    assert normalise_code(code).encode() not in raw and code.encode() not in raw


def test_a_revoked_device_is_refused(enrol_sqlite: DeviceFactory, sqlite_hq: RunningHQ) -> None:
    ana = enrol_sqlite("Ana")
    assert ana.sync(cursor=0).status_code == 200
    sqlite_hq.revoke(ana.device_id)
    answer = ana.sync(cursor=0)
    assert answer.status_code == 403 and answer.json()["error"] == "device_revoked"
    assert ana.http.head("/v1/blobs/" + "a" * 64).status_code == 403


def test_another_devices_private_record_stays_private(
    enrol_sqlite: DeviceFactory, sqlite_hq: RunningHQ
) -> None:
    ana, ben = enrol_sqlite("Ana"), enrol_sqlite("Ben")
    interview = new_id()
    ana.push([ana.change("interview", interview, "notes", "Only Ana's")])
    assert ben.pull_all() == ([], [])
    refused = ben.push([ben.change("interview", interview, "notes", "Ben's")])
    assert [r["code"] for r in refused["rejected"]] == ["not_permitted"]
