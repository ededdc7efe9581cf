"""Headquarters addresses and certificate pinning.

A device trusts exactly the certificate it saw at enrolment (and the person compared with the
fingerprint HQ gave them), not the system's certificate authorities: agency networks and
hotel Wi-Fi are where a forged certificate would come from. Plain HTTP is for loopback only.
"""

from __future__ import annotations

import functools
import hashlib
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from fieldkit.errors import HqAddressInsecure, HqAddressInvalid, HqUnreachable
from fieldkit.sync.protocol import is_loopback

CONNECT_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class HqAddress:
    url: str  # normalised: scheme://host:port[/path], no trailing slash
    host: str
    port: int
    tls: bool


def parse_address(text: str) -> HqAddress:
    """The HQ address in `text` (the one rule, for the connect form and the command line).

    An address typed without a scheme means https://. HqAddressInvalid for what is not a web
    address; HqAddressInsecure for http:// to anything but this computer."""
    typed = text.strip()
    if not typed or any(ch.isspace() for ch in typed):
        raise HqAddressInvalid(url=typed)
    parts = urlsplit(typed if "://" in typed else f"https://{typed}")
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise HqAddressInvalid(url=typed)
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as error:
        raise HqAddressInvalid(url=typed) from error
    if scheme == "http" and not is_loopback(parts.hostname):
        raise HqAddressInsecure(url=text)
    host = parts.hostname
    shown_host = f"[{host}]" if ":" in host else host
    path = parts.path.rstrip("/")  # HQ may live under a path behind a reverse proxy
    url = f"{scheme}://{shown_host}:{port}{path}"
    return HqAddress(url, host, port, scheme == "https")


def fetch_certificate(address: HqAddress, timeout: float = CONNECT_TIMEOUT_S) -> str:
    """The PEM certificate the server presents, unverified (to be compared by a person)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((address.host, address.port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=address.host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except OSError as error:
        raise HqUnreachable(reason=error.strerror or type(error).__name__) from error
    if not der:
        raise HqUnreachable(reason="no certificate")
    return ssl.DER_cert_to_PEM_cert(der)


def fingerprint(pem: str) -> str:
    """SHA-256 of the certificate, as colon-separated hex pairs (what `fieldkit-hq` prints)."""
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def same_fingerprint(a: str, b: str) -> bool:
    """Compare fingerprints typed with or without colons, spaces, any case."""

    def clean(text: str) -> str:
        return "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")

    return clean(a) == clean(b) and len(clean(a)) == 64


@functools.lru_cache(maxsize=4)
def pinned_context(pem: str) -> ssl.SSLContext:
    """A TLS context that trusts only `pem`: any other certificate fails the handshake.
    Made once per certificate: every sync round opens a link, and a context is not altered
    after it is made."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_verify_locations(cadata=pem)
    # The pinned certificate itself is the trust anchor, even when a CA issued it.
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    context.check_hostname = False  # the pin is stronger than a name check
    return context


@functools.cache
def system_context() -> ssl.SSLContext:
    """The system's trusted authorities (for an address not yet pinned), loaded once: loading
    them takes tens of milliseconds, which a link per sync round would pay each time."""
    return ssl.create_default_context()
