"""UUIDv7 record ids (RFC 9562): time-ordered, so new records sort last and index well."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_last_seq = 0


def new_id() -> str:
    """A new UUIDv7 string, strictly increasing within this process."""
    global _last_ms, _last_seq  # noqa: PLW0603 - process-wide monotonic state
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _last_seq += 1
            if _last_seq >= 1 << 12:  # 12-bit counter exhausted: borrow the next millisecond
                ms += 1
                _last_seq = 0
        else:
            _last_seq = int.from_bytes(os.urandom(2), "big") & 0x3FF
        _last_ms = ms
        seq = _last_seq
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | seq << 64 | 0b10 << 62 | rand
    return str(uuid.UUID(int=value))


def is_valid_id(text: str) -> bool:
    try:
        return uuid.UUID(text).version == 7 and str(uuid.UUID(text)) == text
    except (ValueError, AttributeError, TypeError):
        return False
