"""Best-effort wiping of secrets held in mutable buffers.

Python cannot promise that no copy of a secret survives (immutable `bytes` made along the way
linger until the allocator reuses them), but zeroing the buffers we own shortens the window in
which a memory image of a running or suspended laptop contains a key.
"""

from __future__ import annotations


def wipe(buffer: bytearray) -> None:
    """Overwrite `buffer` with zeros in place (its length is kept)."""
    # Same-length slice assignment copies into the existing storage; it does not reallocate,
    # so the bytes that held the secret are the ones overwritten.
    buffer[:] = bytes(len(buffer))
