"""Attachment bytes: resumable upload, dedupe, hash check, download permission and ranges,
on SQLite and PostgreSQL (the bytes live in the database every HQ process shares)."""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor

import httpx

from fieldkit.domain.ids import new_id
from fieldkit.sync.protocol import BLOB_CHUNK_BYTES, UPLOAD_LENGTH, UPLOAD_OFFSET
from tests.hq.client import TestDevice
from tests.hq.conftest import DeviceFactory


def patch(device: TestDevice, sha: str, offset: int, total: int, chunk: bytes) -> httpx.Response:
    headers = {
        UPLOAD_OFFSET: str(offset),
        UPLOAD_LENGTH: str(total),
        "Content-Type": "application/offset+octet-stream",
    }
    return device.http.patch(f"/v1/blobs/{sha}", content=chunk, headers=headers)


def upload(device: TestDevice, data: bytes, chunk: int = BLOB_CHUNK_BYTES) -> str:
    sha = hashlib.sha256(data).hexdigest()
    head = device.http.head(f"/v1/blobs/{sha}")
    offset = int(head.headers[UPLOAD_OFFSET]) if head.status_code == 200 else 0
    while offset < len(data) or (offset == 0 and not data):
        answer = patch(device, sha, offset, len(data), data[offset : offset + chunk])
        assert answer.status_code in (204, 409), answer.text
        offset = int(answer.headers[UPLOAD_OFFSET])
        if not data:
            break
    return sha


def attach(device: TestDevice, sha: str, record_kind: str, record: str) -> str:
    attachment = new_id()
    device.push(
        [
            device.change("attachment", attachment, "record_kind", record_kind),
            device.change("attachment", attachment, "record_id", record),
            device.change("attachment", attachment, "sha256", sha),
        ]
    )
    return attachment


def test_an_upload_resumes_from_hqs_offset(enrol: DeviceFactory) -> None:
    ana = enrol("Ana")
    data = os.urandom(BLOB_CHUNK_BYTES + 300_000)
    sha = hashlib.sha256(data).hexdigest()
    assert ana.http.head(f"/v1/blobs/{sha}").status_code == 404
    assert patch(ana, sha, 0, len(data), data[:100_000]).headers[UPLOAD_OFFSET] == "100000"
    # The link dropped; the device asks where HQ stands and goes on from there.
    head = ana.http.head(f"/v1/blobs/{sha}")
    assert (head.headers[UPLOAD_OFFSET], head.headers[UPLOAD_LENGTH]) == ("100000", str(len(data)))
    stale = patch(ana, sha, 0, len(data), data[:50_000])
    assert stale.status_code == 409 and stale.headers[UPLOAD_OFFSET] == "100000"
    assert stale.json()["error"] == "conflict"
    assert upload(ana, data, chunk=400_000) == sha
    head = ana.http.head(f"/v1/blobs/{sha}")
    assert head.headers[UPLOAD_OFFSET] == str(len(data))


def test_a_blob_is_never_sent_twice_and_others_copies_stay_unseen(enrol: DeviceFactory) -> None:
    ana, ben = enrol("Ana"), enrol("Ben")
    data = os.urandom(10_000)
    sha = upload(ana, data)
    head = ana.http.head(f"/v1/blobs/{sha}")
    assert head.status_code == 200 and head.headers[UPLOAD_OFFSET] == str(len(data))
    # Sending it again anyway: HQ says it has all of it.
    answer = patch(ana, sha, 0, len(data), data)
    assert answer.status_code == 204 and answer.headers[UPLOAD_OFFSET] == str(len(data))
    # Ben's HEAD says nothing of Ana's copy; he proves he has the bytes by sending them.
    assert ben.http.head(f"/v1/blobs/{sha}").status_code == 404
    assert upload(ben, data) == sha
    assert ben.http.head(f"/v1/blobs/{sha}").headers[UPLOAD_OFFSET] == str(len(data))


def test_knowing_a_hash_reads_nothing(enrol: DeviceFactory) -> None:
    ana, ben = enrol("Ana"), enrol("Ben")
    secret = os.urandom(5_000)
    interview, facility = new_id(), new_id()
    ana.push([ana.change("interview", interview, "pseudonym", "Rosa")])
    ana.push([ana.change("facility", facility, "name", "Planta")])
    sha = upload(ana, secret)
    attach(ana, sha, "interview", interview)
    public = attach(ana, upload(ana, b"a public photo"), "facility", facility)
    # Ben heard the hash: HEAD, his own public attachment naming it, and repointing Ana's
    # public attachment at it all lead nowhere.
    assert ben.http.head(f"/v1/blobs/{sha}").status_code == 404
    attach(ben, sha, "facility", facility)
    refused = ben.http.get(f"/v1/blobs/{sha}")
    assert refused.status_code == 404 and refused.json()["error"] == "not_found"
    ack = ben.push([ben.change("attachment", public, "sha256", sha)])
    assert [r["code"] for r in ack["rejected"]] == ["not_permitted"]
    assert ben.http.get(f"/v1/blobs/{sha}").status_code == 404
    # Bytes Ben uploads under that name are his copy only: Ana's stay hers.
    patch(ben, sha, 0, len(secret), b"x" * len(secret))
    assert ben.http.get(f"/v1/blobs/{sha}").status_code == 404
    assert ana.http.get(f"/v1/blobs/{sha}").content == secret
    # Once Ana shares the interview, Ben reads her bytes through her attachment.
    ana.push([ana.change("interview", interview, "shared", True)])
    assert ben.http.get(f"/v1/blobs/{sha}").content == secret


