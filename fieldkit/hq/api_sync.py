"""Health, enrolment and the sync round (docs/sync-protocol.md)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from fieldkit.hq import wire
from fieldkit.hq.clock import now_ms
from fieldkit.hq.context import context_of, device_of
from fieldkit.hq.devices import Device, enrol
from fieldkit.hq.openapi import BEARER, error_responses, json_body
from fieldkit.hq.storage import Storage
from fieldkit.hq.sync import synchronise
from fieldkit.sync.protocol import (
    MAX_BODY_BYTES,
    EnrolRequest,
    EnrolResponse,
    Health,
    SyncRequest,
    SyncResponse,
)

MAX_ENROL_BYTES = 64 << 10

router = APIRouter(prefix="/v1")


@router.get("/health", response_model=Health)
async def health(request: Request) -> Response:
    """What a device checks before it syncs; no token needed."""
    server_id = context_of(request).server_id
    return wire.reply(Health(server_id=server_id, server_time=now_ms()), request)


@router.post(
    "/enrol",
    response_model=EnrolResponse,
    openapi_extra=json_body(EnrolRequest),
    responses=error_responses(400, 403, 413, 422),
)
async def enrol_device(request: Request) -> Response:
    """Exchange a one-time code from `fieldkit-hq enroll` for this device's token."""
    hq = context_of(request)
    raw = await wire.read_raw(request, MAX_ENROL_BYTES)
    message = wire.parse(
        wire.decode(raw, request.headers.get("content-encoding"), MAX_ENROL_BYTES), EnrolRequest
    )
    answer = await run_in_threadpool(enrol, hq.storage, message, hq.server_id, now_ms())
    return wire.reply(answer, request)


@router.post(
    "/sync",
    response_model=SyncResponse,
    openapi_extra={**json_body(SyncRequest), **BEARER},
    responses=error_responses(400, 401, 403, 413, 422),
)
async def sync(request: Request) -> Response:
    """Push a batch of changes and pull a page of other devices' changes."""
    device = await device_of(request)
    raw = await wire.read_raw(request, MAX_BODY_BYTES)
    storage = context_of(request).storage
    encoding = request.headers.get("content-encoding")
    # Decoding and validating a batch of 2,000 changes takes a while: off the event loop.
    answer = await run_in_threadpool(_synchronise, storage, device, raw, encoding, now_ms())
    return wire.reply_json(answer, request)


def _synchronise(
    storage: Storage, device: Device, raw: bytes, encoding: str | None, now: int
) -> bytes:
    message = wire.parse(wire.decode(raw, encoding, MAX_BODY_BYTES), SyncRequest)
    return synchronise(storage, device, message, now)
