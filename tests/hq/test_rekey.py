"""Rotating HQ's database key (`fieldkit-hq rekey-database`): every row survives, only the
new key opens the database, devices go on syncing, a process killed at each step leaves a
database that opens with one key or the other, and each refusal changes nothing."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from fieldkit.domain.ids import new_id
from fieldkit.hq import audit, rekey
from fieldkit.hq.at_rest import encrypted_url
from fieldkit.hq.cli import main
from fieldkit.hq.errors import DatabaseUnavailable
from fieldkit.hq.storage import Storage
from tests.hq.client import TestDevice, values
from tests.hq_server import free_port, running_hq

ROOT = Path(__file__).resolve().parents[2]
CANARY = "Canary-Quetzal-4417 moved to the north office"
# Tables an admin command's audit entry changes: everything else must be identical.
AUDITED = {"audit_log", "server_settings"}

Dump = dict[str, set[tuple[Any, ...]]]


@pytest.fixture
def hq_data(tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    """A stopped HQ's data folder holding devices and records, its key file and a new one."""
    data = tmp_path / "hq"
    data.mkdir(mode=0o700)
    old_file, new_file = tmp_path / "old.key", tmp_path / "new.key"
    assert main(["make-key", "--out", str(old_file)]) == 0
    assert main(["make-key", "--out", str(new_file)]) == 0
    with running_hq(data, key=key_of(old_file)) as hq:
        ana = TestDevice.enrol(hq, "Ana")
        changes = [ana.change("facility", new_id(), "name", f"Clinic {n}") for n in range(40)]
        changes.append(ana.change("facility", new_id(), "name", CANARY))
        assert ana.push(changes)["applied"] == len(changes)
        TestDevice.enrol(hq, "Luis").close()
        ana.close()
    yield data, old_file, new_file


def key_of(key_file: Path) -> bytes:
    return bytes.fromhex(key_file.read_text())


def url_of(data: Path) -> str:
    return f"sqlite:///{data / 'hq.sqlite3'}"


def dump(data: Path, key: bytes) -> Dump:
    """Every row of every table, read with `key` (fails if the key does not open it)."""
    storage = Storage.open(url_of(data), key)
    try:
        with storage.reading() as conn:
            names = inspect(conn).get_table_names()
            return {
                n: {tuple(r) for r in conn.execute(text(f'SELECT * FROM "{n}"'))} for n in names
            }
    finally:
        storage.close()


def unaudited(rows: Dump) -> Dump:
    return {name: table for name, table in rows.items() if name not in AUDITED}


def assert_opens_only_with(data: Path, key: bytes, other: bytes) -> None:
    with pytest.raises(DatabaseUnavailable, match="does not open with this key"):
        Storage.open(url_of(data), other)
    Storage.open(url_of(data), key).close()


def run_rekey(
    capsys: pytest.CaptureFixture[str], data: Path, old: Path, new: Path, *extra: str
) -> tuple[int, str, str]:
    """`fieldkit-hq rekey-database` through main(): (exit status, stdout, stderr)."""
    capsys.readouterr()
    code = main(["rekey-database", "--data", str(data), "--key-file", str(old),
                 "--new-key-file", str(new), *extra])  # fmt: skip
    out, err = capsys.readouterr()
    return code, out, err


