"""`fieldkit travel` and the lease and wipe as the command line shows them, in-process against
a real HQ on loopback."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from fieldkit.domain.choices import Consent
from fieldkit.domain.records import Facility, Interview, Visit
from fieldkit.hq import orders
from fieldkit.hq.clock import now_ms
from fieldkit.i18n import ENGLISH, set_language
from fieldkit.services.vault import create_vault, recover_vault, unlock_vault
from tests.cli_support import run
from tests.conftest import PASSPHRASE, fast_kdf
from tests.hq_server import RunningHQ

DAY = dt.date(2026, 11, 3)


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


RECOVERY: dict[Path, str] = {}


def recovery_key(path: Path) -> str:
    return RECOVERY[path]


@pytest.fixture
def vault_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "v"
    vault, RECOVERY[path] = create_vault(path, PASSPHRASE, kdf=fast_kdf())
    plant = vault.records.create(Facility(name="Autopartes del Norte"))
    visit = vault.records.create(Visit(facility_id=plant.id, start_date=DAY))
    vault.records.create(
        Interview(visit_id=visit.id, held_on=DAY, pseudonym="W-1", consent=Consent.GIVEN)
    )
    vault.lock()
    return path


def test_travel_prepare_status_return(vault_path: Path, hq: RunningHQ, capsys) -> None:  # type: ignore[no-untyped-def]
    vault = str(vault_path)
    assert run(capsys, "--vault", vault, "connect", hq.url, "--code", hq.enroll("Ana"))[0] == 0
    code, out, err = run(capsys, "--vault", vault, "travel", "prepare")
    assert code == 0, err
    assert "1 records removed" in out
    code, out, _ = run(capsys, "--vault", vault, "travel", "status")
    assert code == 0 and "In travel mode since" in out
    code, out, err = run(capsys, "--vault", vault, "travel", "return")
    assert code == 0 and "Back from travel" in out, err
    code, out, _ = run(capsys, "--vault", vault, "travel", "status")
    assert "Not in travel mode" in out
    code, _, err = run(capsys, "--vault", vault, "travel", "return")
    assert code != 0 and "not in travel mode" in err
    opened = unlock_vault(vault_path, PASSPHRASE)
    assert opened.store.count(Interview) == 1
    opened.lock()


def test_an_expired_lease_and_a_wipe_as_the_command_line_says_them(
    vault_path: Path,
    hq: RunningHQ,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vault = str(vault_path)
    orders.set_lease(hq.storage, 5)
    assert run(capsys, "--vault", vault, "connect", hq.url, "--code", hq.enroll("Ana"))[0] == 0
    assert run(capsys, "--vault", vault, "sync")[0] == 0
    opened = unlock_vault(vault_path, PASSPHRASE)
    opened.renew_lease(5, at_ms=now_ms() - 6 * 24 * 3600 * 1000)
    opened.lock()
    code, _, err = run(capsys, "--vault", vault, "sync")
    assert code == 3 and "recovery key" in err
    code, _, err = run(capsys, "--lang", "es", "--vault", vault, "sync")
    assert code == 3 and "clave de recuperación" in err
    set_language(ENGLISH)
    _device, code = orders.lease_code_for(
        hq.storage, "Ana", dt.datetime.now(dt.UTC).date().isoformat()
    )
    monkeypatch.setenv("FIELDKIT_LEASE_CODE", code)
    assert run(capsys, "--vault", vault, "sync")[0] == 0  # the code from HQ opens it
    monkeypatch.delenv("FIELDKIT_LEASE_CODE")
    orders.set_lease(hq.storage, None)
    recovered = recover_vault(vault_path, recovery_key(vault_path), PASSPHRASE)
    recovered.lock()
    orders.order_wipe(hq.storage, "Ana", now_ms(), keep_unsent=False, revoke=False)
    code, _, err = run(capsys, "--vault", vault, "sync")
    assert code == 7 and "wiped" in err
    assert not (vault_path / "vault.key").exists()
