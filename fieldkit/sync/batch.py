"""A push batch as the device keeps it in its vault: the request's bytes, saved before they
are sent (and sent again, byte for byte, until HQ acknowledges them), and HQ's answer, saved
before the journal takes it in when the next batch is sent meanwhile.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from fieldkit.sync import body
from fieldkit.sync.protocol import SyncRequest, SyncResponse


@dataclass(frozen=True)
class Outgoing:
    batch: str
    encoded: bytes  # the request as JSON, sent and saved as these very bytes
    saved: str  # `encoded` as the vault keeps it (pack)
    change_ids: str  # the journal entries' change ids, a JSON array
    count: int  # the fields it carries
    resolved: tuple[str, ...]
    pull: bool
    last_seq: int | None = None  # the journal position it reaches (None: saved earlier)

    @property
    def request(self) -> SyncRequest:
        """The batch as a protocol message, parsed from its bytes (to inspect it)."""
        return SyncRequest.model_validate_json(self.encoded)

    @classmethod
    def read_back(cls, saved: str, change_ids: str | None) -> Outgoing:
        """A batch saved before it was sent, read back to be sent again as it is (with the
        ids of its journal entries, saved beside it; a protocol-1 batch names them itself)."""
        encoded = unpack(saved)
        request = json.loads(encoded)
        ids = [change["id"] for change in request.get("changes", [])]
        fields = len(ids) + sum(len(edit.get("fields", {})) for edit in request.get("records", []))
        if not ids and change_ids:
            ids = json.loads(change_ids)
        return cls(
            str(request.get("batch") or ""),
            encoded,
            saved,
            json.dumps(ids),
            fields,
            tuple(request.get("resolved", [])),
            bool(request.get("pull", True)),
        )


@dataclass(frozen=True)
class Answer:
    """HQ's acknowledgement of a batch with what the journal needs to take it in: the
    batch's entries (marked sent, or quarantined where HQ refused them) and the resolved
    conflicts it told."""

    change_ids: str  # a JSON array
    resolved: tuple[str, ...]
    response: SyncResponse

    @classmethod
    def of(cls, sent: Outgoing, response: SyncResponse) -> Answer:
        return cls(sent.change_ids, sent.resolved, response)

    def dumps(self) -> str:
        kept = self.response.model_dump_json(exclude={"changes", "records", "conflicts"})
        resolved = json.dumps(list(self.resolved))
        return f'{{"change_ids":{self.change_ids},"resolved":{resolved},"response":{kept}}}'

    @classmethod
    def loads(cls, text: str) -> Answer:
        saved: dict[str, Any] = json.loads(text)
        return cls(
            json.dumps(saved["change_ids"]),
            tuple(saved["resolved"]),
            SyncResponse.model_validate(saved["response"]),
        )


def with_records(head: SyncRequest, records_json: str) -> bytes:
    """The request's JSON with the records array spliced in as SQLite wrote it."""
    fields = head.model_dump_json(exclude={"changes", "records"})
    return f'{fields[:-1]},"records":{records_json}}}'.encode()


def pack(encoded: bytes) -> str:
    """A batch as the vault keeps it: zstd, base64 (a tenth of the pages to write)."""
    return base64.b64encode(body.compress(encoded, body.ZSTD)).decode("ascii")


def unpack(saved: str) -> bytes:
    if saved.startswith("{"):  # saved as plain JSON by FieldKit 0.1.0
        return saved.encode()
    return body.decompress(base64.b64decode(saved), body.ZSTD)