def test_rotation_keeps_every_row_and_devices_sync_on(
    hq_data: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, old_file, new_file = hq_data
    old, new = key_of(old_file), key_of(new_file)
    before = dump(data, old)
    assert len(before["records"]) >= 41 and len(before["devices"]) == 2

    code, out, err = run_rekey(capsys, data, old_file, new_file)
    assert (code, err) == (0, ""), err
    assert "Re-encrypted" in out and "--key-file " + str(new_file) in out

    assert_opens_only_with(data, new, old)
    after = dump(data, new)
    assert unaudited(after) == unaudited(before)
    assert before["audit_log"] < after["audit_log"]
    # The command is in the audit chain, without a key, and the chain still verifies.
    storage = Storage.open(url_of(data), new)
    try:
        entry = audit.admin_entries(storage, limit=1)[0]
        assert entry.detail == "rekey-database (done)"
        assert audit.verify(storage).intact
    finally:
        storage.close()
    stored = (data / "hq.sqlite3").read_bytes()
    assert CANARY.encode() not in stored and old.hex().encode() not in stored
    assert new.hex().encode() not in stored and sorted(os.listdir(data)) == ["hq.sqlite3"]
    assert main(["devices", "--data", str(data), "--key-file", str(old_file)]) == 2
    assert "does not open with this key" in capsys.readouterr().err

    # HQ started with the new key serves what was pushed under the old one.
    with running_hq(data, key=new) as hq:
        reader = TestDevice.enrol(hq, "Rita")
        changes, _ = reader.pull_all()
        # Each facility was pushed with one field: one change per record comes back.
        assert CANARY in values(changes).values() and len(changes) == len(before["records"])
        reader.close()


def test_a_device_enrolled_before_rotation_syncs_after_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "hq"
    data.mkdir(mode=0o700)
    old_file, new_file = tmp_path / "old.key", tmp_path / "new.key"
    for key_file in (old_file, new_file):
        assert main(["make-key", "--out", str(key_file)]) == 0
    port = free_port()
    record = new_id()
    with running_hq(data, key=key_of(old_file), port=port) as hq:
        ana = TestDevice.enrol(hq, "Ana")
        assert ana.push([ana.change("facility", record, "name", "Before")])["applied"] == 1
    assert run_rekey(capsys, data, old_file, new_file)[0] == 0
    with running_hq(data, key=key_of(new_file), port=port) as hq:
        # Same token, same cursor: the device pushes and pulls as if nothing happened.
        assert ana.push([ana.change("facility", record, "name", "After")])["applied"] == 1
        luis = TestDevice.enrol(hq, "Luis")
        changes, _ = luis.pull_all()
        assert values(changes)[(record, "name")] == "After"
        assert ana.pull()["changes"] == []  # its own write is not sent back
        luis.close()
        ana.close()


# --- a process killed part-way ----------------------------------------------------------------

# Each name is replaced by SIGKILL of the command's own process: the copy is written and
# fsynced but unchecked; checked but not renamed; renamed but the folder not yet fsynced.
KILL_POINTS = {"verify_copy": "old", "swap_in": "old", "fsync_dir": "new"}
KILLED = (
    "import os, signal, sys\n"
    "from fieldkit.hq import cli, rekey\n"
    "setattr(rekey, sys.argv[1], lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL))\n"
    "sys.exit(cli.main(sys.argv[2:]))\n"
)


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_killed_rotation_leaves_one_key_working_and_the_next_run_finishes(
    hq_data: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], point: str
) -> None:
    data, old_file, new_file = hq_data
    old, new = key_of(old_file), key_of(new_file)
    before = unaudited(dump(data, old))
    command = [sys.executable, "-c", KILLED, point, "rekey-database", "--data", str(data),
               "--key-file", str(old_file), "--new-key-file", str(new_file)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run(
        command, check=False, env=env, capture_output=True, text=True, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    if KILL_POINTS[point] == "old":
        assert (data / "hq.sqlite3.rekeying").exists()  # the unfinished copy is left behind
        assert_opens_only_with(data, old, new)
        assert unaudited(dump(data, old)) == before
        code, out, err = run_rekey(capsys, data, old_file, new_file)
        assert (code, err) == (0, "") and "Re-encrypted" in out
    else:
        assert_opens_only_with(data, new, old)
        code, out, err = run_rekey(capsys, data, old_file, new_file)
        assert (code, err) == (0, "") and "already opens with the new key" in out
    assert_opens_only_with(data, new, old)
    assert unaudited(dump(data, new)) == before
    assert sorted(os.listdir(data)) == ["hq.sqlite3"]


def test_a_leftover_partial_copy_is_replaced(
    hq_data: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """What a crash in the middle of the export leaves: a torn copy and its journal."""
    data, old_file, new_file = hq_data
    (data / "hq.sqlite3.rekeying").write_bytes(os.urandom(50_000))
    (data / "hq.sqlite3.rekeying-journal").write_bytes(os.urandom(4096))
    before = unaudited(dump(data, key_of(old_file)))
    assert run_rekey(capsys, data, old_file, new_file)[0] == 0
    assert unaudited(dump(data, key_of(new_file))) == before
    assert sorted(os.listdir(data)) == ["hq.sqlite3"]


# --- refusals -----------------------------------------------------------------------------------


def database_digest(data: Path) -> str:
    return hashlib.sha256((data / "hq.sqlite3").read_bytes()).hexdigest()


def assert_refused_unchanged(
    capsys: pytest.CaptureFixture[str],
    hq_data: tuple[Path, Path, Path],
    expected: str,
    old_file: Path | None = None,
    new_file: Path | None = None,
    *extra: str,
) -> str:
    data, old_default, new_default = hq_data
    old = key_of(old_default)
    before = unaudited(dump(data, old))
    code, out, err = run_rekey(
        capsys, data, old_file or old_default, new_file or new_default, *extra
    )
    assert code == 2 and out == "", out
    assert err.startswith("fieldkit-hq: ") and expected in err and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1
    assert_opens_only_with(data, old, key_of(new_default))
    assert unaudited(dump(data, old)) == before
    assert sorted(os.listdir(data)) == ["hq.sqlite3"]
    return err


def test_a_wrong_current_key_is_refused(
    hq_data: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = hq_data[0]
    wrong = tmp_path / "wrong.key"
    assert main(["make-key", "--out", str(wrong)]) == 0
    digest = database_digest(data)
    assert_refused_unchanged(capsys, hq_data, "does not open with the current key", wrong)
    # Nothing could be logged without the key: not one byte changed.
    assert database_digest(data) == digest


def test_a_missing_malformed_or_unchanged_new_key_is_refused(
    hq_data: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data, old_file, _ = hq_data
    missing = tmp_path / "nowhere.key"
    err = assert_refused_unchanged(capsys, hq_data, "no new key file", None, missing)
    assert f"make-key --out {missing}" in err and not missing.exists()
    malformed = tmp_path / "malformed.key"
    malformed.write_text("0123 not a key\n")
    assert_refused_unchanged(capsys, hq_data, "not 64 hexadecimal characters", None, malformed)
    short = tmp_path / "short.key"
    short.write_text(os.urandom(16).hex())
    assert_refused_unchanged(capsys, hq_data, "not 64 hexadecimal characters", None, short)
    same = tmp_path / "same.key"
    same.write_text(old_file.read_text().upper())  # the same 256 bits, written differently
    assert_refused_unchanged(capsys, hq_data, "the key the database has now", None, same)
    # The refusals the database could record are in its audit chain, as for any command.
    storage = Storage.open(url_of(data), key_of(old_file))
    try:
        details = [e.detail for e in audit.admin_entries(storage)]
        assert details.count("rekey-database (refused)") == 4
        assert audit.verify(storage).intact
    finally:
        storage.close()


def test_too_little_room_for_the_copy_is_refused(
    hq_data: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The copy needs the database's size on top of HQ's free-space margin (--min-free-mb):
    a margin larger than any disk is a disk without room, measured for real."""
    err = assert_refused_unchanged(
        capsys, hq_data, "Not enough free space", None, None, "--min-free-mb", str(1 << 40)
    )
    assert "Nothing was changed" in err


def test_a_running_hq_is_refused(
    hq_data: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, old_file, _ = hq_data
    with running_hq(data, key=key_of(old_file)) as hq:
        code, _, err = run_rekey(capsys, data, old_file, hq_data[2])
        assert code == 2 and "in use: stop 'fieldkit-hq serve'" in err
        assert not (data / "hq.sqlite3.rekeying").exists()
        TestDevice.enrol(hq, "Carla").close()  # HQ went on serving
    assert_opens_only_with(data, key_of(old_file), key_of(hq_data[2]))
    assert sorted(os.listdir(data)) == ["hq.sqlite3"]


@contextmanager
def serving(data: Path, key_file: Path) -> Iterator[int]:
    """`fieldkit-hq serve` as its own process, as a service manager runs it."""
    port = free_port()
    command = [sys.executable, "-m", "fieldkit.hq.cli", "serve", "--data", str(data),
               "--port", str(port), "--key-file", str(key_file)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/v1/health")
                break
            except httpx.ConnectError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_a_serve_process_is_refused(
    hq_data: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, old_file, new_file = hq_data
    with serving(data, old_file):
        code, _, err = run_rekey(capsys, data, old_file, new_file)
        assert code == 2 and "in use: stop 'fieldkit-hq serve'" in err
    assert run_rekey(capsys, data, old_file, new_file)[0] == 0  # stopped: it goes ahead
    assert_opens_only_with(data, key_of(new_file), key_of(old_file))


def test_postgresql_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new_file = tmp_path / "new.key"
    assert main(["make-key", "--out", str(new_file)]) == 0
    capsys.readouterr()
    code = main(["rekey-database", "--database", "postgresql://hq@127.0.0.1:1/hq",
                 "--new-key-file", str(new_file)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "PostgreSQL relies on the database server's disk encryption" in err


def test_a_plaintext_or_absent_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "hq"
    data.mkdir(mode=0o700)
    old_file, new_file = tmp_path / "old.key", tmp_path / "new.key"
    for key_file in (old_file, new_file):
        assert main(["make-key", "--out", str(key_file)]) == 0
    code, _, err = run_rekey(capsys, data, old_file, new_file)
    assert code == 2 and "no HQ database" in err
    monkeypatch.delenv("FIELDKIT_HQ_KEY")
    (data / "hq.sqlite3").unlink()
    with running_hq(data):  # an HQ of the kind before encryption
        pass
    plain = database_digest(data)
    code, _, err = run_rekey(capsys, data, old_file, new_file)
    assert code == 2 and "encrypt-database" in err and database_digest(data) == plain


# --- HQ started during a rotation, and a copy that fails its checks -----------------------------

PAUSED = (
    "import sys\n"
    "from fieldkit.hq import cli, rekey\n"
    "check = rekey.verify_copy\n"
    "def paused(*args):\n"
    "    print('copied', flush=True)\n"
    "    sys.stdin.readline()\n"
    "    check(*args)\n"
    "rekey.verify_copy = paused\n"
    "sys.exit(cli.main(sys.argv[1:]))\n"
)


def test_hq_started_during_a_rotation_is_refused_until_it_ends(
    hq_data: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """An HQ waiting on SQLite's lock would carry on, after the rename, with the old file:
    `serve` and the admin commands refuse to start instead."""
    data, old_file, new_file = hq_data
    command = [sys.executable, "-c", PAUSED, "rekey-database", "--data", str(data),
               "--key-file", str(old_file), "--new-key-file", str(new_file)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rotation = subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert rotation.stdin is not None and rotation.stdout is not None
    try:
        assert rotation.stdout.readline() == "copied\n"
        serve = subprocess.run(
            [sys.executable, "-m", "fieldkit.hq.cli", "serve", "--data", str(data),
             "--port", str(free_port()), "--key-file", str(old_file)],
            check=False, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert serve.returncode == 2 and "rekey-database' is re-encrypting" in serve.stderr
        capsys.readouterr()
        assert main(["devices", "--data", str(data), "--key-file", str(old_file)]) == 2
        assert "run this again when it has finished" in capsys.readouterr().err
        rotation.stdin.write("\n")
        rotation.stdin.close()
        assert rotation.wait(timeout=120) == 0
    finally:
        rotation.kill()
        rotation.wait()
    with serving(data, new_file) as port:
        assert httpx.get(f"http://127.0.0.1:{port}/v1/health").status_code == 200
    assert_opens_only_with(data, key_of(new_file), key_of(old_file))


def damage_rows(copy: Path, key: bytes, statement: str) -> None:
    url = encrypted_url(make_url(f"sqlite:///{copy}"), key)
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            assert conn.exec_driver_sql(statement).rowcount == 1
    finally:
        engine.dispose()


def damage_page(copy: Path) -> None:
    with copy.open("r+b") as handle:
        handle.seek(2 * 4096 + 700)  # inside the third page
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0x01]))


MISSING = "DELETE FROM devices WHERE name = 'Luis'"
ALTERED = "UPDATE devices SET name = 'Eve' WHERE name = 'Luis'"
DAMAGE = {
    "a row missing": lambda copy, key: damage_rows(copy, key, MISSING),
    "a row altered": lambda copy, key: damage_rows(copy, key, ALTERED),
    "a page flipped": lambda copy, key: damage_page(copy),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_copy_that_fails_its_checks_is_discarded(
    hq_data: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    damage: str,
) -> None:
    write = rekey.write_copy

    def damaged_copy(conn: Any, copy: Path, new_key: bytes) -> None:
        write(conn, copy, new_key)
        DAMAGE[damage](copy, new_key)

    monkeypatch.setattr(rekey, "write_copy", damaged_copy)
    err = assert_refused_unchanged(capsys, hq_data, "The re-encrypted copy was discarded")
    assert "still under the current key" in err
