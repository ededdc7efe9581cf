"""HQ keeps its footing when its storage fails: 503 with a code and Retry-After, never a 500.
A full disk under HQ is tested for real in tests/sync/test_full_disk.py."""

from __future__ import annotations

import errno
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from fieldkit.hq.footing import STORAGE_HEADER, answer_for, is_disk_full
from tests.hq.client import TestDevice
from tests.hq.conftest import DeviceFactory
from tests.hq_server import RunningHQ

FULL = 1 << 60  # a margin no disk has free: pushes refused


class DiskFull(Exception):
    sqlstate = "53100"  # what psycopg's DiskFull carries


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("INSERT ...", {}, sqlite3.OperationalError("database or disk is full")),
        OSError(errno.ENOSPC, "No space left on device"),
        OperationalError("INSERT ...", {}, DiskFull("could not extend file")),
    ],
    ids=["sqlite", "os", "postgresql"],
)
def test_a_full_disk_is_recognised_however_it_is_wrapped(error: Exception) -> None:
    assert is_disk_full(error)
    answer = answer_for(error)
    assert (answer.status, answer.code) == (503, "hq_storage_full")
    assert int(answer.headers["Retry-After"]) > 0


def test_other_storage_errors_are_unavailable_not_full() -> None:
    error = OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))
    assert not is_disk_full(error)
    answer = answer_for(error)
    assert (answer.status, answer.code) == (503, "hq_unavailable")
    assert "Retry-After" in answer.headers


def a_change(device: TestDevice) -> dict[str, object]:
    return device.change("facility", "f-footing", "name", "Planta Norte")


def test_pushes_stop_at_the_margin_while_pulls_keep_working(
    sqlite_hq: RunningHQ, enrol_sqlite: DeviceFactory, caplog: pytest.LogCaptureFixture
) -> None:
    ana, ben = enrol_sqlite("Ana"), enrol_sqlite("Ben")
    ana.push([a_change(ana)])
    assert ana.http.get("/v1/health").headers[STORAGE_HEADER] == "ok"

    sqlite_hq.guard.min_free_bytes = FULL
    with caplog.at_level(logging.ERROR, logger="fieldkit.hq.footing"):
        refused = ben.sync(batch="b-1", changes=[a_change(ben)], pull=False)
    assert refused.status_code == 503
    assert refused.json()["error"] == "hq_storage_full"
    assert int(refused.headers["Retry-After"]) > 0
    assert [r.message for r in caplog.records if "pushes refused" in r.message]
    assert ben.http.get("/v1/health").headers[STORAGE_HEADER] == "full"
    changes, _conflicts = ben.pull_all()  # pulls are not refused
    assert {c["value"] for c in changes} == {"Planta Norte"}

    sqlite_hq.guard.min_free_bytes = 0
    assert ben.push([a_change(ben)], batch="b-1")["batch"] == "b-1"


def devices_command(data: Path, *options: str) -> str:
    command = [sys.executable, "-m", "fieldkit.hq.cli", "devices", "--data", str(data), *options]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_devices_command_says_how_much_space_is_left(tmp_path: Path) -> None:
    data = tmp_path / "hq"
    data.mkdir()
    shown = devices_command(data)
    assert "MB free in" in shown and "accepting changes" in shown
    assert "FULL: pushes refused" in devices_command(data, "--min-free-mb", str(1 << 40))
