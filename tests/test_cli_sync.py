"""`fieldkit connect` and `fieldkit sync`, run in-process through main() against a real HQ on
loopback, with a real vault unlocked by FIELDKIT_PASSPHRASE for every command."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.domain.records import Facility
from fieldkit.hq import certs
from fieldkit.services.vault import create_vault, unlock_vault
from tests.cli_support import run
from tests.conftest import PASSPHRASE, fast_kdf
from tests.hq_server import RunningHQ, running_hq

SYNC_ERROR = 6


class Terminal(io.StringIO):
    """Typed answers on a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


@pytest.fixture
def vault_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "v"
    vault, _recovery = create_vault(path, PASSPHRASE, kdf=fast_kdf())
    vault.records.create(Facility(name="Autopartes del Norte"))
    vault.lock()
    return path


@pytest.fixture
def tls_hq(tmp_path: Path) -> Iterator[RunningHQ]:
    tls = certs.make_self_signed(tmp_path / "tls", ["127.0.0.1"])
    with running_hq(tmp_path / "hq-tls", tls=tls) as server:
        yield server


def fingerprint_of(hq: RunningHQ) -> str:
    assert hq.tls is not None
    return certs.fingerprint(hq.tls[0])


def test_connect_then_sync_then_status(vault_path: Path, hq: RunningHQ, capsys) -> None:  # type: ignore[no-untyped-def]
    vault = str(vault_path)
    code, out, err = run(capsys, "--vault", vault, "connect", hq.url, "--code", hq.enroll("Ana"))
    assert code == 0, err
    assert f"Connected to {hq.url} as Ana." in out
    assert "inside the encrypted vault" in out and "fieldkit sync" in out

    code, out, _ = run(capsys, "--vault", vault, "--json", "sync", "--status")
    status = json.loads(out)
    assert code == 0 and status["state"] == "connected" and status["unsent"] > 0
    assert status["last_synced"] is None

    code, out, err = run(capsys, "--vault", vault, "sync")
    assert code == 0, err
    assert out.startswith(f"Synced: {status['unsent']} changes sent, 0 received")

    code, out, _ = run(capsys, "--vault", vault, "--json", "sync")
    report = json.loads(out)
    assert code == 0 and report["state"] == "ok" and report["pushed"] == 0
    assert report["unsent"] == 0 and report["last_synced"]

    code, out, _ = run(capsys, "--vault", vault, "sync", "--status")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("State: Synced. Last synced: ") and "never" not in lines[0]
    assert lines[1] == "0 changes not yet sent, 0 conflicts, 0 refused."
    assert len(lines) == 4 and all(": " in line for line in lines[2:])  # two rounds logged

    code, out, _ = run(capsys, "--vault", vault, "--json", "sync", "--status")
    status = json.loads(out)
    assert status == {**status, "state": "ok", "unsent": 0, "conflicts": 0, "quarantined": 0}

    code, out, _ = run(capsys, "--lang", "es", "--vault", vault, "sync")
    assert code == 0 and out.startswith("Sincronizado: 0 cambios enviados")


