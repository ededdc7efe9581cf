"""What the app accepts as a headquarters address, checked before anything is sent."""

from __future__ import annotations

from urllib.parse import urlsplit

from fieldkit.i18n import N_, _

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
NEEDS_HTTPS = N_("Headquarters must use https://")
NOT_AN_ADDRESS = N_("Enter a web address such as https://hq.example.org")


def hq_url_problem(text: str) -> str | None:
    """What is wrong with a headquarters address (translated), or None if it may be used.

    https:// anywhere; plain http:// only to this computer (a local test server). Empty means
    no headquarters is configured."""
    url = text.strip()
    if not url:
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return _(NOT_AN_ADDRESS)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host or any(ch.isspace() for ch in url):
        return _(NOT_AN_ADDRESS)
    if scheme == "http" and host not in LOOPBACK_HOSTS:
        return _(NEEDS_HTTPS)
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