def test_bytes_that_do_not_match_their_hash_are_discarded(enrol: DeviceFactory) -> None:
    ana = enrol("Ana")
    data = os.urandom(5_000)
    wrong = hashlib.sha256(b"something else").hexdigest()
    assert patch(ana, wrong, 0, len(data), data[:2_000]).status_code == 204
    answer = patch(ana, wrong, 2_000, len(data), data[2_000:])
    assert answer.status_code == 400 and answer.json()["error"] == "bad_request"
    assert ana.http.head(f"/v1/blobs/{wrong}").status_code == 404


def test_chunk_limits_and_bad_headers(enrol: DeviceFactory) -> None:
    ana = enrol("Ana")
    sha = hashlib.sha256(b"x").hexdigest()
    big = patch(ana, sha, 0, BLOB_CHUNK_BYTES + 1, b"\0" * (BLOB_CHUNK_BYTES + 1))
    assert big.status_code == 413 and big.json()["error"] == "too_large"
    past_end = patch(ana, sha, 0, 1, b"xy")
    assert past_end.status_code == 400
    for headers in ({UPLOAD_OFFSET: "soon", UPLOAD_LENGTH: "1"}, {UPLOAD_LENGTH: "1"},
                    {UPLOAD_OFFSET: "-1", UPLOAD_LENGTH: "1"}):  # fmt: skip
        answer = ana.http.patch(f"/v1/blobs/{sha}", content=b"x", headers=headers)
        assert answer.status_code == 422 and answer.json()["error"] == "bad_request"
    missing_start = patch(ana, sha, 5, 10, b"x")
    assert missing_start.status_code == 409 and missing_start.headers[UPLOAD_OFFSET] == "0"


def test_download_only_what_the_device_may_see(enrol: DeviceFactory) -> None:
    ana, ben = enrol("Ana"), enrol("Ben")
    private_bytes, shared_bytes = os.urandom(3_000), os.urandom(4_000)
    private_sha, shared_sha = upload(ana, private_bytes), upload(ana, shared_bytes)
    interview, facility = new_id(), new_id()
    ana.push([ana.change("interview", interview, "pseudonym", "Rosa")])
    ana.push([ana.change("facility", facility, "name", "Planta")])
    attach(ana, private_sha, "interview", interview)
    attach(ana, shared_sha, "facility", facility)
    assert ana.http.get(f"/v1/blobs/{private_sha}").content == private_bytes
    assert ben.http.get(f"/v1/blobs/{shared_sha}").content == shared_bytes
    refused = ben.http.get(f"/v1/blobs/{private_sha}")
    assert refused.status_code == 404 and refused.json()["error"] == "not_found"
    # Bytes HQ holds that no attachment names are nobody's to download.
    loose = upload(ana, b"not attached")
    assert ana.http.get(f"/v1/blobs/{loose}").status_code == 404
    # Once the interview is shared, its attachment's bytes are Ben's to fetch too.
    ana.push([ana.change("interview", interview, "shared", True)])
    assert ben.http.get(f"/v1/blobs/{private_sha}").content == private_bytes


def test_a_download_resumes_with_a_range(enrol: DeviceFactory) -> None:
    ana = enrol("Ana")
    data = os.urandom(BLOB_CHUNK_BYTES + 12_345)
    sha = upload(ana, data, chunk=300_000)
    attach(ana, sha, "facility", new_id())
    whole = ana.http.get(f"/v1/blobs/{sha}")
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["content-length"] == str(len(data))
    for start in (1, 299_999, 300_000, 700_001, len(data) - 1):
        part = ana.http.get(f"/v1/blobs/{sha}", headers={"Range": f"bytes={start}-"})
        assert part.status_code == 206 and part.content == data[start:]
        assert part.headers["content-range"] == f"bytes {start}-{len(data) - 1}/{len(data)}"
    middle = ana.http.get(f"/v1/blobs/{sha}", headers={"Range": "bytes=10-19"})
    assert middle.status_code == 206 and middle.content == data[10:20]
    past = ana.http.get(f"/v1/blobs/{sha}", headers={"Range": f"bytes={len(data)}-"})
    assert past.status_code == 416 and past.headers["content-range"] == f"bytes */{len(data)}"
    odd = ana.http.get(f"/v1/blobs/{sha}", headers={"Range": "pages=1-2"})
    assert odd.status_code == 200 and odd.content == data


def test_an_empty_file(enrol: DeviceFactory) -> None:
    ana = enrol("Ana")
    sha = upload(ana, b"")
    assert sha == hashlib.sha256(b"").hexdigest()
    assert ana.http.head(f"/v1/blobs/{sha}").headers[UPLOAD_OFFSET] == "0"
    attach(ana, sha, "facility", new_id())
    assert ana.http.get(f"/v1/blobs/{sha}").content == b""


def test_devices_uploading_one_blob_at_once(enrol: DeviceFactory) -> None:
    """Each gets 204 or 409 with HQ's offset, never a 500, and the bytes end up whole."""
    uploaders = [enrol(f"Uploader {i}") for i in range(6)]
    for _ in range(3):
        data = os.urandom(200_000)
        sha = hashlib.sha256(data).hexdigest()
        with ThreadPoolExecutor(len(uploaders)) as pool:
            starts = [pool.submit(patch, d, sha, 0, len(data), data[:50_000]) for d in uploaders]
            firsts = [start.result() for start in starts]
        assert {a.status_code for a in firsts} <= {204, 409}, [a.text for a in firsts]
        with ThreadPoolExecutor(len(uploaders)) as pool:
            rests = [pool.submit(upload, d, data, 30_000) for d in uploaders]
            assert {rest.result() for rest in rests} == {sha}
        head = uploaders[0].http.head(f"/v1/blobs/{sha}")
        assert head.headers[UPLOAD_OFFSET] == str(len(data))
        attach(uploaders[0], sha, "facility", new_id())
        assert uploaders[0].http.get(f"/v1/blobs/{sha}").content == data
