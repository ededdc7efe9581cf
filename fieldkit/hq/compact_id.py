"""Record ids and nodes stored in 16 bytes instead of 36 characters.

Every record id a device makes is a UUID, and so is every vault's node: HQ keeps them as the
UUID's 16 bytes (as text they took 36, in each row and in each index holding them). The
protocol allows other ids (letters, digits, `-` and `_`: HQ's tests name nodes that way),
so any id that is not a UUID in its canonical lower-case form is kept as its text behind a
zero byte, padded so it never takes 16 bytes: the two forms cannot be mistaken for each other,
and every id reads back exactly as it was written. A UUID's bytes sort as its text does.

The format is part of the database (migration 0008 wrote it into existing rows): do not change it.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from sqlalchemy import Dialect, LargeBinary
from sqlalchemy.types import TypeDecorator

UUID_BYTES = 16
_MARK = b"\x00"  # begins every id that is not a UUID; no protocol id contains a zero byte
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@functools.lru_cache(maxsize=1 << 14)
def pack_id(text: str) -> bytes:
    """The stored form of the id `text`. Remembered for the last 16,384 ids (~4 MB): a push
    binds each record id about six times (looked up, inserted, its attachments sought) and
    its node thousands of times."""
    if len(text) == 36 and _CANONICAL_UUID.fullmatch(text):
        return bytes.fromhex(text.replace("-", ""))
    packed = _MARK + text.encode()
    return packed + _MARK if len(packed) == UUID_BYTES else packed


def unpack_id(data: bytes) -> str:
    """The id whose stored form is `data`."""
    if len(data) == UUID_BYTES:
        digits = data.hex()
        return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"
    return bytes(data[1:]).rstrip(_MARK).decode()


class CompactId(TypeDecorator[str]):
    """A column holding a record id or a node, read and written as text (`pack_id`)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        return None if value is None else pack_id(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else unpack_id(value)
