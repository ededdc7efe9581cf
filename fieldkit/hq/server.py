"""Running HQ under uvicorn, in the foreground (`fieldkit-hq serve`) or on a thread (tests).

Plain HTTP is allowed only on a loopback address: devices send workers' words over this link,
and they refuse http:// to anything else anyway.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from fieldkit.hq.errors import AdminError
from fieldkit.sync.protocol import is_loopback


def check_transport(host: str, tls: tuple[Path, Path] | None) -> None:
    """AdminError unless the server will use TLS or listen on loopback only."""
    if tls is None and not is_loopback(host):
        raise AdminError(
            f"Refusing to serve plain HTTP on {host}: devices send interviews over this link. "
            "Give --tls-cert and --tls-key (make a certificate with 'fieldkit-hq make-cert'), "
            "or listen on 127.0.0.1."
        )
    if tls is not None:
        for path in tls:
            if not path.is_file():
                raise AdminError(f"No TLS file at {path}.")


SHA256 = re.compile(r"[0-9a-fA-F]{64}")
ACCESS_LOGGER = "uvicorn.access"


class RedactHashes(logging.Filter):
    """Blob URLs name a file's SHA-256, which identifies the file to anyone holding a copy:
    the access log shows `/v1/blobs/<sha256>` instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                SHA256.sub("<sha256>", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = SHA256.sub("<sha256>", record.msg)
        return True


def redact_access_log() -> None:
    """Install the filter once on uvicorn's access logger."""
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactHashes) for f in access.filters):
        access.addFilter(RedactHashes())


def build_server(
    app: FastAPI,
    host: str,
    port: int,
    tls: tuple[Path, Path] | None,
    *,
    log_config: dict[str, Any] | None = uvicorn.config.LOGGING_CONFIG,
    access_log: bool = True,
) -> uvicorn.Server:
    """A uvicorn server for `app` (not started: call .run() or run it on a thread)."""
    check_transport(host, tls)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        ssl_certfile=str(tls[0]) if tls else None,
        ssl_keyfile=str(tls[1]) if tls else None,
        lifespan="off",
        log_config=log_config,
        access_log=access_log,
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    redact_access_log()  # after the Config, which applies the logging configuration
    return uvicorn.Server(config)
