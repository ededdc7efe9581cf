"""The sync protocol, version 2: the messages a device and headquarters exchange.

Version 2 adds the record-level path: a device pushes `records` (the fields of one record
written at one clock reading, as one entry, without a change id per field) and HQ answers a
version-2 request with `records` pulled the same way. HQ still serves version 1 (a change per
field, each with its id) to devices not yet updated.

Shared by the client engine (fieldkit/sync) and the server (fieldkit/hq); docs/sync-protocol.md
describes the same thing in prose. Every message is JSON, compressed by `body.py`.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 2
SUPPORTED_PROTOCOLS = frozenset({1, 2})  # what HQ serves (version 1: a change per field)
SERVICE_NAME = "fieldkit-hq"

MAX_PUSH_CHANGES = 2000  # per request: changes (protocol 1), records (protocol 2)
# Fields in one protocol-2 request: 2,000 unless HQ's health answer says more (PUSH_FIELDS_HEADER).
MAX_PUSH_FIELDS = 30_000
MAX_PULL_CHANGES = 2000  # per page
MAX_BODY_BYTES = 32 << 20  # a request body after decompression
MAX_VALUE_CHARS = 1 << 20  # one field's JSON text
BLOB_CHUNK_BYTES = 1 << 20  # the largest chunk the server takes in one PATCH
FUTURE_CLOCK_LIMIT_MS = 5 * 60 * 1000  # the server clamps timestamps further ahead than this

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Hlc = Annotated[int, Field(ge=0, lt=1 << 63)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


def is_loopback(host: str) -> bool:
    """Whether `host` is this computer: the only place plain HTTP is allowed, by devices and
    by HQ alike (docs/sync-protocol.md, "Transport")."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- health and enrolment -----------------------------------------------------------------


class Health(Message):
    """`GET /v1/health`: what a device checks before it syncs. A captive portal's login page
    is not this, so the device counts itself offline."""

    service: Literal["fieldkit-hq"] = "fieldkit-hq"
    protocol: int = PROTOCOL_VERSION
    server_id: Id
    server_time: int  # milliseconds since the epoch, by the server's clock


class EnrolRequest(Message):
    """`POST /v1/enrol`: exchange a one-time code for this device's token."""

    protocol: int = PROTOCOL_VERSION
    code: Annotated[str, Field(min_length=1, max_length=64)]
    node: Id  # the vault's device id: the tie-break of its hybrid logical clock
    label: Name  # what the device calls itself (host name), shown to HQ admins


class EnrolResponse(Message):
    device_id: Id
    device_name: Name  # the name the admin gave with `fieldkit-hq enroll NAME`
    token: Annotated[str, Field(min_length=32, max_length=128)]
    server_id: Id


# --- one sync round -----------------------------------------------------------------------


class Version(Message):
    """Which write a field holds: its hybrid logical clock reading and the writing node."""

    hlc: Hlc
    node: Id


class Change(Message):
    """One field of one record as this device last wrote it (a journal entry)."""

    id: Id  # the change id (journal change_id)
    kind: Annotated[str, Field(max_length=32)]
    record: Id
    field: Annotated[str, Field(max_length=64)]
    value: Any = None
    hlc: Hlc
    # The version the device's edit started from. When HQ holds another device's version
    # instead, the two edits were concurrent and both are kept as a conflict.
    base: Version | None = None


class RecordEdit(Message):
    """Protocol 2: fields of one record that a device wrote at one clock reading (a new
    record, or one save), as one entry. `base` names, per field, the version the edit started
    from (absent for a new record). HQ still decides field by field, so concurrent edits of
    different fields merge and concurrent edits of one field become a conflict."""

    kind: Annotated[str, Field(max_length=32)]
    record: Id
    hlc: Hlc
    fields: Annotated[dict[Annotated[str, Field(max_length=64)], Any], Field(min_length=1)]
    # A factory, not `= {}`: pydantic deep-copies a mutable default for every record edit.
    base: dict[Annotated[str, Field(max_length=64)], Version] = Field(default_factory=dict)


class SyncRequest(Message):
    """`POST /v1/sync`: push a batch of changes and pull a page of others', in one request."""

    protocol: int = PROTOCOL_VERSION
    cursor: Annotated[int, Field(ge=0)] = 0  # the server sequence this device has pulled up to
    batch: Id | None = None  # required with changes: replaying a batch id changes nothing
    changes: Annotated[list[Change], Field(max_length=MAX_PUSH_CHANGES)] = []
    records: Annotated[list[RecordEdit], Field(max_length=MAX_PUSH_CHANGES)] = []  # protocol 2
    resolved: Annotated[list[Id], Field(max_length=MAX_PUSH_CHANGES)] = []  # conflict ids
    pull: bool = True
    limit: Annotated[int, Field(ge=1, le=MAX_PULL_CHANGES)] = MAX_PULL_CHANGES


