"""Compressed bodies: round trips, and hostile bodies refused without expanding them."""

from __future__ import annotations

import gzip

import pytest
import zstandard

from fieldkit.sync import body


@pytest.mark.parametrize("encoding", [body.ZSTD, body.GZIP, body.IDENTITY])
def test_round_trip(encoding: str) -> None:
    data = b'{"changes": []}' * 100
    assert body.decompress(body.compress(data, encoding), encoding) == data


@pytest.mark.parametrize(
    "bomb, encoding",
    [
        (zstandard.ZstdCompressor().compress(b"\0" * (64 << 20)), body.ZSTD),
        (gzip.compress(b"\0" * (64 << 20)), body.GZIP),
    ],
)
def test_a_decompression_bomb_is_refused(bomb: bytes, encoding: str) -> None:
    assert len(bomb) < 200_000
    with pytest.raises(body.BodyError, match="larger than"):
        body.decompress(bomb, encoding)


@pytest.mark.parametrize("encoding", [body.ZSTD, body.GZIP, "br", "x-unknown"])
def test_garbage_is_a_body_error(encoding: str) -> None:
    with pytest.raises(body.BodyError):
        body.decompress(b"\x28\xb5\x2f\xfd garbage", encoding)


def test_truncated_gzip_is_refused() -> None:
    whole = gzip.compress(b"x" * 10_000)
    with pytest.raises(body.BodyError):
        body.decompress(whole[: len(whole) // 2], body.GZIP)


def test_small_bodies_go_uncompressed_and_zstd_is_preferred() -> None:
    assert body.encode(b"{}", "zstd, gzip") == (b"{}", body.IDENTITY)
    big = b"x" * 10_000
    assert body.encode(big, "gzip;q=1, zstd")[1] == body.ZSTD
    assert body.encode(big, "gzip")[1] == body.GZIP
    assert body.encode(big, None) == (big, body.IDENTITY)
