"""Bodies in and out: read with a hard size limit, decompressed per Content-Encoding,
validated as protocol messages, and answered in the best encoding the device accepts."""

from __future__ import annotations

import json
from typing import TypeVar

from fastapi import Request, Response
from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect

from fieldkit.hq.errors import ApiError, bad_request, too_large
from fieldkit.sync.body import IDENTITY, BodyError, BodyTooLarge, decompress, encode
from fieldkit.sync.protocol import PROTOCOL_VERSION, SUPPORTED_PROTOCOLS, ErrorBody

M = TypeVar("M", bound=BaseModel)
JSON = "application/json"


async def read_raw(request: Request, limit: int) -> bytes:
    """The request body as sent, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(f"bodies over {limit} bytes are refused")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large(f"bodies over {limit} bytes are refused")
            chunks.append(chunk)
    except ClientDisconnect:
        # A link that dropped mid-request: ordinary on 2G and hotel Wi-Fi, not a server error.
        raise bad_request("the device disconnected before the body arrived") from None
    return b"".join(chunks)


def decode(raw: bytes, content_encoding: str | None, limit: int) -> bytes:
    """The body decompressed: 400 when corrupt or in an unknown encoding, 413 when it would
    expand past `limit` (checked while expanding, so a zip bomb stops at the limit)."""
    try:
        return decompress(raw, content_encoding, limit)
    except BodyTooLarge as error:
        raise too_large(str(error)) from error
    except BodyError as error:
        raise bad_request(str(error)) from error


def parse(data: bytes, model: type[M]) -> M:
    """A protocol message; 400 protocol_unsupported for another version, 422 bad_request for
    anything else that is not a valid `model`."""
    try:
        message = model.model_validate_json(data)
    except ValidationError as error:
        if _other_protocol(data):
            raise _unsupported() from error
        raise bad_request(_summary(error), status=422) from error
    if getattr(message, "protocol", PROTOCOL_VERSION) not in SUPPORTED_PROTOCOLS:
        raise _unsupported()
    return message


def reply(message: BaseModel, request: Request, status: int = 200) -> Response:
    """`message` as JSON, compressed when large and the device accepts it."""
    return reply_json(message.model_dump_json().encode(), request, status)


def reply_json(data: bytes, request: Request, status: int = 200) -> Response:
    """A message already written as JSON, compressed when large and the device accepts it."""
    payload, encoding = encode(data, request.headers.get("accept-encoding"))
    headers = {"Vary": "Accept-Encoding"}
    if encoding != IDENTITY:
        headers["Content-Encoding"] = encoding
    return Response(payload, status_code=status, media_type=JSON, headers=headers)


def error_reply(error: ApiError) -> Response:
    payload = ErrorBody(error=error.code, message=error.message).model_dump_json()
    return Response(payload, status_code=error.status, media_type=JSON, headers=error.headers)


def _other_protocol(data: bytes) -> bool:
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError):  # not JSON, or nested beyond Python's stack
        return False
    version = parsed.get("protocol", PROTOCOL_VERSION) if isinstance(parsed, dict) else None
    return isinstance(version, int) and version not in SUPPORTED_PROTOCOLS


def _unsupported() -> ApiError:
    return ApiError(
        400, "protocol_unsupported", f"this HQ speaks protocol {PROTOCOL_VERSION}; update FieldKit"
    )


def _summary(error: ValidationError) -> str:
    """Where the message is wrong, without echoing the values (they may be a worker's words)."""
    problems = [
        f"{'.'.join(str(part) for part in item['loc']) or 'body'}: {item['msg']}"
        for item in error.errors(include_input=False, include_url=False)[:5]
    ]
    return "not a valid message: " + "; ".join(problems)
