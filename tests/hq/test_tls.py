"""HQ over TLS with a self-signed certificate, as devices reach it (they pin it)."""

from __future__ import annotations

import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from fieldkit.hq import certs
from fieldkit.sync.pinning import fetch_certificate, fingerprint, parse_address
from tests.hq_server import free_port, running_hq


def test_health_over_https_with_the_certificate_trusted(tmp_path: Path) -> None:
    cert, key = certs.make_self_signed(tmp_path / "tls", ["localhost", "127.0.0.1"])
    with running_hq(tmp_path / "hq", tls=(cert, key)) as hq:
        assert hq.url.startswith("https://127.0.0.1:")
        context = ssl.create_default_context(cafile=str(cert))
        answer = httpx.get(hq.url + "/v1/health", verify=context)
        assert answer.status_code == 200 and answer.json()["server_id"] == hq.server_id
        # What a device sees at enrolment matches what the admin is told.
        seen = fetch_certificate(parse_address(hq.url))
        assert fingerprint(seen) == certs.fingerprint(cert)
        with pytest.raises(httpx.ConnectError):
            httpx.get(hq.url + "/v1/health")  # not trusted by the system's authorities


def test_serve_prints_the_fingerprint_and_serves_tls(tmp_path: Path) -> None:
    """`fieldkit-hq serve` itself, as a process, stopped with SIGTERM as a service manager would:
    it stops cleanly and leaves its database as one file."""
    cert, key = certs.make_self_signed(tmp_path / "tls", ["127.0.0.1"])
    data = tmp_path / "hq"
    data.mkdir()
    port = free_port()
    command = [sys.executable, "-m", "fieldkit.hq.cli", "serve", "--data", str(data),
               "--port", str(port), "--tls-cert", str(cert), "--tls-key", str(key)]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        context = ssl.create_default_context(cafile=str(cert))
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = httpx.get(f"https://127.0.0.1:{port}/v1/health", verify=context)
                break
            except httpx.ConnectError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.05)
        assert answer.json()["service"] == "fieldkit-hq"
    finally:
        server.terminate()
        out, err = server.communicate(timeout=20)
    # uvicorn shuts down cleanly; HQ then closes its database (the WAL folded in) and exits 0.
    assert server.returncode == 0 and "Finished server process" in err
    assert [p.name for p in data.iterdir() if p.name.startswith("hq.sqlite3")] == ["hq.sqlite3"]
    assert certs.fingerprint(cert) in out and f"https://127.0.0.1:{port}" in out
