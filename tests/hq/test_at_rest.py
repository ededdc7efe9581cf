"""HQ's SQLite database is encrypted at rest: without its key the file (and its WAL) holds no
byte of what devices sent, and plain SQLite cannot read it; with the key HQ reads it again."""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

import pytest

from fieldkit.domain.ids import new_id
from fieldkit.hq import at_rest
from fieldkit.hq.cli import main
from fieldkit.hq.errors import DatabaseUnavailable
from fieldkit.hq.storage import Storage
from tests.hq.client import TestDevice, values
from tests.hq_server import running_hq

CANARY = "Canary-Xolotl-7781 fired for voting"
FACILITY = new_id()


def folder_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


def push_canary(device: TestDevice) -> None:
    change = device.change("facility", FACILITY, "name", CANARY)
    assert device.push([change])["applied"] == 1


def test_the_database_is_unreadable_without_its_key_and_readable_with_it(tmp_path: Path) -> None:
    data = tmp_path / "hq"
    key = secrets.token_bytes(32)
    with running_hq(data, key=key) as hq:
        device = TestDevice.enrol(hq, "Ana")
        push_canary(device)
        # While HQ runs (the WAL holds the write) and after it stopped (one file).
        assert CANARY.encode() not in folder_bytes(data)
        device.close()
    stored = folder_bytes(data)
    assert CANARY.encode() not in stored and b"Ana" not in stored
    assert not at_rest.is_plaintext(data / "hq.sqlite3")
    with sqlite3.connect(data / "hq.sqlite3") as plain, pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT * FROM records").fetchall()
    with pytest.raises(DatabaseUnavailable, match="does not open with this key"):
        Storage.open(f"sqlite:///{data / 'hq.sqlite3'}", secrets.token_bytes(32))
    with running_hq(data, key=key) as hq:
        reader = TestDevice.enrol(hq, "Luis")
        changes, _ = reader.pull_all()
        assert values(changes)[(FACILITY, "name")] == CANARY
        reader.close()


def test_admin_commands_need_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "hq"
    data.mkdir(mode=0o700)
    key_file = tmp_path / "hq.key"
    assert main(["make-key", "--out", str(key_file)]) == 0
    assert key_file.stat().st_mode & 0o077 == 0 and len(key_file.read_text().strip()) == 64
    assert main(["make-key", "--out", str(key_file)]) == 2  # never overwritten
    monkeypatch.delenv(at_rest.KEY_ENV)
    capsys.readouterr()
    assert main(["devices", "--data", str(data)]) == 2
    assert "--key-file" in capsys.readouterr().err
    assert main(["enroll", "Ana", "--data", str(data), "--key-file", str(key_file)]) == 0
    monkeypatch.setenv(at_rest.KEY_FILE_ENV, str(key_file))
    assert main(["devices", "--data", str(data)]) == 0
    assert "Ana" not in capsys.readouterr().err
    other = tmp_path / "other.key"
    other.write_text(secrets.token_hex(32))
    assert main(["devices", "--data", str(data), "--key-file", str(other)]) == 2
    assert "does not open with this key" in capsys.readouterr().err
    other.write_text("not a key")
    assert main(["devices", "--data", str(data), "--key-file", str(other)]) == 2
    assert "64 hexadecimal" in capsys.readouterr().err


def test_a_plaintext_database_is_refused_then_encrypted_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "hq"
    data.mkdir(mode=0o700)
    monkeypatch.delenv(at_rest.KEY_ENV)  # an HQ of the old kind: no key, plaintext
    with running_hq(data) as hq:
        assert hq.key is None
        device = TestDevice.enrol(hq, "Ana")
        push_canary(device)
        device.close()
    assert CANARY.encode() in folder_bytes(data)  # the old kind: plaintext
    key_file = tmp_path / "hq.key"
    assert main(["make-key", "--out", str(key_file)]) == 0
    capsys.readouterr()
    assert main(["devices", "--data", str(data), "--key-file", str(key_file)]) == 2
    assert "encrypt-database" in capsys.readouterr().err
    assert main(["encrypt-database", "--data", str(data), "--key-file", str(key_file)]) == 0
    assert CANARY.encode() not in folder_bytes(data)
    assert sorted(os.listdir(data)) == ["hq.sqlite3"]
    assert main(["devices", "--data", str(data), "--key-file", str(key_file)]) == 0
    assert "Ana" in capsys.readouterr().out
    key = bytes.fromhex(key_file.read_text())
    with running_hq(data, key=key) as hq:
        reader = TestDevice.enrol(hq, "Luis")
        changes, _ = reader.pull_all()
        assert values(changes)[(FACILITY, "name")] == CANARY
        reader.close()
    assert main(["encrypt-database", "--data", str(data), "--key-file", str(key_file)]) == 2
