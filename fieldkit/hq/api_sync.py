"""Health, enrolment and the sync round (docs/sync-protocol.md)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from fieldkit.hq import roles, wire
from fieldkit.hq.clock import now_ms
from fieldkit.hq.context import context_of, device_of
from fieldkit.hq.devices import enrol
from fieldkit.hq.footing import STORAGE_HEADER
from fieldkit.hq.limits import check_shape
from fieldkit.hq.openapi import BEARER, error_responses, json_body
from fieldkit.hq.sync import synchronise
from fieldkit.sync.protocol import (
    MAX_BODY_BYTES,
    MAX_PUSH_FIELDS,
    PUSH_FIELDS_HEADER,
    Directory,
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
    hq = context_of(request)
    answer = wire.reply(Health(server_id=hq.server_id, server_time=now_ms()), request)
    answer.headers[STORAGE_HEADER] = "ok" if hq.guard.accepting_pushes() else "full"
    answer.headers[PUSH_FIELDS_HEADER] = str(MAX_PUSH_FIELDS)
    return answer


@router.post(
    "/enrol",
    response_model=EnrolResponse,
    openapi_extra=json_body(EnrolRequest),
    responses=error_responses(400, 403, 413, 422),
)
async def enrol_device(request: Request) -> Response:
    """Exchange a one-time code from `fieldkit-hq enroll` for this device's token. A vault
    enrolling again sends its current token (`Authorization: Bearer`) to keep its records."""
    hq = context_of(request)
    raw = await wire.read_raw(request, MAX_ENROL_BYTES)
    message = wire.parse(
        wire.decode(raw, request.headers.get("content-encoding"), MAX_ENROL_BYTES), EnrolRequest
    )
    answer = await run_in_threadpool(
        enrol, hq.storage, message, hq.server_id, now_ms(), request.headers.get("authorization")
    )
    reply = wire.reply(answer, request)
    reply.headers[roles.ROLE_HEADER] = await run_in_threadpool(
        roles.role_name, hq.storage, answer.device_id
    )
    return reply


@router.post(
    "/sync",
    response_model=SyncResponse,
    openapi_extra={**json_body(SyncRequest), **BEARER},
    responses=error_responses(400, 401, 403, 413, 422, 429, 503),
)
async def sync(request: Request) -> Response:
    """Push a batch of changes and pull a page of other devices' changes."""
    device = await device_of(request)
    hq = context_of(request)
    async with hq.admission.request_of(device.id):
        raw = await wire.read_raw(request, MAX_BODY_BYTES)
        async with hq.admission.turn():
            encoding = request.headers.get("content-encoding")
            message = await run_in_threadpool(_read_sync_request, raw, encoding)
            if message.changes or message.resolved:
                hq.guard.refuse_push_if_low()
            answer = await run_in_threadpool(synchronise, hq.storage, device, message, now_ms())
            reply = await run_in_threadpool(wire.reply_json, answer, request)
            reply.headers[roles.ROLE_HEADER] = await run_in_threadpool(
                roles.role_name, hq.storage, device.id
            )
            reply.headers[PUSH_FIELDS_HEADER] = str(MAX_PUSH_FIELDS)
        user_agent = request.headers.get("user-agent")
        await run_in_threadpool(hq.versions.note, hq.storage, device.id, user_agent, now_ms())
        return reply


def _read_sync_request(raw: bytes, encoding: str | None) -> SyncRequest:
    """Decompress, check the shape and parse: on a worker thread, never the event loop."""
    data = wire.decode(raw, encoding, MAX_BODY_BYTES)
    check_shape(data)
    return wire.parse(data, SyncRequest)


@router.get(
    "/directory",
    response_model=Directory,
    openapi_extra=BEARER,
    responses=error_responses(401, 403),
)
async def directory(request: Request) -> Response:
    """Who holds each node (name, role, post): how a reviewer's app names records' authors."""
    await device_of(request)
    hq = context_of(request)
    answer = await run_in_threadpool(roles.directory, hq.storage)
    return wire.reply(answer, request)
