"""Passphrase to key-encryption key: Argon2id with parameters stored in the vault header.

The minimums below are a floor that a header read from disk must meet: an attacker who can edit
the header must not be able to make the next unlock derive a cheap, brute-forceable key.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw

from fieldkit.errors import WeakKeyParameters

MIN_MEMORY_KIB = 65536  # 64 MiB
MIN_TIME_COST = 3
DEFAULT_MEMORY_KIB = 131072  # 128 MiB
DEFAULT_TIME_COST = 3
DEFAULT_PARALLELISM = 4

# Upper bounds: a header asking for more than this was altered (someone who can write the disk
# trying to make the next unlock exhaust memory or run for minutes), not "extra strong". At the
# limits one derivation takes about 1 GiB and a few seconds on a field laptop.
MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB
MAX_TIME_COST = 16
MAX_PARALLELISM = 16

SALT_BYTES = 16
KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters and salt for deriving the passphrase key-encryption key."""

    memory_kib: int
    time_cost: int
    parallelism: int
    salt: bytes


def new_kdf_params(
    memory_kib: int = DEFAULT_MEMORY_KIB,
    time_cost: int = DEFAULT_TIME_COST,
    parallelism: int = DEFAULT_PARALLELISM,
) -> KdfParams:
    """Fresh parameters with a new random 16-byte salt; ValueError outside the limits."""
    if memory_kib < MIN_MEMORY_KIB or memory_kib > MAX_MEMORY_KIB:
        raise ValueError(f"memory_kib must be between {MIN_MEMORY_KIB} and {MAX_MEMORY_KIB}")
    if time_cost < MIN_TIME_COST or time_cost > MAX_TIME_COST:
        raise ValueError(f"time_cost must be between {MIN_TIME_COST} and {MAX_TIME_COST}")
    if parallelism < 1 or parallelism > MAX_PARALLELISM:
        raise ValueError(f"parallelism must be between 1 and {MAX_PARALLELISM}")
    return KdfParams(
        memory_kib=memory_kib,
        time_cost=time_cost,
        parallelism=parallelism,
        salt=secrets.token_bytes(SALT_BYTES),
    )


def is_weak(params: KdfParams) -> bool:
    """True if `params` fall below what FieldKit accepts."""
    return (
        params.memory_kib < MIN_MEMORY_KIB
        or params.time_cost < MIN_TIME_COST
        or params.parallelism < 1
        or len(params.salt) < SALT_BYTES
    )


def exceeds_limits(params: KdfParams) -> bool:
    """True if `params` ask for more than any sane header would (damage or a memory bomb)."""
    return (
        params.memory_kib > MAX_MEMORY_KIB
        or params.time_cost > MAX_TIME_COST
        or params.parallelism > MAX_PARALLELISM
    )


def check_params(params: KdfParams, path: Path) -> None:
    """Raise WeakKeyParameters(path=path) if `params` (read from `path`) are below the floor."""
    if is_weak(params):
        raise WeakKeyParameters(path=path)


def derive_key(passphrase: str, params: KdfParams) -> bytearray:
    """Derive the 32-byte key-encryption key from `passphrase` with Argon2id.

    The passphrase is NFC-normalized first so that "ñ" typed as one code point (most keyboards)
    or as "n" + combining tilde (some input methods, copy-paste from macOS) unlocks the same.
    Parameters outside the limits are refused here too (ValueError), as a last line of defence
    for callers that built a KdfParams by hand instead of reading it through check_params.
    """
    if is_weak(params) or exceeds_limits(params):
        raise ValueError("refusing to derive a key with parameters outside the limits")
    # argon2-cffi only takes `bytes`, so this copy cannot be wiped; it is unavoidable here.
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    raw = hash_secret_raw(
        secret=secret,
        salt=params.salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )
    return bytearray(raw)
