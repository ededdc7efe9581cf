"""What the command line's tests share: running `fieldkit` in-process, a fast KDF for the
vaults it creates, and a fresh vault made by `fieldkit init`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldkit import cli
from fieldkit.crypto import kdf
from tests.conftest import PASSPHRASE


@pytest.fixture(autouse=True)
def minimum_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """New vaults made by the CLI use the minimum Argon2id cost to keep the suite fast."""
    monkeypatch.setattr(kdf, "DEFAULT_MEMORY_KIB", kdf.MIN_MEMORY_KIB)
    monkeypatch.setattr(kdf.new_kdf_params, "__defaults__", (kdf.MIN_MEMORY_KIB, 3, 4))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`fieldkit ARGV...` in this process: its exit code, standard output and error."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def vault_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> Path:  # type: ignore[no-untyped-def]
    """A vault made by `fieldkit init`, its passphrase in FIELDKIT_PASSPHRASE."""
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "v"
    code, out, _ = run(capsys, "--vault", str(path), "--json", "init")
    assert code == 0 and json.loads(out)["recovery_key"]
    return path