def test_https_needs_the_fingerprint_confirmed(
    vault_path: Path,
    tls_hq: RunningHQ,
    monkeypatch: pytest.MonkeyPatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    vault, seen = str(vault_path), fingerprint_of(tls_hq)
    code_ = tls_hq.enroll("Ana")
    code, out, err = run(capsys, "--vault", vault, "connect", tls_hq.url, "--code", code_)
    assert code == SYNC_ERROR and out == ""
    assert seen in err and "--fingerprint" in err and "Traceback" not in err

    # Someone at a terminal who says no: nothing is kept either.
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, out, err = run(capsys, "--vault", vault, "connect", tls_hq.url, "--code", code_)
    assert code == SYNC_ERROR and seen in out and seen in err

    wrong = certs.fingerprint(certs.make_self_signed(vault_path.parent / "x", ["127.0.0.1"])[0])
    code, _, err = run(
        capsys, "--vault", vault, "connect", tls_hq.url, "--code", code_, "--fingerprint", wrong
    )
    assert code == SYNC_ERROR and "Nothing was sent" in err and wrong in err

    code, _, err = run(capsys, "--vault", vault, "sync")
    assert code == SYNC_ERROR and "not connected" in err  # none of that connected the vault

    # The fingerprint as HQ printed it: connected with the same, still unused, code.
    code, out, err = run(
        capsys, "--vault", vault, "--json", "connect", tls_hq.url, "--code", code_,
        "--fingerprint", seen,
    )  # fmt: skip
    assert code == 0, err
    connected = json.loads(out)
    assert connected["fingerprint"] == seen and connected["token_kept"] == "vault"
    assert connected["url"] == tls_hq.url and connected["device_name"] == "Ana"
    code, out, err = run(capsys, "--vault", vault, "sync")
    assert code == 0 and out.startswith("Synced: "), err

    # HQ comes back with another certificate: sync stops, and the status says why.
    replaced = certs.make_self_signed(vault_path.parent / "tls-new", ["127.0.0.1"])
    tls_hq.stop()
    tls_hq.tls = replaced
    tls_hq.start()
    code, out, err = run(capsys, "--vault", vault, "sync")
    assert code == SYNC_ERROR and out == ""
    assert "different certificate" in err and certs.fingerprint(replaced[0]) in err
    code, out, _ = run(capsys, "--vault", vault, "sync", "--status")
    assert code == 0 and out.startswith("State: HQ certificate changed.")
    assert "HQ certificate changed: Headquarters presented a different certificate" in out


def test_confirmed_at_a_terminal(
    vault_path: Path,
    tls_hq: RunningHQ,
    monkeypatch: pytest.MonkeyPatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    code, out, err = run(
        capsys, "--vault", str(vault_path), "connect", tls_hq.url, "--code", tls_hq.enroll("Ana")
    )
    assert code == 0, err
    assert fingerprint_of(tls_hq) in out and "Connected to" in out
    vault = unlock_vault(vault_path, PASSPHRASE)
    try:
        connection = vault.sync.connection()
        assert connection is not None and connection.fingerprint == fingerprint_of(tls_hq)
    finally:
        vault.lock()


def test_a_wrong_code_is_refused(vault_path: Path, hq: RunningHQ, capsys) -> None:  # type: ignore[no-untyped-def]
    hq.enroll("Ana")
    code, out, err = run(
        capsys, "--vault", str(vault_path), "connect", hq.url, "--code", "AAAA-BBBB-CCCC-DDDD-EEEE"
    )
    assert code == SYNC_ERROR and out == ""
    assert "refused the enrolment code" in err and err.count("\n") == 1
    code, out, err = run(capsys, "--vault", str(vault_path), "--json", "sync", "--status")
    assert code == 0 and json.loads(out)["state"] == "not_connected"


def test_sync_before_connecting(vault_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--vault", str(vault_path), "sync")
    assert code == SYNC_ERROR and out == ""
    assert "not connected" in err and "fieldkit connect URL --code CODE" in err
    assert "Traceback" not in err

    code, _, err = run(capsys, "--lang", "es", "--vault", str(vault_path), "sync")
    assert code == SYNC_ERROR
    assert "no está conectada a la sede central" in err and "fieldkit connect" in err

    code, out, _ = run(capsys, "--vault", str(vault_path), "sync", "--status")
    assert code == 0 and out.startswith("State: Not connected to headquarters. Last synced: never.")


def test_plain_http_to_another_host_is_refused(vault_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(
        capsys, "--vault", str(vault_path), "connect", "http://hq.example.org", "--code", "X"
    )
    assert code == SYNC_ERROR and "must start with https://" in err


def test_sync_of_a_vault_not_connected_never_loads_keyring(vault_path: Path) -> None:
    """The OS keyring (and the modules it brings, ~90 ms) is touched only where a device
    token may be kept: a vault with no HQ has none to look up."""
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['fieldkit', '--vault', {str(vault_path)!r}, 'sync']\n"
        "try:\n    runpy.run_module('fieldkit', run_name='__main__')\n"
        "except SystemExit as done:\n    code = done.code\n"
        "print(code, 'keyring' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    code, keyring_loaded = done.stdout.split()
    assert code != "0"  # not connected: says so and exits with an error
    assert keyring_loaded == "False"
