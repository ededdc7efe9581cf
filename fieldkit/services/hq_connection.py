"""Connecting a vault to headquarters: the certificate a person compares, the enrolment code
exchanged for a device token, and where that token is kept.

The token goes to the OS keyring where a secure one exists, else inside the encrypted vault;
the pinned certificate, address, server id and device id are vault settings (not secret, but
they travel with the data).
"""

from __future__ import annotations

import base64
import binascii
import logging
import socket
from dataclasses import dataclass

from fieldkit.crypto.device_secret import SecretStore
from fieldkit.domain.sync_state import SyncState
from fieldkit.errors import FingerprintMismatch, KeyringUnavailable, NotConnected, SyncError
from fieldkit.store.audit import AuditAction
from fieldkit.store.store import Store
from fieldkit.sync.pinning import (
    HqAddress,
    fetch_certificate,
    fingerprint,
    parse_address,
    same_fingerprint,
)
from fieldkit.sync.protocol import ATTACHE_ROLE, REVIEWER_ROLE, Directory, EnrolRequest
from fieldkit.sync.transport import HqLink

TOKEN_SERVICE = "FieldKit headquarters"
URL = "setting:hq_url"  # shared with Settings, which shows the address
CERTIFICATE = "sync:certificate"
SERVER_ID = "sync:server_id"
DEVICE_ID = "sync:device_id"
DEVICE_NAME = "sync:device_name"
TOKEN_IN_VAULT = "sync:token"  # only where no secure keyring exists
STATE = "sync:state"  # a SyncState value
ROLE = "sync:role"  # this device's role at HQ: "attache" or "reviewer"
DIRECTORY = "sync:directory"  # a reviewer's copy of HQ's directory (JSON protocol.Directory)
TOKEN_BYTES = 32
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CertificatePreview:
    """What HQ presented, for a person to compare with the fingerprint HQ gave them."""

    address: HqAddress
    certificate: str | None  # PEM; None over plain HTTP on loopback
    fingerprint: str | None


@dataclass(frozen=True)
class HqConnection:
    url: str
    server_id: str
    device_id: str
    device_name: str
    fingerprint: str | None
    token_place: str  # "keyring" or "vault"
    role: str = ATTACHE_ROLE  # "reviewer": HQ sends this device its posts' unshared interviews

    @property
    def reviewer(self) -> bool:
        return self.role == REVIEWER_ROLE


def stored_role(store: Store) -> str:
    """This vault's role at headquarters as HQ's last answer named it: an attaché until the
    vault is connected."""
    if not store.get_meta(SERVER_ID) or not store.get_meta(URL):
        return ATTACHE_ROLE
    return store.get_meta(ROLE) or ATTACHE_ROLE


def stored_directory(store: Store) -> Directory:
    """HQ's directory as this vault last fetched it (empty before a reviewer's first sync)."""
    saved = store.get_meta(DIRECTORY)
    return Directory.model_validate_json(saved) if saved else Directory()


def check_hq_address(text: str) -> str:
    """The normalised headquarters address in `text`, or HqAddressInvalid/HqAddressInsecure:
    the same rule the connect form shows and the sync client enforces."""
    return parse_address(text).url


