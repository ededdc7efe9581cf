"""One-time enrolment codes and device tokens: made from the system's secure random source,
stored only as SHA-256 digests, and compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # base 32 without I, L, O, U
CODE_CHARS = 20  # 100 bits
GROUP = 4
# What people mistype for Crockford digits; separators are dropped.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def new_code() -> str:
    """A fresh code, shown as five groups of four characters (ABCD-EFGH-...)."""
    raw = "".join(secrets.choice(CROCKFORD) for _ in range(CODE_CHARS))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_CHARS, GROUP))


def normalise_code(text: str) -> str:
    """The code as HQ digests it: upper case, without separators, common misreadings fixed."""
    return text.strip().upper().translate(_READ_AS)


def code_digest(text: str) -> str:
    return digest(normalise_code(text))


def new_token() -> str:
    """A device token: 256 random bits, URL-safe text."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
