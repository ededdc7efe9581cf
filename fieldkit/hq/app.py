"""The HQ web application: the endpoints of docs/sync-protocol.md over one Storage.

Every failure answers `{"error": CODE, "message": TEXT}` with the status of the spec's table;
input a device (or anyone) sends never causes a 500, and neither does a full disk or a failing
database (503 with Retry-After, fieldkit/hq/footing.py).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from fieldkit import __version__
from fieldkit.hq import api_blobs, api_device, api_sync, openapi, wire
from fieldkit.hq.console import routes as console
from fieldkit.hq.context import HQContext
from fieldkit.hq.errors import ApiError
from fieldkit.hq.footing import StorageGuard, answer_for, guard_for
from fieldkit.hq.storage import Storage
from fieldkit.sync.protocol import EnrolRequest, SyncRequest

log = logging.getLogger(__name__)

STATUS_CODES = {401: "unauthorized", 404: "not_found", 409: "conflict", 413: "too_large"}


def create_app(storage: Storage, server_id: str, guard: StorageGuard | None = None) -> FastAPI:
    app = FastAPI(
        title="FieldKit HQ",
        version=__version__,
        description="Headquarters sync server for FieldKit devices (docs/sync-protocol.md).",
        docs_url=None,
        redoc_url=None,
    )
    app.state.hq = HQContext(storage, server_id, guard or guard_for(storage))
    app.include_router(api_sync.router)
    app.include_router(api_blobs.router)
    app.include_router(console.router)
    app.add_exception_handler(console.Refused, console.refused_reply)
    app.include_router(api_device.router)
    app.add_exception_handler(ApiError, _api_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
    for storage_error in (SQLAlchemyError, OSError):
        app.add_exception_handler(storage_error, _storage_error)
    openapi.install(app, [SyncRequest, EnrolRequest, *api_device.REQUEST_MODELS])
    return app


async def _api_error(_request: Request, error: ApiError) -> Response:
    return wire.error_reply(error)


async def _storage_error(_request: Request, error: Exception) -> Response:
    """A database or disk failure: 503 with a code and Retry-After, never a raw 500."""
    return wire.error_reply(answer_for(error))


async def _http_error(_request: Request, error: HTTPException) -> Response:
    """Starlette's own answers (unknown path, wrong method) in the protocol's shape."""
    code = STATUS_CODES.get(error.status_code, "bad_request")
    headers = dict(error.headers or {})
    return wire.error_reply(ApiError(error.status_code, code, str(error.detail), headers))  # type: ignore[arg-type]


async def _invalid_request(_request: Request, error: RequestValidationError) -> Response:
    problems = [
        f"{'.'.join(str(part) for part in item.get('loc', ()))}: {item.get('msg', '')}"
        for item in list(error.errors())[:5]
    ]
    return wire.error_reply(ApiError(422, "bad_request", "; ".join(problems) or "invalid request"))