class HqConnections:
    """This vault's link to headquarters."""

    def __init__(self, store: Store, vault_id: str, secrets: SecretStore) -> None:
        self._store = store
        self._vault_id = vault_id
        self._secrets = TokenKeyring(secrets, vault_id)

    def saved_address(self) -> str | None:
        return self._store.get_meta(URL)

    def preview(self, url: str) -> CertificatePreview:
        """Step one: fetch the certificate HQ presents (nothing is sent)."""
        address = parse_address(url)
        if not address.tls:
            return CertificatePreview(address, None, None)
        pem = fetch_certificate(address)
        return CertificatePreview(address, pem, fingerprint(pem))

    def connect(
        self, preview: CertificatePreview, code: str, *, expected_fingerprint: str | None = None
    ) -> HqConnection:
        """Step two, after the person compared the fingerprint: enrol with the code."""
        if expected_fingerprint and not same_fingerprint(
            expected_fingerprint, preview.fingerprint or ""
        ):
            raise FingerprintMismatch(seen=preview.fingerprint, expected=expected_fingerprint)
        with HqLink(preview.address, certificate=preview.certificate) as link:
            server_id = link.health().server_id
        # Enrolling again with the same HQ: this vault's current token proves it is the
        # device holding its node, so HQ lets the new device keep the vault's records.
        previous = self._token() if self._store.get_meta(SERVER_ID) == server_id else None
        request = EnrolRequest(
            code=code.strip().upper(),
            node=self._store.device_id,
            label=(socket.gethostname() or "FieldKit")[:100],
        )
        with HqLink(preview.address, certificate=preview.certificate, token=previous) as link:
            answer = link.enrol(request)
        changed_server = self._store.get_meta(SERVER_ID) not in (None, answer.server_id)
        place = self._keep_token(answer.token)
        with self._store.transaction():
            if changed_server:  # a new HQ must receive everything, from the start
                self._store.sync.start_over(meta_prefix="sync:", keep_meta=TOKEN_IN_VAULT)
            settings = {
                URL: preview.address.url,
                CERTIFICATE: preview.certificate or "",
                SERVER_ID: answer.server_id,
                DEVICE_ID: answer.device_id,
                DEVICE_NAME: answer.device_name,
                STATE: SyncState.CONNECTED.value,
                ROLE: link.role or ATTACHE_ROLE,
            }
            for key, value in settings.items():
                self._store.set_meta(key, value)
            self._store.audit(AuditAction.HQ_CONNECTED, detail=answer.device_id)
        self._learn_keys(preview, answer.token, answer.server_id, answer.device_id)
        return HqConnection(
            preview.address.url,
            answer.server_id,
            answer.device_id,
            answer.device_name,
            preview.fingerprint,
            place,
            link.role or ATTACHE_ROLE,
        )

    def _learn_keys(
        self, preview: CertificatePreview, token: str, server_id: str, device_id: str
    ) -> None:
        """HQ's signing key, pinned now over the channel whose certificate was just
        compared (devices enrolled before learn it on their first sync)."""
        from fieldkit.services.device_orders import fetch_orders  # noqa: PLC0415 - a cycle

        try:
            with HqLink(preview.address, certificate=preview.certificate, token=token) as link:
                fetch_orders(self._store, link, server_id, device_id)
        except SyncError as error:
            log.info("HQ's keys not learnt at enrolment: %s", type(error).__name__)

    def current(self) -> HqConnection | None:
        server_id = self._store.get_meta(SERVER_ID)
        url = self._store.get_meta(URL)
        if not server_id or not url:
            return None
        pem = self._store.get_meta(CERTIFICATE) or None
        return HqConnection(
            url,
            server_id,
            self._store.get_meta(DEVICE_ID) or "",
            self._store.get_meta(DEVICE_NAME) or "",
            fingerprint(pem) if pem else None,
            "vault" if self._store.get_meta(TOKEN_IN_VAULT) else "keyring",
            stored_role(self._store),
        )

    def remember_directory(self, directory: Directory) -> None:
        """Keep HQ's directory (who holds each node) for the reviewer's lists and reports."""
        with self._store.transaction():
            self._store.set_meta(DIRECTORY, directory.model_dump_json())

    def directory(self) -> Directory:
        """The directory as last fetched (empty before a reviewer's first sync)."""
        return stored_directory(self._store)

    def remember_role(self, role: str | None) -> None:
        """Keep the role HQ's last answer named (it changes when the admin changes it)."""
        if role in (ATTACHE_ROLE, REVIEWER_ROLE) and self._store.get_meta(ROLE) != role:
            with self._store.transaction():
                self._store.set_meta(ROLE, role)

    def open_link(self) -> tuple[HqLink, str]:
        """A link to the connected HQ with this device's token, and HQ's server id."""
        connection = self.current()
        token = None if connection is None else self._token()  # no keyring for no HQ
        if connection is None or token is None:
            raise NotConnected()
        pem = self._store.get_meta(CERTIFICATE) or None
        return HqLink(parse_address(connection.url), token=token, certificate=pem), (
            connection.server_id
        )

    def token_and_device(self) -> tuple[str | None, str | None]:
        """This vault's device token and HQ device id (to check a lease code)."""
        return self._token(), self._store.get_meta(DEVICE_ID)

    def forget_token(self) -> None:
        """Delete this vault's device token from the keyring (a wipe)."""
        self._secrets.delete()

    # --- the token ----------------------------------------------------------------------------

    def _keep_token(self, token: str) -> str:
        try:
            self._secrets.save(token)
        except KeyringUnavailable:
            self._store.set_meta(TOKEN_IN_VAULT, token)
            return "vault"
        self._store.set_meta(TOKEN_IN_VAULT, "")
        return "keyring"

    def _token(self) -> str | None:
        return self._store.get_meta(TOKEN_IN_VAULT) or self._secrets.load()


class TokenKeyring:
    """The device token in the OS keyring (tokens are 32 random bytes, base64url-encoded)."""

    def __init__(self, secrets: SecretStore, vault_id: str) -> None:
        self._secrets = secrets
        self._vault_id = vault_id

    def save(self, token: str) -> None:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError) as error:
            raise KeyringUnavailable() from error
        if len(raw) != TOKEN_BYTES or not self._secrets.available():
            raise KeyringUnavailable()
        self._secrets.save(self._vault_id, raw)

    def delete(self) -> None:
        if self._secrets.available():
            self._secrets.delete(self._vault_id)

    def load(self) -> str | None:
        raw = self._secrets.load(self._vault_id)
        return base64.urlsafe_b64encode(raw).decode().rstrip("=") if raw else None
