"""The recovery key: 160 random bits a person writes down once and may have to type back.

Format: 32 Crockford base32 data characters in 8 groups of 4, each followed by one Luhn mod-32
check character, so `XXXXC-XXXXC-...` (8 groups of 5). The check covers the group's index as
well as its characters, so a typo or a swapped pair of groups is reported with the group
number instead of a vague "wrong key" after a slow decryption attempt.
"""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldkit.errors import RecoveryKeyMalformed, RecoveryKeyTypo

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SECRET_BYTES = 20
GROUPS = 8
DATA_PER_GROUP = 4
GROUP_LENGTH = DATA_PER_GROUP + 1
KEY_LENGTH = GROUPS * GROUP_LENGTH
WRAP_INFO = b"fieldkit/recovery-wrap/v1"

_BASE = len(ALPHABET)
_VALUES = {char: value for value, char in enumerate(ALPHABET)}
# Crockford's decoding aliases: the letters people type for look-alike digits.
_ALIASES = {"O": "0", "I": "1", "L": "1"}
# Separators people type or paste (word processors turn "-" into dashes); all are ignored.
_SEPARATORS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2212")


def format_recovery_key(secret: bytes) -> str:
    """Encode 20 secret bytes as the printed form `XXXXC-XXXXC-...` (8 groups of 5)."""
    if len(secret) != SECRET_BYTES:
        raise ValueError(f"a recovery secret is {SECRET_BYTES} bytes")
    number = int.from_bytes(secret, "big")
    total = GROUPS * DATA_PER_GROUP
    # Most significant 5 bits first, so the text reads in the same order as the bytes.
    data = "".join(ALPHABET[(number >> (5 * (total - 1 - i))) & 0x1F] for i in range(total))
    groups = []
    for index in range(1, GROUPS + 1):
        chunk = data[(index - 1) * DATA_PER_GROUP : index * DATA_PER_GROUP]
        groups.append(chunk + _check_character(index, chunk))
    return "-".join(groups)


def generate_recovery_key() -> str:
    """A new random recovery key in printed form (shown to the user once, never stored)."""
    return format_recovery_key(secrets.token_bytes(SECRET_BYTES))


def parse_recovery_key(text: str) -> bytes:
    """Return the 20 secret bytes of a typed recovery key.

    Case, spaces, dashes and line breaks are ignored; O reads as 0 and I/L as 1. Raises
    RecoveryKeyMalformed if it is not 40 alphabet characters, RecoveryKeyTypo naming the first
    group whose check character does not match.
    """
    cleaned = _clean(text)
    if len(cleaned) != KEY_LENGTH or any(char not in _VALUES for char in cleaned):
        raise RecoveryKeyMalformed(groups=len(cleaned) // GROUP_LENGTH)
    data = []
    for index in range(1, GROUPS + 1):
        group = cleaned[(index - 1) * GROUP_LENGTH : index * GROUP_LENGTH]
        chunk, check = group[:DATA_PER_GROUP], group[DATA_PER_GROUP]
        if _check_character(index, chunk) != check:
            raise RecoveryKeyTypo(group=index)
        data.append(chunk)
    number = 0
    for char in "".join(data):
        number = (number << 5) | _VALUES[char]
    return number.to_bytes(SECRET_BYTES, "big")


def recovery_wrap_key(secret: bytes, salt: bytes) -> bytearray:
    """The 32-byte key that wraps the data key for recovery: HKDF-SHA256 of the secret.

    The secret is 160 uniformly random bits, so a slow password hash would add nothing.
    """
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=WRAP_INFO)
    return bytearray(hkdf.derive(secret))


def _clean(text: str) -> str:
    """Drop separators and whitespace, upper-case ASCII, apply Crockford aliases."""
    out = []
    for char in text:
        if char.isspace() or char in _SEPARATORS:
            continue
        # Only ASCII is upper-cased: str.upper() would turn "ß" into "SS" (two valid
        # characters) and "ı" into "I", silently accepting text nobody was shown.
        upper = char.upper() if char.isascii() else char
        out.append(_ALIASES.get(upper, upper))
    return "".join(out)


def _check_character(index: int, chunk: str) -> str:
    """Luhn mod-32 check character over the group index followed by the group's characters.

    Doubling every second value (from the right) and folding the result back into base 32 is
    a permutation of 0..31, so every single substitution changes the sum; the alternation
    catches most adjacent transpositions; the index makes the same group elsewhere differ.
    """
    values = [index, *(_VALUES[char] for char in chunk)]
    total = 0
    factor = 2
    for value in reversed(values):
        addend = factor * value
        total += addend // _BASE + addend % _BASE
        factor = 3 - factor
    return ALPHABET[(_BASE - total % _BASE) % _BASE]
