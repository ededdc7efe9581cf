"""TLS certificates for HQ: the fingerprint devices compare at enrolment, and a self-signed
certificate for development, tests and small offices (devices pin it, so no CA is needed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from fieldkit.hq.errors import AdminError

CERT_FILE = "hq-cert.pem"
KEY_FILE = "hq-key.pem"
VALID_DAYS = 5 * 365  # devices pin the certificate: replacing it means reconnecting them all


def fingerprint(cert_path: Path) -> str:
    """SHA-256 of the certificate (DER) as colon-separated hex pairs, as devices show it."""
    try:
        pem = cert_path.read_text("ascii")
        der = ssl.PEM_cert_to_DER_cert(pem)
    except (OSError, ValueError) as error:
        raise AdminError(f"Cannot read a PEM certificate from {cert_path}: {error}") from error
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def make_self_signed(out_dir: Path, hosts: list[str]) -> tuple[Path, Path]:
    """Write a new key and a self-signed certificate for `hosts` (names or IP addresses) into
    `out_dir`; (certificate path, key path). The key file is readable by its owner only."""
    if not hosts:
        raise AdminError("Give at least one --host (a name or an address devices will use).")
    out_dir.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0][:64])])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName([_alt_name(h) for h in hosts]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = out_dir / CERT_FILE, out_dir / KEY_FILE
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_bytes)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def _alt_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)
