"""The HTTP link to headquarters: pinned TLS, compressed bodies, and every way a hostile or
broken network can answer turned into one typed error (errors.SyncError family).
"""

from __future__ import annotations

import json
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from fieldkit import __version__
from fieldkit.errors import (
    DeviceRevoked,
    EnrolmentRefused,
    HqBadResponse,
    HqBusy,
    HqCertificateChanged,
    HqNotFieldKit,
    HqStorageFull,
    HqTokenRefused,
    HqUnreachable,
    ProtocolUnsupported,
    SyncError,
)
from fieldkit.sync import body
from fieldkit.sync.pinning import (
    HqAddress,
    fetch_certificate,
    fingerprint,
    pinned_context,
    system_context,
)
from fieldkit.sync.protocol import (
    BLOB_CHUNK_BYTES,
    MAX_BODY_BYTES,
    MAX_PUSH_CHANGES,
    MAX_PUSH_FIELDS,
    PUSH_FIELDS_HEADER,
    ROLE_HEADER,
    UPLOAD_LENGTH,
    UPLOAD_OFFSET,
    Directory,
    EnrolRequest,
    EnrolResponse,
    Health,
    SyncRequest,
    SyncResponse,
)

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
TIMEOUT = httpx.Timeout(60.0, connect=10.0)


@dataclass
class Traffic:
    """What the link has cost so far (for the sync log and the benchmark)."""

    requests: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0


