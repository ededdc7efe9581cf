"""The command line, run in-process through main() with real vaults."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fieldkit import cli
from fieldkit.store.schema import LATEST_VERSION
from tests.cli_support import minimum_kdf, run, vault_path

__all__ = ["minimum_kdf", "vault_path"]  # fixtures shared with the command line's tests
from tests.conftest import PASSPHRASE
from tests.keyrings import MemoryKeyring


def test_init_prints_the_recovery_key_once(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    code, out, _ = run(capsys, "--vault", str(tmp_path / "v"), "init")
    assert code == 0
    key = next(line.strip() for line in out.splitlines() if line.count("-") == 7)
    assert len(key) == 47
    code, _, err = run(capsys, "--vault", str(tmp_path / "v"), "init")
    assert code == 1 and "already exists" in err and "Traceback" not in err


def test_info_json(vault_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "--vault", str(vault_path), "--json", "info")
    info = json.loads(out)
    assert code == 0
    assert info["schema_version"] == LATEST_VERSION
    assert info["kdf"]["algorithm"] == "argon2id" and info["kdf"]["memory_kib"] >= 65536
    assert set(info["counts"]) == {
        "facility",
        "organization",
        "visit",
        "interview",
        "case",
        "tip",
        "grant",
        "attachment",
    }


def test_vault_from_environment_variable(vault_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FIELDKIT_VAULT", str(vault_path))
    code, out, _ = run(capsys, "info")
    assert code == 0 and str(vault_path) in out


def test_wrong_passphrase_is_one_line_and_exit_3(vault_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", "not the right one")
    code, out, err = run(capsys, "--vault", str(vault_path), "info")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "passphrase is wrong" in err


def test_errors_in_spanish(vault_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", "not the right one")
    code, _, err = run(capsys, "--lang", "es", "--vault", str(vault_path), "info")
    assert code == 3 and "contraseña" in err


def test_passphrase_file(vault_path: Path, tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("FIELDKIT_PASSPHRASE")
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    code, _, _ = run(capsys, "--vault", str(vault_path), "--passphrase-file", str(secret), "info")
    assert code == 0


def test_no_passphrase_and_no_terminal(vault_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("FIELDKIT_PASSPHRASE")
    code, _, err = run(capsys, "--vault", str(vault_path), "info")
    assert code == 2 and "FIELDKIT_PASSPHRASE" in err


def test_import_export_search_show(vault_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "f.csv"
    source.write_text("name,state,sector\nLlantas del Potosí,SLP,rubber_tires\n,GUA,autos\n")
    code, _, err = run(capsys, "--vault", str(vault_path), "import", "facility", str(source))
    assert code == 1 and "nothing was imported" in err and "line 3:" in err
    code, out, _ = run(
        capsys, "--vault", str(vault_path), "import", "facility", str(source), "--skip-invalid"
    )
    assert code == 0 and "Imported 1" in out and "Skipped line 3" in out
    code, out, _ = run(capsys, "--vault", str(vault_path), "--json", "search", "potosi")
    (hit,) = json.loads(out)
    assert hit["title"] == "Llantas del Potosí"
    code, out, _ = run(
        capsys, "--vault", str(vault_path), "--json", "show", "facility", hit["record_id"]
    )
    assert json.loads(out)["state"] == "SLP"
    target = tmp_path / "out.json"
    code, _, err = run(
        capsys,
        "--vault",
        str(vault_path),
        "export",
        "facility",
        "--format",
        "json",
        "-o",
        str(target),
    )
    assert code == 0 and json.loads(target.read_text())[0]["name"] == "Llantas del Potosí"
    code, out, _ = run(capsys, "--vault", str(vault_path), "export", "facility", "--format", "csv")
    assert out.startswith("id,name,")


def test_export_of_interviews_warns_it_is_not_encrypted(vault_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "--vault", str(vault_path), "export", "interview")
    assert code == 0 and "not encrypted" in err


def test_passwd_and_recover(vault_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FIELDKIT_NEW_PASSPHRASE", "second passphrase here")
    code, out, _ = run(capsys, "--vault", str(vault_path), "passwd")
    assert code == 0 and "changed" in out
    code, _, _ = run(capsys, "--vault", str(vault_path), "info")
    assert code == 3
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", "second passphrase here")
    assert run(capsys, "--vault", str(vault_path), "info")[0] == 0


def test_recover_with_the_printed_key(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    _, out, _ = run(capsys, "--vault", str(tmp_path / "v"), "--json", "init")
    key = json.loads(out)["recovery_key"]
    typo = ("1" if key[0] != "1" else "2") + key[1:]
    monkeypatch.setenv("FIELDKIT_RECOVERY_KEY", typo)
    monkeypatch.setenv("FIELDKIT_NEW_PASSPHRASE", "recovered passphrase")
    code, _, err = run(capsys, "--vault", str(tmp_path / "v"), "recover")
    assert code == 1 and "group 1" in err
    monkeypatch.setenv("FIELDKIT_RECOVERY_KEY", key)
    code, _, _ = run(capsys, "--vault", str(tmp_path / "v"), "recover")
    assert code == 0
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", "recovered passphrase")
    assert run(capsys, "--vault", str(tmp_path / "v"), "info")[0] == 0


def test_remember_without_a_keyring_says_so(vault_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "--vault", str(vault_path), "remember")
    assert code == 1 and "no secure keyring" in err


def test_remember_then_unlock_without_passphrase(
    vault_path: Path,
    monkeypatch,
    capsys,
    memory_keyring: MemoryKeyring,  # type: ignore[no-untyped-def]
) -> None:
    assert run(capsys, "--vault", str(vault_path), "remember")[0] == 0
    monkeypatch.delenv("FIELDKIT_PASSPHRASE")
    assert run(capsys, "--vault", str(vault_path), "info")[0] == 0
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    assert run(capsys, "--vault", str(vault_path), "forget")[0] == 0
    monkeypatch.delenv("FIELDKIT_PASSPHRASE")
    assert run(capsys, "--vault", str(vault_path), "info")[0] == 2


def test_verify(vault_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "--vault", str(vault_path), "verify")
    assert code == 0 and "intact" in out


def test_missing_vault(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    code, _, err = run(capsys, "--vault", str(tmp_path / "none"), "info")
    assert code == 5 and "fieldkit init" in err


def test_unexpected_errors_are_logged_not_dumped(vault_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli.common, "unlock_vault", explode)
    code, _, err = run(capsys, "--vault", str(vault_path), "info")
    assert code == cli.EXIT_BUG and "Traceback" not in err and "fieldkit.log" in err


def test_console_script_runs(vault_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fieldkit", "--lang", "es", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "bóveda" in result.stdout
