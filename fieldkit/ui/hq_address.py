"""Headquarters addresses and fingerprints as the connect form shows them."""

from __future__ import annotations

from fieldkit.errors import UserFacingError
from fieldkit.services.hq_connection import check_hq_address


def hq_url_problem(text: str) -> str | None:
    """What is wrong with a headquarters address (translated), or None if it may be used.

    The rule is the one the sync service applies (https:// anywhere, plain http:// only to
    this computer); empty means no headquarters is configured."""
    if not text.strip():
        return None
    try:
        check_hq_address(text)
    except UserFacingError as error:
        return error.message
    return None


def grouped_fingerprint(fingerprint: str) -> str:
    """A SHA-256 fingerprint (colon-separated hex pairs, as headquarters prints it) on four
    lines of eight pairs, so a person can compare it line by line."""
    if not fingerprint:
        return ""
    pairs = fingerprint.upper().split(":")
    return "\n".join(":".join(pairs[i : i + 8]) for i in range(0, len(pairs), 8))


def hex_only(text: str) -> str:
    """The hex digits of a fingerprint typed or pasted with or without colons and spaces."""
    return "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")
