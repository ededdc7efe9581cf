"""UUIDv7 record ids (RFC 9562): time-ordered, so new records sort last and index well."""

from __future__ import annotations

import os
import re
import threading
import time

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
    digits = f"{value:032x}"  # str(uuid.UUID(int=value)), without the UUID object
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def new_ids(count: int) -> list[str]:
    """`count` new UUIDv7 strings at once, in increasing order and after every earlier id
    (the same clock and counter as `new_id`, several times faster per id for bulk writes)."""
    global _last_ms, _last_seq
    heads: list[str] = []
    with _lock:
        ms = max(time.time_ns() // 1_000_000, _last_ms)
        seq = _last_seq if ms == _last_ms else int.from_bytes(os.urandom(2), "big") & 0x3FF
        for _ in range(count):
            seq += 1
            if seq >= 1 << 12:  # as in new_id: borrow the next millisecond
                ms += 1
                seq = 0
            heads.append(f"{ms & ((1 << 48) - 1):012x}7{seq:03x}")
        _last_ms, _last_seq = ms, seq
    noise = os.urandom(8 * count).hex()
    ids = []
    for n, head in enumerate(heads):
        tail = noise[16 * n : 16 * n + 16]
        variant = _VARIANT[tail[0]]  # the top two bits of the tail are 10 (RFC 9562)
        ids.append(f"{head[:8]}-{head[8:12]}-{head[12:]}-{variant}{tail[1:4]}-{tail[4:]}")
    return ids


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


# A UUIDv7 as `str(uuid.UUID(...))` writes it: lower case, version 7, the RFC 9562 variant.
_CANONICAL_V7 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def is_valid_id(text: str) -> bool:
    """Whether `text` is a UUIDv7 in its canonical form (a pattern, not uuid.UUID: a pull
    checks every reference of every record it receives)."""
    return isinstance(text, str) and _CANONICAL_V7.fullmatch(text) is not None
