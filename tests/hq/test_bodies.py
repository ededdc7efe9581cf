"""Compressed bodies both ways, and bad input answered with the protocol's errors, never 500."""

from __future__ import annotations

import gzip
import json
import socket

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
        answer = ben.http.post(
            "/v1/sync", json={"protocol": 1, "cursor": 0}, headers={"Accept-Encoding": accept}
        )
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
    for message in ({"protocol": 3}, {"protocol": 3, "something_new": [1, 2]}):
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


def test_garbage_headers_never_cause_server_errors(enrol_sqlite: DeviceFactory) -> None:
    """Bytes no HTTP client library would send, straight onto the socket."""
    ana = enrol_sqlite("Ana")
    port = int(str(ana.http.base_url).rsplit(":", 1)[1].strip("/"))
    token = str(ana.http.headers["Authorization"]).encode()
    blob = b"/v1/blobs/" + b"a" * 64
    sync, auth, two = b"POST /v1/sync\r\n", b"Authorization: %s\r\n", b"Content-Length: 2\r\n"
    requests = [
        sync + b"Authorization: Bearer \xff\xfe\x80\r\n" + two + b"\r\n{}",
        sync + auth + b"Content-Length: abc\r\n\r\n{}",
        sync + auth + b"Content-Encoding: \xff\r\n" + two + b"\r\n{}",
        sync + auth + b"Accept-Encoding: zstd;q=x, *\r\n" + two + b"\r\n{}",
        sync + auth + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        b"GET " + blob + b"\r\n" + auth + b"Range: bytes=99999999999999999999999-\r\n\r\n",
        b"PATCH " + blob + b"\r\n" + auth + b"Upload-Offset: 1" + b"9" * 30
        + b"\r\nUpload-Length: 1\r\nContent-Length: 1\r\n\r\nx",
        b"PATCH " + blob + b"\r\n" + auth + b"Upload-Offset: 0\r\nUpload-Length: 1\r\n"
        b"Content-Encoding: gzip\r\nContent-Length: 1\r\n\r\nx",
        b"GET /v1/blobs/%%00%%ff\r\n" + auth + b"\r\n",
    ]  # fmt: skip
    for request in requests:
        first_line, rest = request.split(b"\r\n", 1)
        raw = first_line + b" HTTP/1.1\r\nHost: hq\r\nConnection: close\r\n" + rest
        raw = raw.replace(b"%s", token).replace(b"%%", b"%")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(raw)
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        status = int(answer.split(b" ", 2)[1])
        assert 200 <= status < 500, (request[:60], answer[:200])
