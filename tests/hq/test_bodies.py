"""Compressed bodies both ways, and bad input answered with the protocol's errors, never 500."""

from __future__ import annotations

import gzip
import json

import zstandard

from fieldkit.domain.ids import new_id
from fieldkit.sync import body
from fieldkit.sync.protocol import MAX_BODY_BYTES
from tests.hq.conftest import DeviceFactory


def test_requests_in_every_encoding_and_answers_in_the_best_accepted(
    enrol_sqlite: DeviceFactory,
) -> None:
    ana, ben = enrol_sqlite("Ana"), enrol_sqlite("Ben")
    changes = [ana.change("facility", new_id(), "name", f"Planta {i}") for i in range(20)]
    raw = json.dumps({"batch": "b-zstd", "changes": changes, "pull": False}).encode()
    for encoding, data in (("zstd", zstandard.ZstdCompressor().compress(raw)),
                           ("gzip", gzip.compress(raw)), ("identity", raw)):  # fmt: skip
        answer = ana.http.post(
            "/v1/sync",
            content=data,
            headers={"Content-Encoding": encoding, "Content-Type": "application/json"},
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["applied"] == 20
    for accept, expected in (("zstd, gzip", "zstd"), ("gzip", "gzip"), ("identity", None)):
        answer = ben.http.post("/v1/sync", json={"cursor": 0}, headers={"Accept-Encoding": accept})
        assert answer.headers.get("content-encoding") == expected
        assert len(answer.json()["changes"]) == 20  # httpx decodes zstd and gzip


def test_corrupt_or_unknown_encodings_are_bad_requests(enrol_sqlite: DeviceFactory) -> None:
    ana = enrol_sqlite("Ana")
    for encoding, data in (("zstd", b"\x28\xb5\x2f\xfd garbage"), ("gzip", b"\x1f\x8b garbage"),
                           ("br", b"{}"), ("zstd, gzip", b"{}")):  # fmt: skip
        answer = ana.http.post("/v1/sync", content=data, headers={"Content-Encoding": encoding})
        assert answer.status_code == 400, (encoding, answer.text)
        assert answer.json()["error"] == "bad_request"


def test_a_zip_bomb_stops_at_the_limit(enrol_sqlite: DeviceFactory) -> None:
    ana = enrol_sqlite("Ana")
    bomb = body.compress(b"[" + b"0," * (MAX_BODY_BYTES // 2) + b"0]", body.ZSTD)
    assert len(bomb) < 100_000
    answer = ana.http.post("/v1/sync", content=bomb, headers={"Content-Encoding": "zstd"})
    assert answer.status_code == 413 and answer.json()["error"] == "too_large"


def test_a_huge_raw_body_is_refused(enrol_sqlite: DeviceFactory) -> None:
    ana = enrol_sqlite("Ana")
    answer = ana.http.post("/v1/sync", content=b" " * (MAX_BODY_BYTES + 1))
    assert answer.status_code == 413 and answer.json()["error"] == "too_large"


def test_malformed_messages(enrol_sqlite: DeviceFactory) -> None:
    ana = enrol_sqlite("Ana")
    cases = [
        b"{",
        b"[]",
        b"null",
        json.dumps({"cursor": "a lot"}).encode(),
        json.dumps({"cursor": -1}).encode(),
        json.dumps({"limit": 0}).encode(),
        json.dumps({"surprise": True}).encode(),
        json.dumps({"changes": [{"id": "c"}], "batch": "b"}).encode(),
        '{"batch": "\u00e9"}'.encode(),
        b"\xff\xfe\x00garbage",
        b"[" * 100_000,
    ]
    for data in cases:
        answer = ana.http.post("/v1/sync", content=data)
        assert answer.status_code == 422, (data[:40], answer.text)
        assert answer.json()["error"] == "bad_request"
    # Changes without a batch id could not be acknowledged safely.
    answer = ana.sync(changes=[ana.change("facility", new_id(), "name", "x")])
    assert answer.status_code == 422


def test_another_protocol_version(enrol_sqlite: DeviceFactory) -> None:
    ana = enrol_sqlite("Ana")
    for message in ({"protocol": 2}, {"protocol": 2, "something_new": [1, 2]}):
        answer = ana.sync(**message)
        assert answer.status_code == 400 and answer.json()["error"] == "protocol_unsupported"


def test_unknown_paths_and_methods_answer_in_the_protocols_shape(
    enrol_sqlite: DeviceFactory,
) -> None:
    ana = enrol_sqlite("Ana")
    missing = ana.http.get("/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    wrong = ana.http.delete("/v1/sync")
    assert wrong.status_code == 405 and wrong.json()["error"] == "bad_request"
    bad_sha = ana.http.get("/v1/blobs/not-a-sha")
    assert bad_sha.status_code == 422 and bad_sha.json()["error"] == "bad_request"
