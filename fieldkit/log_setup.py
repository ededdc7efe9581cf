"""Logging to a rotating file in the platform log dir.

Log lines name actions, kinds, ids and error types; never a field's contents, a passphrase,
a key or a token (tests/test_no_plaintext_leaks.py checks the file for a canary).
"""

from __future__ import annotations

import logging
import logging.handlers
import os

from fieldkit.paths import log_dir

LOG_FILE = "fieldkit.log"
# httpx logs every request's URL at INFO, and an attachment's URL names its SHA-256: a hash
# that identifies the file to anyone holding a copy. These libraries log at WARNING or above.
HTTP_LOGGERS = ("httpx", "httpcore")


def quiet_http_loggers() -> None:
    for name in HTTP_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure_logging(level: int = logging.INFO) -> None:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = logging.handlers.RotatingFileHandler(
        folder / LOG_FILE, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    quiet_http_loggers()
    os.chmod(folder / LOG_FILE, 0o600)
