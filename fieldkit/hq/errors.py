"""HQ's own errors. `ApiError` is an answer to a device (status, protocol error code, English
detail); `AdminError` is something the HQ admin did or must fix, printed without a traceback.

HQ speaks English only: its admins read logs and this command line, devices translate codes.
"""

from __future__ import annotations

from collections.abc import Mapping

from fieldkit.sync.protocol import ErrorCode


class ApiError(Exception):
    """An answer other than success, as `{"error": code, "message": message}`."""

    def __init__(
        self,
        status: int,
        code: ErrorCode,
        message: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code: ErrorCode = code
        self.message = message
        self.headers = dict(headers or {})


def bad_request(message: str, status: int = 400) -> ApiError:
    return ApiError(status, "bad_request", message)


def too_large(message: str) -> ApiError:
    return ApiError(413, "too_large", message)


def not_found(message: str = "no such blob") -> ApiError:
    return ApiError(404, "not_found", message)


def unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})


class AdminError(Exception):
    """A problem the admin can fix; `fieldkit-hq` prints the message and exits with 2."""


class DatabaseUnavailable(AdminError):
    pass


class UnknownDevice(AdminError):
    pass
