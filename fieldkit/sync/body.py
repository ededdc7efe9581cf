"""Message bodies on the wire: JSON, compressed with zstd (or gzip), with a hard size limit on
decompression so a hostile peer cannot send a small body that expands without end."""

from __future__ import annotations

import gzip
import io
import zlib

import zstandard

from fieldkit.sync.protocol import MAX_BODY_BYTES

ZSTD = "zstd"
GZIP = "gzip"
IDENTITY = "identity"
ENCODINGS = (ZSTD, GZIP, IDENTITY)
COMPRESS_ABOVE = 512  # bytes; smaller bodies go as they are
ZSTD_LEVEL = 3  # zstd's default: a batch of 2,000 changes in under 1 ms (level 6: 3 ms)


class BodyError(ValueError):
    """A body that cannot be decoded: unknown encoding, corrupt, or over the size limit."""


class BodyTooLarge(BodyError):
    """A body that expands past the size limit (refused before it is fully expanded)."""


def compress(data: bytes, encoding: str) -> bytes:
    if encoding == ZSTD:
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(data)
    if encoding == GZIP:
        return gzip.compress(data, compresslevel=6, mtime=0)
    if encoding == IDENTITY:
        return data
    raise BodyError(f"unsupported content encoding {encoding!r}")


def decompress(data: bytes, encoding: str | None, limit: int = MAX_BODY_BYTES) -> bytes:
    """The decoded body, or BodyError; never more than `limit` bytes are produced."""
    encoding = (encoding or IDENTITY).strip().lower()
    try:
        if encoding == IDENTITY:
            out = data
        elif encoding == ZSTD:
            reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data))
            out = reader.read(limit + 1)
        elif encoding == GZIP:
            inflater = zlib.decompressobj(wbits=31)
            out = inflater.decompress(data, limit + 1)
            if not inflater.eof and len(out) <= limit:
                raise BodyError("truncated gzip body")
        else:
            raise BodyError(f"unsupported content encoding {encoding!r}")
    except (zstandard.ZstdError, zlib.error, EOFError) as error:
        raise BodyError(f"corrupt {encoding} body") from error
    if len(out) > limit:
        raise BodyTooLarge(f"body larger than {limit} bytes")
    return out


def preferred_encoding(accept_encoding: str | None) -> str:
    """The best encoding a peer's Accept-Encoding header allows (zstd, then gzip)."""
    offered = {part.split(";")[0].strip().lower() for part in (accept_encoding or "").split(",")}
    for encoding in (ZSTD, GZIP):
        if encoding in offered:
            return encoding
    return IDENTITY


def encode(data: bytes, accept_encoding: str | None) -> tuple[bytes, str]:
    """Compress `data` for a peer that accepts `accept_encoding`: (body, Content-Encoding)."""
    encoding = preferred_encoding(accept_encoding) if len(data) > COMPRESS_ABOVE else IDENTITY
    return compress(data, encoding), encoding
