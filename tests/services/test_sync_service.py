"""SyncService as the app and the command line use it: real encrypted vaults, a real HQ on
loopback (plain HTTP, or TLS with a self-signed certificate), and small stand-in servers for
what a field network answers instead (a hotel login page, a broken proxy, an impostor)."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import pytest

from fieldkit.crypto.device_secret import KeyringSecretStore
from fieldkit.domain.records import Facility, Visit
from fieldkit.errors import (
    DeviceRevoked,
    EnrolmentRefused,
    FingerprintMismatch,
    HqBadResponse,
    HqCertificateChanged,
    HqNotFieldKit,
    NotConnected,
)
from fieldkit.hq import certs, devices
from fieldkit.services.hq_connection import (
    TOKEN_IN_VAULT,
    TOKEN_SERVICE,
    HqConnection,
    TokenKeyring,
)
from fieldkit.services.vault import Vault, create_vault, unlock_vault
from fieldkit.store.audit import AuditAction
from fieldkit.sync.engine import CURSOR
from tests.conftest import PASSPHRASE, fast_kdf
from tests.hq_server import HOST, RunningHQ, running_hq
from tests.keyrings import MemoryKeyring

PORTAL_PAGE = b"<html>Login to Hotel Wi-Fi</html>"


# --- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Vault]:
    """A second attaché's vault."""
    opened, _recovery = create_vault(tmp_path / "b", PASSPHRASE, kdf=fast_kdf())
    yield opened
    opened.lock()


def connect(vault: Vault, hq: RunningHQ, name: str, fingerprint: str | None = None) -> HqConnection:
    preview = vault.sync.preview(hq.url)
    return vault.sync.connect(preview, hq.enroll(name), expected_fingerprint=fingerprint)


def self_signed(folder: Path) -> tuple[Path, Path]:
    return certs.make_self_signed(folder, ["127.0.0.1"])


def meta(vault: Vault) -> dict[str, str]:
    with vault.store._reading() as db:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())


def facility_names(vault: Vault) -> set[str]:
    return {f.name for f in vault.records.list(Facility)}


def last_seen(hq: RunningHQ, device_id: str) -> int | None:
    return devices.find_device_by_id(hq.storage, device_id).last_seen_at


