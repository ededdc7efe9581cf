"""One `POST /v1/sync` request: the push in one sequenced transaction, then the pull page,
then the device's cursor and last-seen time."""

from __future__ import annotations

from fieldkit.hq.devices import Device, touch
from fieldkit.hq.errors import bad_request
from fieldkit.hq.pull import pull_page
from fieldkit.hq.push import Acknowledgement, apply_push
from fieldkit.hq.storage import Storage
from fieldkit.sync.protocol import MAX_PUSH_CHANGES, MAX_PUSH_FIELDS, SyncRequest, SyncResponse

RECORDS_SINCE = 2  # the protocol version that pushes and pulls records


def synchronise(storage: Storage, device: Device, request: SyncRequest, now_ms: int) -> bytes:
    """The response as JSON: the pull page's changes are spliced in as the database wrote
    them, the rest is the protocol model's own JSON. A protocol-1 request gets a change per
    field and none of version 2's fields; a protocol-2 request gets records."""
    pushed = request.changes or request.records
    if pushed and request.batch is None:
        raise bad_request("a batch id is required with changes", status=422)
    if len(request.changes) > MAX_PUSH_CHANGES:
        raise bad_request(f"more than {MAX_PUSH_CHANGES} changes in one batch", status=422)
    if sum(len(r.fields) for r in request.records) > MAX_PUSH_FIELDS:
        raise bad_request(f"more than {MAX_PUSH_FIELDS} fields in one batch", status=422)
    by_record = request.protocol >= RECORDS_SINCE
    ack = Acknowledgement(batch=request.batch)
    if pushed or request.resolved:
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
            page = pull_page(conn, device.node, request.cursor, request.limit, by_record=by_record)
        changes = page.changes_json
        response = response.model_copy(
            update={"cursor": page.cursor, "conflicts": page.conflicts, "more": page.more}
        )
    with storage.writing() as conn:
        touch(conn, device.id, response.cursor, now_ms)
    if by_record:
        fields = response.model_dump_json(exclude={"changes", "records"})
        return f'{fields[:-1]},"records":{changes}}}'.encode()
    # Protocol 1 knows none of version 2's fields and refuses unknown ones: leave them out.
    fields = response.model_dump_json(exclude={"changes", "records", "protocol"}, exclude_none=True)
    return f'{fields[:-1]},"protocol":1,"changes":{changes}}}'.encode()