RejectCode = Literal[
    "unknown_kind", "unknown_field", "invalid_value", "value_too_large", "not_permitted"
]


class Rejected(Message):
    """A change HQ refuses. The device quarantines it with the reason; the rest goes on.
    A change sent with an id is named by `change`; a field of a `RecordEdit` by `record` and
    `field`."""

    change: Id | None = None
    record: Id | None = None
    field: str | None = None
    code: RejectCode
    message: str  # English detail for logs; devices show their own translated text per code


class Clamped(Message):
    """A change whose clock was too far in the future: HQ stored it with this `hlc`. A
    `RecordEdit` is named by `record` and the clock it was sent with (`sent`)."""

    change: Id | None = None
    record: Id | None = None
    sent: Hlc | None = None
    hlc: Hlc


class RemoteRecord(Message):
    """Protocol 2: fields of one record that another device wrote at one clock reading."""

    kind: str
    record: Id
    hlc: Hlc
    node: Id
    fields: dict[str, Any]


class RemoteChange(Message):
    """One field as HQ holds it, written by another device."""

    kind: str
    record: Id
    field: str
    value: Any = None
    hlc: Hlc
    node: Id


class ConflictSide(Message):
    value: Any = None
    hlc: Hlc
    node: Id
    device_name: str  # who wrote it, for the person resolving


class Conflict(Message):
    """Two concurrent edits of one field. `kept` is what the field holds now (the
    later writer); `other` is the version that lost and would otherwise be gone."""

    id: Id
    kind: str
    record: Id
    field: str
    kept: ConflictSide
    other: ConflictSide
    resolved: bool = False


class SyncResponse(Message):
    protocol: int = PROTOCOL_VERSION
    batch: Id | None = None  # the acknowledged batch id
    applied: int = 0  # changes of the batch HQ accepted (including ones it already had)
    rejected: list[Rejected] = []
    clamped: list[Clamped] = []
    cursor: int  # the next request's cursor
    changes: list[RemoteChange] = []  # protocol 1
    records: list[RemoteRecord] = []  # protocol 2
    conflicts: list[Conflict] = []  # new, changed or resolved conflicts since the cursor
    more: bool = False  # another page is waiting
    server_time: int


# --- who wrote what (reviewers) ------------------------------------------------------------


class Author(Message):
    """A node and the device holding it: whose records carry that node."""

    node: Id
    name: Name
    role: Literal["attache", "reviewer"]
    post: Annotated[str, Field(max_length=100)] | None = None


class Directory(Message):
    """`GET /v1/directory`: every node HQ has bound, with its device's name, role and post,
    so a reviewer's app can show and filter records by attaché and by post."""

    authors: list[Author] = []


# --- errors -------------------------------------------------------------------------------

ErrorCode = Literal[
    "unauthorized",  # 401: no token, or a token HQ does not know
    "device_revoked",  # 403: the device was revoked by headquarters
    "enrolment_refused",  # 403: the code is unknown, used or expired
    "protocol_unsupported",  # 400: the device speaks another protocol version
    "bad_request",  # 400/422: the body is not a valid message
    "too_large",  # 413
    "not_found",  # 404
    "conflict",  # 409: a blob upload offset that does not match HQ's
    "busy",  # 429 + Retry-After: a request of this device is still running, or HQ is full up
    "hq_storage_full",  # 503 + Retry-After: HQ cannot store changes now; pulls still work
    "hq_unavailable",  # 503 + Retry-After: HQ's database failed; nothing was stored
]


class ErrorBody(Message):
    error: ErrorCode
    message: str


# --- attachments (headers, not bodies) ------------------------------------------------------
# HEAD  /v1/blobs/{sha256}  -> 200 with Upload-Offset and Upload-Length, or 404
# PATCH /v1/blobs/{sha256}  Upload-Offset, Upload-Length, body = bytes -> 204 + Upload-Offset
# GET   /v1/blobs/{sha256}  optional Range: bytes=N- -> 200/206 with the bytes

# On enrolment and sync answers: the device's role at HQ ("attache" or "reviewer"), so the app
# can show reviewer mode. A header, so devices that refuse unknown fields keep reading bodies.
ROLE_HEADER = "FieldKit-Role"
# On /v1/health: how many fields HQ takes in one protocol-2 request (absent: MAX_PUSH_CHANGES).
PUSH_FIELDS_HEADER = "FieldKit-Push-Fields"
ATTACHE_ROLE = "attache"
REVIEWER_ROLE = "reviewer"

UPLOAD_OFFSET = "Upload-Offset"
UPLOAD_LENGTH = "Upload-Length"
