"""What every request handler needs (the storage, the server id and the guard over its free
space), kept on the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from fieldkit.hq.app_versions import AppVersions
from fieldkit.hq.devices import Device, authenticate
from fieldkit.hq.footing import StorageGuard
from fieldkit.hq.limits import Admission
from fieldkit.hq.storage import Storage


@dataclass(frozen=True)
class HQContext:
    storage: Storage
    server_id: str
    guard: StorageGuard
    admission: Admission = field(default_factory=Admission)
    versions: AppVersions = field(default_factory=AppVersions)


def context_of(request: Request) -> HQContext:
    return cast(HQContext, request.app.state.hq)


async def device_of(request: Request) -> Device:
    """The device that sent the request (401/403 as ApiError otherwise). Database work runs
    on a worker thread: the event loop never waits on SQL."""
    storage = context_of(request).storage
    return await run_in_threadpool(authenticate, storage, request.headers.get("authorization"))