class HqLink:
    """One device's connection to HQ. Keep it open for a sync round (keep-alive); close after."""

    def __init__(
        self,
        address: HqAddress,
        *,
        token: str | None = None,
        certificate: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.address = address
        self.certificate = certificate
        self.traffic = Traffic()
        self.role: str | None = None  # the device's role as HQ's last answer named it
        self.push_fields = MAX_PUSH_CHANGES  # fields per push request HQ takes (its health says)
        verify = pinned_context(certificate) if certificate else system_context()
        headers = {"Accept-Encoding": "zstd, gzip", "User-Agent": f"FieldKit/{__version__}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._client = httpx.Client(
            base_url=address.url, verify=verify, timeout=TIMEOUT, headers=headers,
            transport=transport,
        )  # fmt: skip

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HqLink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- messages ---------------------------------------------------------------------------

    def health(self) -> Health:
        """HQ's health answer; HqNotFieldKit when something else (a login page) answers.

        HQ needs no token for this probe and never refuses it, so a 401 here comes from
        whatever stands in the way (a network asking for its own login), not from HQ."""
        try:
            return self._exchange("GET", "/v1/health", None, Health)
        except (HqBadResponse, HqTokenRefused) as error:
            raise HqNotFieldKit() from error

    def enrol(self, request: EnrolRequest) -> EnrolResponse:
        return self._exchange("POST", "/v1/enrol", request, EnrolResponse)

    def directory(self) -> Directory:
        """Who holds each node: names, roles and posts (for reviewers' lists)."""
        return self._exchange("GET", "/v1/directory", None, Directory)

    def sync(self, request: SyncRequest | bytes) -> SyncResponse:
        """One sync round trip; `request` may be given already encoded as JSON."""
        return self._exchange("POST", "/v1/sync", request, SyncResponse)

    def call_json(self, method: str, path: str, message: object | None = None) -> object:
        """A JSON request to one of HQ's device endpoints (orders, wiped, travel return);
        its parsed answer (None for 204), errors typed as for sync."""
        data = b"" if message is None else json.dumps(message).encode()
        headers = {"Content-Type": "application/json"} if message is not None else {}
        response, content = self._receive(method, path, data, headers, MAX_BODY_BYTES)
        self._raise_for(response, content)
        if response.status_code == 204 or not content:
            return None
        try:
            return json.loads(content)
        except ValueError as error:
            raise HqBadResponse(reason=f"{path}: not JSON") from error

    # --- attachment bytes ---------------------------------------------------------------------

    def blob_offset(self, sha256: str) -> int | None:
        """How many bytes of the blob HQ holds (None: none at all)."""
        response = self._send("HEAD", f"/v1/blobs/{sha256}", b"", {})
        if response.status_code == 404:
            return None
        self._raise_for(response, b"")
        return _int_header(response, UPLOAD_OFFSET)

    def upload(self, sha256: str, offset: int, total: int, chunk: bytes) -> int:
        """Send `chunk` at `offset`; HQ's new offset (HQ's own offset after a 409)."""
        headers = {
            UPLOAD_OFFSET: str(offset),
            UPLOAD_LENGTH: str(total),
            "Content-Type": "application/offset+octet-stream",
        }
        response = self._send("PATCH", f"/v1/blobs/{sha256}", chunk, headers)
        if response.status_code != 409:
            self._raise_for(response, b"")
        return _int_header(response, UPLOAD_OFFSET)

    def download(self, sha256: str, offset: int, sink: Callable[[bytes], None]) -> None:
        """Stream the blob from `offset` into `sink`, one piece of up to 1 MiB at a time, so
        a link that drops part-way keeps what arrived."""
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        self.traffic.requests += 1
        try:
            with self._client.stream("GET", f"/v1/blobs/{sha256}", headers=headers) as response:
                if response.status_code >= 300:
                    self._raise_for(response, response.read()[:4096])
                if offset and response.status_code != 206:
                    raise HqBadResponse(reason="range not honoured")
                buffer = bytearray()
                for chunk in response.iter_bytes():
                    buffer += chunk
                    if len(buffer) >= BLOB_CHUNK_BYTES:
                        sink(bytes(buffer))
                        buffer.clear()
                if buffer:
                    sink(bytes(buffer))
                self.traffic.bytes_received += response.num_bytes_downloaded
        except httpx.ConnectError as error:
            raise self._connect_failure(error) from error
        except (httpx.TransportError, httpx.InvalidURL) as error:
            raise HqUnreachable(reason=type(error).__name__) from error

    # --- plumbing -----------------------------------------------------------------------------

    def _exchange(
        self, method: str, path: str, message: BaseModel | bytes | None, reply: type[M]
    ) -> M:
        if isinstance(message, BaseModel):
            data = message.model_dump_json().encode()
        else:
            data = message or b""
        encoding = body.ZSTD if len(data) > body.COMPRESS_ABOVE else body.IDENTITY
        payload = body.compress(data, encoding)
        headers = {"Content-Type": "application/json"} if message is not None else {}
        if encoding != body.IDENTITY:
            headers["Content-Encoding"] = encoding
        response, content = self._receive(method, path, payload, headers, MAX_BODY_BYTES)
        self._raise_for(response, content)
        self.role = response.headers.get(ROLE_HEADER) or self.role
        self.push_fields = _advertised(response, PUSH_FIELDS_HEADER) or self.push_fields
        try:
            return reply.model_validate_json(content)
        except ValidationError as error:
            raise HqBadResponse(reason=f"{path}: not a {reply.__name__}") from error

    def _send(
        self, method: str, path: str, payload: bytes, headers: dict[str, str]
    ) -> httpx.Response:
        response, _ = self._receive(method, path, payload, headers, MAX_BODY_BYTES)
        return response

    def _receive(
        self, method: str, path: str, payload: bytes, headers: dict[str, str], limit: int
    ) -> tuple[httpx.Response, bytes]:
        """Send one request and read its (decoded) body, never more than `limit` bytes."""
        self.traffic.requests += 1
        self.traffic.bytes_sent += len(payload)
        try:
            with self._client.stream(method, path, content=payload, headers=headers) as response:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise HqBadResponse(reason="answer too large")
                    chunks.append(chunk)
                self.traffic.bytes_received += response.num_bytes_downloaded
                return response, b"".join(chunks)
        except httpx.ConnectError as error:
            raise self._connect_failure(error) from error
        except httpx.DecodingError as error:
            raise HqBadResponse(reason="corrupt compressed answer") from error
        except (httpx.TransportError, httpx.InvalidURL) as error:
            raise HqUnreachable(reason=type(error).__name__) from error

    def _connect_failure(self, error: httpx.ConnectError) -> SyncError:
        """A TLS failure against the pin means a changed (or forged) certificate."""
        if self.certificate and _caused_by(error, ssl.SSLCertVerificationError):
            try:
                seen = fingerprint(fetch_certificate(self.address))
            except SyncError:
                return HqUnreachable(reason="TLS")
            if seen != fingerprint(self.certificate):
                return HqCertificateChanged(seen=seen)
        return HqUnreachable(reason=_reason(error))

    def _raise_for(self, response: httpx.Response, content: bytes) -> None:
        status = response.status_code
        if status < 300:
            return
        code = _error_code(content)
        log.info("HQ answered %s (%s)", status, code)
        if status == 401:
            raise HqTokenRefused()
        if status == 403 and code == "device_revoked":
            raise DeviceRevoked()
        if status == 403 and code == "enrolment_refused":
            raise EnrolmentRefused()
        if code == "protocol_unsupported":
            raise ProtocolUnsupported()
        if status == 503 and code == "hq_storage_full":
            raise HqStorageFull()
        if status == 429:
            raise HqBusy()
        if status >= 500 or status == 408:
            raise HqUnreachable(reason=f"HTTP {status}")
        raise HqBadResponse(reason=f"HTTP {status} {code or ''}".strip())


def _error_code(content: bytes) -> str | None:
    try:
        parsed = json.loads(content)
    except ValueError:
        return None
    code = parsed.get("error") if isinstance(parsed, dict) else None
    return code if isinstance(code, str) else None


def _advertised(response: httpx.Response, name: str) -> int | None:
    """A limit HQ advertises in a header, kept within what this version knows is safe."""
    try:
        value = int(response.headers.get(name, ""))
    except ValueError:
        return None
    return min(value, MAX_PUSH_FIELDS) if value >= MAX_PUSH_CHANGES else None


def _int_header(response: httpx.Response, name: str) -> int:
    try:
        value = int(response.headers[name])
    except (KeyError, ValueError) as error:
        raise HqBadResponse(reason=f"missing {name}") from error
    if value < 0:
        raise HqBadResponse(reason=f"negative {name}")
    return value


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _reason(error: Exception) -> str:
    cause = error.__context__ or error
    return getattr(cause, "strerror", None) or type(cause).__name__
