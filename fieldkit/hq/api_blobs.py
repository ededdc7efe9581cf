"""Attachment bytes: HEAD tells how much of its own copy HQ holds, PATCH appends a chunk of it
at HQ's offset, GET downloads (resumable with `Range: bytes=N-`) bytes the device may see."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from fieldkit.hq import audit, blobs, wire
from fieldkit.hq.context import context_of, device_of
from fieldkit.hq.errors import ApiError, not_found
from fieldkit.hq.openapi import BEARER, error_responses
from fieldkit.sync.protocol import BLOB_CHUNK_BYTES, UPLOAD_LENGTH, UPLOAD_OFFSET

router = APIRouter(prefix="/v1/blobs")

Sha256Path = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256, lower-case hex")]
OffsetHeader = Annotated[int, Header(alias=UPLOAD_OFFSET, ge=0, le=blobs.MAX_BLOB_BYTES)]
LengthHeader = Annotated[int, Header(alias=UPLOAD_LENGTH, ge=0, le=blobs.MAX_BLOB_BYTES)]
RANGE = re.compile(r"^\s*bytes\s*=\s*(\d{1,18})\s*-\s*(\d{0,18})\s*$")
BYTES: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/offset+octet-stream": BYTES, "application/octet-stream": BYTES},
    },
    **BEARER,
}
OFFSET_HEADERS = {UPLOAD_OFFSET: {"schema": {"type": "integer"}}}


@router.head(
    "/{sha256}",
    openapi_extra=BEARER,
    responses={
        200: {"headers": {**OFFSET_HEADERS, UPLOAD_LENGTH: {"schema": {"type": "integer"}}}},
        **error_responses(401, 403, 404, 422),
    },
)
async def blob_offset(request: Request, sha256: Sha256Path) -> Response:
    device = await device_of(request)
    storage = context_of(request).storage
    state = await run_in_threadpool(blobs.blob_state, storage, sha256, device.node)
    if state is None:
        raise not_found()
    offset = state.length if state.complete else state.received
    return Response(
        status_code=200, headers={UPLOAD_OFFSET: str(offset), UPLOAD_LENGTH: str(state.length)}
    )


@router.patch(
    "/{sha256}",
    status_code=204,
    openapi_extra=UPLOAD_BODY,
    responses={
        204: {"headers": OFFSET_HEADERS},
        **error_responses(400, 401, 403, 409, 413, 422, 503),
    },
)
async def upload_chunk(
    request: Request, sha256: Sha256Path, offset: OffsetHeader, length: LengthHeader
) -> Response:
    device = await device_of(request)
    hq = context_of(request)
    hq.guard.refuse_push_if_low()  # attachment bytes are a push too
    raw = await wire.read_raw(request, BLOB_CHUNK_BYTES)
    chunk = wire.decode(raw, request.headers.get("content-encoding"), BLOB_CHUNK_BYTES)
    blob = blobs.Blob(sha256, device.node)
    received = await run_in_threadpool(blobs.append, hq.storage, blob, offset, length, chunk)
    return Response(status_code=204, headers={UPLOAD_OFFSET: str(received)})


@router.get(
    "/{sha256}",
    response_class=Response,
    openapi_extra=BEARER,
    responses={
        200: {"content": {"application/octet-stream": BYTES}},
        206: {"content": {"application/octet-stream": BYTES}},
        **error_responses(401, 403, 404, 422),
        416: {"model": None, "description": "the range starts past the end"},
    },
)
async def download(request: Request, sha256: Sha256Path) -> Response:
    device = await device_of(request)
    storage = context_of(request).storage
    state = await run_in_threadpool(blobs.readable_blob, storage, sha256, device.node)
    wanted = _range(request.headers.get("range"), state.length)
    start, end = wanted or (0, state.length)
    if start == 0:  # a download begins (a resumed one was logged when it began)
        await run_in_threadpool(audit.served_attachment, storage, device.id, device.node, sha256)
    headers = {"Accept-Ranges": "bytes", "Content-Length": str(end - start)}
    status = 200
    if wanted is not None:
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{state.length}"
    return StreamingResponse(
        blobs.read(storage, blobs.Blob(sha256, state.uploader), start, end),
        status_code=status,
        media_type="application/octet-stream",
        headers=headers,
    )


def _range(header: str | None, length: int) -> tuple[int, int] | None:
    """(start, end) of the bytes asked for with `bytes=N-` or `bytes=N-M`; None for no range
    or another form (the whole blob, as HTTP allows). 416 when it starts past the end."""
    match = RANGE.match(header or "")
    if match is None:
        return None
    start = int(match.group(1))
    end = min(int(match.group(2)) + 1, length) if match.group(2) else length
    if start >= length or end <= start:
        raise ApiError(
            416, "bad_request", "the range starts past the end of the blob",
            {"Content-Range": f"bytes */{length}"},
        )  # fmt: skip
    return start, end