class StandIn(http.server.BaseHTTPRequestHandler):
    """Answers every request with `answer(path)`: (status, headers, body)."""

    requests: ClassVar[list[str]]

    def answer(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        raise NotImplementedError

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)  # read it all, so the client never sees a reset
        self.requests.append(f"{self.command} {self.path}")
        status, headers, content = self.answer(self.command, self.path)
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(content))}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    do_GET = do_POST = do_HEAD = do_PATCH = _handle

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(handler: type[StandIn], port: int) -> Iterator[type[StandIn]]:
    """`handler` on loopback at `port` (where an HQ was a moment ago)."""
    handler.requests = []
    server = http.server.ThreadingHTTPServer((HOST, port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class RecordingTlsServer:
    """A TLS server with its own certificate that records every byte a client sends after a
    completed handshake: the device's token must never reach it."""

    def __init__(self, port: int, tls: tuple[Path, Path]) -> None:
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(*tls)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((HOST, port))
        self._listener.listen()
        self._listener.settimeout(0.05)
        self.connections = 0
        self.failed_handshakes = 0
        self.received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                raw, _address = self._listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            raw.settimeout(2)
            try:
                with self._context.wrap_socket(raw, server_side=True) as tls:
                    while chunk := tls.recv(4096):
                        self.received += chunk
            except ssl.SSLError:
                self.failed_handshakes += 1
            except OSError:
                pass  # the client hung up after the handshake

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()


# --- connecting and syncing --------------------------------------------------------------------


def test_connect_sync_status_and_log(vault: Vault, other: Vault, hq: RunningHQ) -> None:
    assert vault.sync.connection() is None
    assert vault.sync.status().state == "not_connected" and not vault.sync.online()
    with pytest.raises(NotConnected):
        vault.sync.sync_now()

    connection = connect(vault, hq, "Ana Pérez")
    assert connection.url == hq.url and connection.server_id == hq.server_id
    assert connection.device_name == "Ana Pérez" and connection.fingerprint is None
    assert vault.sync.connection() == connection
    status = vault.sync.status()
    assert status.state == "connected" and status.last_synced is None and not status.stopped
    assert vault.sync.online()
    assert any(e.action == AuditAction.HQ_CONNECTED for e in vault.store.recent_audit())

    vault.records.create(Facility(name="Autopartes del Norte"))
    unsent = vault.sync.status().unsent
    assert unsent > 0
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    progress: list[str] = []
    report = vault.sync.sync_now(on_progress=lambda p: progress.append(p.phase))
    assert report.pushed == unsent and report.requests == 3  # health, HQ's orders, one sync
    assert "push" in progress
    status = vault.sync.status()
    assert status.state == "ok" and status.unsent == 0 and status.conflicts == 0
    assert status.last_synced is not None and status.last_synced >= before
    latest, first = vault.sync.log()
    assert first.outcome == "not_connected" and isinstance(first.error, NotConnected)
    assert latest.outcome == "ok" and latest.error is None
    assert (latest.pushed, latest.pulled, latest.requests) == (unsent, 0, 3)
    assert latest.finished_at is not None and latest.finished_at >= latest.started_at
    assert last_seen(hq, connection.device_id) is not None

    connect(other, hq, "Luis Ortega")
    received = other.sync.sync_now()
    assert received.pulled > 0 and facility_names(other) == {"Autopartes del Norte"}
    assert other.sync.status().state == "ok"
    assert other.sync.log()[0].pulled == received.pulled


@pytest.mark.parametrize("keyring_kind", ["none", "secure"])
def test_where_the_token_is_kept(
    keyring_kind: str,
    vault: Vault,
    vault_dir: Path,
    hq: RunningHQ,
    request: pytest.FixtureRequest,
) -> None:
    secure: MemoryKeyring | None = None
    if keyring_kind == "secure":
        secure = request.getfixturevalue("memory_keyring")
    connection = connect(vault, hq, "Ana")
    settings = meta(vault)
    if secure is None:
        assert connection.token_place == "vault"
        assert len(settings[TOKEN_IN_VAULT]) >= 40
    else:
        assert connection.token_place == "keyring"
        assert settings.get(TOKEN_IN_VAULT, "") == ""
        assert secure.items[TOKEN_SERVICE, vault.vault_id]
        token = TokenKeyring(KeyringSecretStore(TOKEN_SERVICE), vault.vault_id).load()
        assert token and not any(token in value for value in settings.values())

    # It survives locking: a reopened vault still syncs with it.
    vault.records.create(Facility(name="Planta"))
    vault.lock()
    reopened = unlock_vault(vault_dir, PASSPHRASE)
    try:
        assert reopened.sync.connection() == connection
        assert reopened.sync.sync_now().pushed > 0
        assert reopened.sync.status().state == "ok"
    finally:
        reopened.lock()


# --- TLS: the pinned certificate ------------------------------------------------------------------


def test_pinned_certificate_from_enrolment_to_an_impostor(vault: Vault, tmp_path: Path) -> None:
    tls = self_signed(tmp_path / "tls")
    with running_hq(tmp_path / "hq", tls=tls) as hq:
        preview = vault.sync.preview(hq.url)
        assert preview.fingerprint == certs.fingerprint(tls[0])
        assert preview.certificate and "BEGIN CERTIFICATE" in preview.certificate

        # A fingerprint that is not the one HQ presents: nothing is sent, nothing kept.
        code = hq.enroll("Ana")
        wrong = certs.fingerprint(self_signed(tmp_path / "other")[0])
        with pytest.raises(FingerprintMismatch) as refused:
            vault.sync.connect(preview, code, expected_fingerprint=wrong)
        assert refused.value.params == {"seen": preview.fingerprint, "expected": wrong}
        assert vault.sync.connection() is None
        assert vault.sync.status().state == "not_connected"
        assert devices.list_devices(hq.storage) == []

        # The right one, typed without colons in lower case; the same code still works.
        typed = preview.fingerprint.replace(":", "").lower()
        connection = vault.sync.connect(preview, code, expected_fingerprint=typed)
        assert connection.fingerprint == preview.fingerprint
        assert vault.sync.connection() == connection
        vault.records.create(Facility(name="Planta"))
        assert vault.sync.sync_now().pushed > 0 and vault.sync.status().state == "ok"
        seen_before = last_seen(hq, connection.device_id)
        assert seen_before is not None
        vault.records.create(Facility(name="After the swap"))
        unsent = vault.sync.status().unsent

        # The same server, same port and data, restarted with another certificate.
        new_tls = self_signed(tmp_path / "tls-new")
        hq.stop()
        hq.tls = new_tls
        hq.start()
        # The probe the app runs before every round already tells (and stops syncing): a
        # changed certificate is not "offline".
        with pytest.raises(HqCertificateChanged) as probed:
            vault.sync.online()
        assert probed.value.params["seen"] == certs.fingerprint(new_tls[0])
        status = vault.sync.status()
        assert status.state == "certificate_changed" and status.stopped
        with pytest.raises(HqCertificateChanged):
            vault.sync.sync_now()
        status = vault.sync.status()
        assert status.state == "certificate_changed" and status.stopped
        assert status.unsent == unsent
        entries = vault.sync.log()
        assert [e.outcome for e in entries[:2]] == ["certificate_changed"] * 2
        assert all(isinstance(e.error, HqCertificateChanged) for e in entries[:2])
        assert certs.fingerprint(new_tls[0]) in entries[0].error.message  # type: ignore[union-attr]
        assert last_seen(hq, connection.device_id) == seen_before  # no request reached HQ
        port = hq.port
        hq.stop()

        # An impostor that records what it receives: handshakes, and not one byte after.
        impostor = RecordingTlsServer(port, new_tls)
        try:
            with pytest.raises(HqCertificateChanged):
                vault.sync.sync_now()
        finally:
            impostor.close()
        assert impostor.connections >= 1 and impostor.failed_handshakes >= 1
        assert bytes(impostor.received) == b""
        assert vault.sync.status().state == "certificate_changed"

        # HQ confirms it replaced the certificate: connecting again pins the new one, keeps
        # the cursor (same HQ) and sends what waited.
        hq.start()
        preview = vault.sync.preview(hq.url)
        again = vault.sync.connect(
            preview, hq.enroll("Ana"), expected_fingerprint=certs.fingerprint(new_tls[0])
        )
        assert again.fingerprint == certs.fingerprint(new_tls[0])
        assert again.server_id == connection.server_id
        assert vault.sync.status().state == "connected" and vault.sync.online()
        assert vault.sync.sync_now().pushed == unsent
        assert vault.sync.status().state == "ok"


# --- networks that answer, but not as HQ ---------------------------------------------------


PORTAL_ANSWERS: dict[str, tuple[int, dict[str, str], bytes]] = {
    "login page": (200, {"Content-Type": "text/html"}, PORTAL_PAGE),
    "redirect": (302, {"Location": "http://portal.hotel.example/login"}, b""),
    # A network that wants its own login first: not HQ refusing this device's token.
    "unauthorized": (401, {"Content-Type": "text/html", "WWW-Authenticate": "Basic"}, PORTAL_PAGE),
}


class Portal(StandIn):
    mode: ClassVar[str] = "login page"

    def answer(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        return PORTAL_ANSWERS[self.mode]


def test_a_captive_portal_is_offline_and_keeps_changes(vault: Vault, hq: RunningHQ) -> None:
    connect(vault, hq, "Ana")
    vault.sync.sync_now()
    vault.records.create(Facility(name="Written in the hotel"))
    unsent = vault.sync.status().unsent
    hq.stop()
    for mode in PORTAL_ANSWERS:
        Portal.mode = mode
        with serving(Portal, hq.port) as portal:
            assert not vault.sync.online(), mode
            with pytest.raises(HqNotFieldKit):
                vault.sync.sync_now()
            assert portal.requests and all(r == "GET /v1/health" for r in portal.requests)
        status = vault.sync.status()
        assert status.state == "offline" and not status.stopped and status.unsent == unsent
        assert isinstance(vault.sync.log()[0].error, HqNotFieldKit)
    # Back on a real network, the change goes.
    hq.start()
    assert vault.sync.online()
    assert vault.sync.sync_now().pushed == unsent
    assert vault.sync.status().state == "ok"


class Broken(StandIn):
    """A valid health answer for the enrolled HQ, then garbage for a sync."""

    server_id: ClassVar[str]
    sync_answer: ClassVar[tuple[dict[str, str], bytes]]

    def answer(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        json_type = {"Content-Type": "application/json"}
        if path == "/v1/health":
            health = {
                "service": "fieldkit-hq",
                "protocol": 1,
                "server_id": self.server_id,
                "server_time": int(time.time() * 1000),
            }
            return 200, json_type, json.dumps(health).encode()
        headers, content = self.sync_answer
        return 200, {**json_type, **headers}, content


@pytest.mark.parametrize(
    "sync_answer",
    [
        ({}, b'{"nonsense": true}'),
        ({}, b'{"batch": "01J9Z8X7W6V5T4S3R2Q1P0N9M8", "cursor": 12, "changes": [{"ki'),
        ({"Content-Encoding": "zstd"}, b"not zstd at all"),
    ],
    ids=["nonsense", "truncated", "bad-encoding"],
)
def test_garbage_from_sync_changes_nothing(
    sync_answer: tuple[dict[str, str], bytes], vault: Vault, hq: RunningHQ
) -> None:
    connect(vault, hq, "Ana")
    vault.records.create(Facility(name="Synced before"))
    vault.sync.sync_now()
    vault.records.create(Facility(name="Waiting"))
    unsent = vault.sync.status().unsent
    cursor = meta(vault)[CURSOR]
    hq.stop()
    Broken.server_id, Broken.sync_answer = hq.server_id, sync_answer
    with serving(Broken, hq.port) as broken:
        assert vault.sync.online()
        with pytest.raises(HqBadResponse):
            vault.sync.sync_now()
        assert "POST /v1/sync" in broken.requests
    status = vault.sync.status()
    assert status.state == "failed" and not status.stopped
    assert status.unsent == unsent and status.conflicts == 0
    assert facility_names(vault) == {"Synced before", "Waiting"}
    assert meta(vault)[CURSOR] == cursor
    assert isinstance(vault.sync.log()[0].error, HqBadResponse)
    hq.start()
    assert vault.sync.sync_now().pushed == unsent


def test_a_revoked_device_stops(vault: Vault, hq: RunningHQ) -> None:
    connection = connect(vault, hq, "Ana")
    vault.sync.sync_now()
    hq.revoke(connection.device_id)
    vault.records.create(Facility(name="After revocation"))
    unsent = vault.sync.status().unsent
    with pytest.raises(DeviceRevoked):
        vault.sync.sync_now()
    status = vault.sync.status()
    assert status.state == "revoked" and status.stopped and status.unsent == unsent
    entry = vault.sync.log()[0]
    assert entry.outcome == "revoked" and isinstance(entry.error, DeviceRevoked)
    assert facility_names(vault) == {"After revocation"}  # records stay in the vault

    # A plain code cannot give the revoked device's node to a new device: only a code made
    # to replace the revoked device can, and then what waited goes.
    with pytest.raises(EnrolmentRefused):
        connect(vault, hq, "Ana (again)")
    preview = vault.sync.preview(hq.url)
    again = vault.sync.connect(preview, hq.enroll("Ana (again)", replaces=connection.device_id))
    assert again.device_id != connection.device_id
    assert vault.sync.status().state == "connected"
    assert vault.sync.sync_now().pushed == unsent
    assert vault.sync.status().state == "ok"


def test_a_different_hq_receives_everything(
    vault: Vault, other: Vault, hq: RunningHQ, tmp_path: Path
) -> None:
    first = connect(vault, hq, "Ana")
    for name in ("Planta Norte", "Planta Sur"):
        vault.records.create(Facility(name=name))
    vault.sync.sync_now()
    vault.records.create(Facility(name="Planta Centro"))
    vault.sync.sync_now()
    assert vault.sync.status().unsent == 0 and CURSOR in meta(vault)
    everything = sum(len(e.changes) for e in vault.store.journal_entries())  # fields

    with running_hq(tmp_path / "hq2") as new_hq:
        second = connect(vault, new_hq, "Ana")
        assert second.server_id != first.server_id and second.server_id == new_hq.server_id
        status = vault.sync.status()
        assert status.state == "connected" and status.last_synced is None
        assert status.unsent == everything and CURSOR not in meta(vault)
        assert vault.sync.sync_now().pushed == everything

        connect(other, new_hq, "Luis")
        other.sync.sync_now()
        assert facility_names(other) == {"Planta Norte", "Planta Sur", "Planta Centro"}
        # The old HQ is not contacted any more.
        assert vault.sync.connection() == second


# --- conflicts ------------------------------------------------------------------------------------


def test_conflicting_findings_resolved_on_one_vault_reach_the_other(
    vault: Vault, other: Vault, hq: RunningHQ
) -> None:
    ana, luis = vault, other
    connect(ana, hq, "Ana")
    connect(luis, hq, "Luis")
    plant = ana.records.create(Facility(name="Autopartes del Norte"))
    visit = ana.records.create(
        Visit(facility_id=plant.id, start_date=dt.date(2026, 11, 3), findings="Draft.")
    )
    ana.sync.sync_now()
    luis.sync.sync_now()
    ana.records.update_from("visit", visit.id, {"findings": "Ana: wages paid late."})
    luis.records.update_from("visit", visit.id, {"findings": "Luis: no union notices."})
    ana.sync.sync_now()
    luis.sync.sync_now()
    ana.sync.sync_now()

    texts = {"Ana: wages paid late.", "Luis: no union notices."}
    for each in (ana, luis):
        (conflict,) = each.sync.conflicts()
        assert (conflict.kind, conflict.record_id, conflict.field) == (
            "visit",
            visit.id,
            "findings",
        )
        assert {conflict.kept["value"], conflict.other["value"]} == texts
        assert each.sync.conflicts(visit.id) == [conflict]
        assert each.sync.conflicts(plant.id) == []
        assert each.sync.status().conflicts == 1

    (conflict,) = luis.sync.conflicts()
    merged = "Both: wages paid late; no union notices."
    luis.sync.resolve(conflict.id, merged)
    assert luis.sync.conflicts() == [] and luis.sync.status().conflicts == 0
    assert luis.records.get(Visit, visit.id).findings == merged
    resolved = [e for e in luis.store.recent_audit() if e.action == AuditAction.CONFLICT_RESOLVED]
    assert [(e.kind, e.record_id, e.detail) for e in resolved] == [("visit", visit.id, "findings")]

    luis.sync.sync_now()
    ana.sync.sync_now()
    assert ana.sync.conflicts() == [] and ana.sync.status().conflicts == 0
    assert ana.records.get(Visit, visit.id).findings == merged
    luis.sync.sync_now()
    assert luis.sync.conflicts() == []  # HQ does not send the settled conflict back
    assert luis.records.get(Visit, visit.id).findings == merged
