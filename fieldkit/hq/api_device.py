"""Orders for a device, asked for at the start of each sync round: a signed statement (wipe,
lease, HQ's sealing key), the device's report that it wiped itself, and the return from
travel. Kept apart from /v1/sync so the push and pull bodies stay as they are."""

from __future__ import annotations

import base64
import binascii
import json
import re

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from fieldkit.hq import wire
from fieldkit.hq.clock import now_ms
from fieldkit.hq.context import context_of, device_of
from fieldkit.hq.errors import bad_request
from fieldkit.hq.openapi import BEARER, error_responses, json_body
from fieldkit.hq.orders import device_for_orders, record_wiped, signed_orders
from fieldkit.hq.travel import returned_records
from fieldkit.sync.protocol import MAX_BODY_BYTES, RemoteChange

MAX_SMALL_BYTES = 4 << 10

router = APIRouter(prefix="/v1/device")


class SignedOrders(BaseModel):
    """The statement (canonical JSON, base64), HQ's Ed25519 signature and public key."""

    statement: str
    signature: str
    signing_key: str


NONCE = re.compile(r"[0-9a-f]{1,64}")  # HQ gives 32 hex digits (orders.py)


class WipeDone(BaseModel):
    nonce: str


class TravelList(BaseModel):
    sealed: str  # base64: the list of record ids sealed to HQ's X25519 key


class ReturnedRecords(BaseModel):
    changes: list[RemoteChange]


REQUEST_MODELS: list[type[BaseModel]] = [WipeDone, TravelList]


@router.get(
    "/orders",
    response_model=SignedOrders,
    openapi_extra=BEARER,
    responses=error_responses(400, 401, 403, 422),
)
async def orders(
    request: Request,
    challenge: str = Query(min_length=1, max_length=64, pattern="^[A-Za-z0-9]+$"),
) -> Response:
    """HQ's orders for this device, signed with HQ's Ed25519 key (a revoked device with a
    wipe pending is answered too)."""
    hq = context_of(request)
    authorization = request.headers.get("authorization")
    device = await run_in_threadpool(device_for_orders, hq.storage, authorization)
    answer = await run_in_threadpool(
        signed_orders, hq.storage, device, hq.server_id, challenge, now_ms()
    )
    return Response(json.dumps(answer), media_type="application/json")


@router.post(
    "/wiped",
    status_code=204,
    response_class=Response,
    openapi_extra={**json_body(WipeDone), **BEARER},
    responses=error_responses(400, 401, 403),
)
async def wiped(request: Request) -> Response:
    """The device destroyed its keys and data as ordered (`{"nonce": ...}`)."""
    hq = context_of(request)
    authorization = request.headers.get("authorization")
    device = await run_in_threadpool(device_for_orders, hq.storage, authorization)
    body = _json(await wire.read_raw(request, MAX_SMALL_BYTES))
    nonce = body.get("nonce")
    if not isinstance(nonce, str) or not NONCE.fullmatch(nonce):
        raise bad_request("nonce missing or not a nonce HQ gives")
    await run_in_threadpool(record_wiped, hq.storage, device, nonce, now_ms())
    return Response(status_code=204)


@router.post("/travel/return", openapi_extra=BEARER, responses=error_responses(400, 401, 403, 413))
async def travel_return(request: Request) -> Response:
    """`{"sealed": base64}` in; `{"changes": [RemoteChange...]}` out: the current fields of
    the records in the sealed list that the device may see."""
    device = await device_of(request)
    hq = context_of(request)
    raw = await wire.read_raw(request, MAX_BODY_BYTES)
    body = _json(wire.decode(raw, request.headers.get("content-encoding"), MAX_BODY_BYTES))
    try:
        sealed = base64.b64decode(str(body.get("sealed", "")), validate=True)
    except (binascii.Error, ValueError):
        raise bad_request("sealed: not base64") from None
    changes = await run_in_threadpool(returned_records, hq.storage, device, sealed)
    data = json.dumps({"changes": changes}).encode()
    return await run_in_threadpool(wire.reply_json, data, request)


def _json(raw: bytes) -> dict[str, object]:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise bad_request("not JSON") from None
    if not isinstance(body, dict):
        raise bad_request("expected an object")
    return body
