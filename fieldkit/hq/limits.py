"""What one request may cost HQ: a body's shape is checked before it is parsed, parsing runs
off the event loop, each device has one sync request in flight, and only a few are parsed and
applied at once. So one heavy request (a 26 MB body of 1.5 million keys, say) cannot hold up
`/v1/health` or every other device, nor take HQ's memory with it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fieldkit.hq.errors import ApiError, too_large

# A batch of MAX_PUSH_FIELDS fields in 2,000 records has ~45,000 keys; long lists of items add
# some. Parsed, each key costs Python ~1 KB: the cap keeps one request's objects under ~250 MB.
MAX_KEYS = 250_000
MAX_PARSING = 4  # sync requests parsed and applied at once; the rest wait their turn
WAIT_FOR_TURN_S = 20.0
BUSY_RETRY_S = 5


def check_shape(data: bytes) -> None:
    """413 too_large for a body with more than MAX_KEYS object keys, before it is parsed.

    Keys are counted at C speed as `":` on the bytes: an overestimate (the pair inside a text
    value counts too) that a real batch stays far below."""
    if data.count(b'":') > MAX_KEYS:
        raise too_large(f"bodies with more than {MAX_KEYS} keys are refused")


def busy(message: str) -> ApiError:
    return ApiError(429, "busy", message, {"Retry-After": str(BUSY_RETRY_S)})


class Admission:
    """One sync request in flight per device, at most `parallel` being parsed or applied."""

    def __init__(self, parallel: int = MAX_PARSING, wait_s: float = WAIT_FOR_TURN_S) -> None:
        self._in_flight: set[str] = set()
        self._parallel = parallel
        self._wait_s = wait_s
        self._turns: asyncio.Semaphore | None = None  # made on the server's own event loop

    @asynccontextmanager
    async def request_of(self, device_id: str) -> AsyncIterator[None]:
        """Held while one device's request is read, parsed and applied; 429 busy when the
        device already has one in flight (a retry of a request still running)."""
        if device_id in self._in_flight:
            raise busy("this device already has a sync request in flight")
        self._in_flight.add(device_id)
        try:
            yield
        finally:
            self._in_flight.discard(device_id)

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """A turn to parse and apply a body; 429 busy after waiting WAIT_FOR_TURN_S."""
        if self._turns is None:
            self._turns = asyncio.Semaphore(self._parallel)
        try:
            await asyncio.wait_for(self._turns.acquire(), self._wait_s)
        except TimeoutError:
            raise busy("headquarters is busy; retry shortly") from None
        try:
            yield
        finally:
            self._turns.release()
