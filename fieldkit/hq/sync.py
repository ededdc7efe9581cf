"""One `POST /v1/sync` request: the push in one sequenced transaction, then the pull page,
then the device's cursor and last-seen time."""

from __future__ import annotations

from fieldkit.hq.devices import Device, touch
from fieldkit.hq.errors import bad_request
from fieldkit.hq.pull import pull_page
from fieldkit.hq.push import Acknowledgement, apply_push
from fieldkit.hq.storage import Storage
from fieldkit.sync.protocol import SyncRequest, SyncResponse


def synchronise(storage: Storage, device: Device, request: SyncRequest, now_ms: int) -> bytes:
    """The response as JSON: the pull page's changes are spliced in as the database wrote
    them, the rest is the protocol model's own JSON."""
    if request.changes and request.batch is None:
        raise bad_request("a batch id is required with changes", status=422)
    ack = Acknowledgement(batch=request.batch)
    if request.changes or request.resolved:
        with storage.writing(sequenced=True) as conn:
            ack = apply_push(conn, device.id, device.node, request, now_ms)
    response = SyncResponse(
        batch=ack.batch,
        applied=ack.applied,
        rejected=ack.rejected,
        clamped=ack.clamped,
        cursor=request.cursor,
        server_time=now_ms,
    )
    changes = "[]"
    if request.pull:
        with storage.reading() as conn:
            page = pull_page(conn, device.node, request.cursor, request.limit)
        changes = page.changes_json
        response = response.model_copy(
            update={"cursor": page.cursor, "conflicts": page.conflicts, "more": page.more}
        )
    with storage.writing() as conn:
        touch(conn, device.id, response.cursor, now_ms)
    fields = response.model_dump_json(exclude={"changes"})
    return f'{fields[:-1]},"changes":{changes}}}'.encode()
