"""`-o -` is standard output for the commands that write files, never a file named '-'."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldkit import cli
from fieldkit.crypto import kdf
from tests.conftest import PASSPHRASE


@pytest.fixture
def vault_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(kdf.new_kdf_params, "__defaults__", (kdf.MIN_MEMORY_KIB, 3, 4))
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "v"
    assert cli.main(["--vault", str(path), "init"]) == 0
    capsysbinary.readouterr()
    return path


def test_export_to_dash_writes_standard_output(vault_path: Path, capsysbinary) -> None:  # type: ignore[no-untyped-def]
    code = cli.main(["--vault", str(vault_path), "export", "interview", "-o", "-"])
    out, err = capsysbinary.readouterr()
    assert code == 0 and json.loads(out) == []
    assert b"not encrypted" in err
    assert not Path("-").exists()


def test_report_to_dash_writes_the_pdf_to_standard_output(vault_path: Path, capsysbinary) -> None:  # type: ignore[no-untyped-def]
    argv = ["--vault", str(vault_path), "report", "period", "--from", "2026-01-01"]
    code = cli.main([*argv, "--to", "2026-01-31", "-o", "-"])
    out, _err = capsysbinary.readouterr()
    assert code == 0 and out.startswith(b"%PDF-") and out.rstrip().endswith(b"%%EOF")
    assert not Path("-").exists() and not list(Path().glob("*.pdf"))
