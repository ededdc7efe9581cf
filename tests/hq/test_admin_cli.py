"""`fieldkit-hq` admin commands, run through main() as an admin would type them."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from fieldkit.domain.ids import new_id
from fieldkit.hq.cli import main
from tests.hq.client import TestDevice
from tests.hq_server import running_hq

CODE = re.compile(r"^\s+([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})$", re.MULTILINE)
FINGERPRINT = re.compile(r"(?:[0-9A-F]{2}:){31}[0-9A-F]{2}")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_enroll_prints_a_one_time_code_that_enrols(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "hq"
    data.mkdir()
    status, out, _ = run(capsys, "enroll", "Ana Pérez", "--data", str(data))
    assert status == 0 and "Ana Pérez" in out and "24 hours" in out
    (code,) = CODE.findall(out)
    with running_hq(data) as hq:
        answer = httpx.post(hq.url + "/v1/enrol", json={"code": code, "node": "n1", "label": "l"})
        assert answer.status_code == 200 and answer.json()["device_name"] == "Ana Pérez"


def test_enroll_prints_the_certificate_fingerprint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "hq"
    data.mkdir()
    status, out, _ = run(
        capsys, "make-cert", "--out", str(tmp_path / "tls"), "--host", "hq.example"
    )
    assert status == 0
    (made,) = FINGERPRINT.findall(out)
    cert = tmp_path / "tls" / "hq-cert.pem"
    status, out, _ = run(capsys, "enroll", "Ben", "--data", str(data), "--tls-cert", str(cert))
    assert status == 0 and FINGERPRINT.findall(out) == [made]
    assert (tmp_path / "tls" / "hq-key.pem").stat().st_mode & 0o077 == 0


def test_devices_lists_pending_changes_and_revoke_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "hq"
    status, out, _ = run(capsys, "devices", "--data", str(tmp_path))
    assert status == 0 and "No devices" in out
    with running_hq(data) as hq:
        ana, ben = TestDevice.enrol(hq, "Ana"), TestDevice.enrol(hq, "Ben")
        try:
            ana.push([ana.change("facility", new_id(), "name", f"F{i}") for i in range(3)])
            ana.pull_all()
            ben.sync(cursor=0, pull=False)
        finally:
            ana.close()
            ben.close()
    status, out, _ = run(capsys, "devices", "--data", str(data))
    storage, *lines = out.splitlines()
    assert storage.startswith("Storage: ") and "MB free in" in storage
    assert status == 0 and lines[0].split() == [
        "id", "name", "label", "role", "post", "nodes", "enrolled", "last", "seen", "pending",
        "revoked",
    ]  # fmt: skip
    rows = {line.split()[1]: line for line in lines[1:]}
    assert " 0 " in rows["Ana"] and " 3 " in rows["Ben"]
    assert rows["Ana"].split()[5] == ana.node and rows["Ben"].split()[5] == ben.node
    assert rows["Ana"].split()[3:5] == ["attache", "-"]
    status, out, _ = run(capsys, "revoke", "Ana", "--data", str(data))
    assert status == 0 and "Revoked" in out
    status, out, _ = run(capsys, "devices", "--data", str(data))
    (ana_row,) = [line for line in out.splitlines() if " Ana " in line]
    assert ana_row.endswith("UTC")  # the revoked column holds the time of revocation


def test_enroll_replaces_only_a_revoked_device(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "hq"
    with running_hq(data) as hq:
        lost = TestDevice.enrol(hq, "Ana")
        lost.close()
    status, _, err = run(capsys, "enroll", "Ana", "--replaces", "Ana", "--data", str(data))
    assert status == 2 and "not revoked" in err and "fieldkit-hq revoke" in err
    assert run(capsys, "revoke", "Ana", "--data", str(data))[0] == 0
    status, out, _ = run(capsys, "enroll", "Ana 2", "--replaces", "Ana", "--data", str(data))
    assert status == 0 and lost.device_id in out
    (code,) = CODE.findall(out)
    with running_hq(data) as hq:
        body = {"code": code, "node": "node-new-laptop", "label": "l"}
        answer = httpx.post(hq.url + "/v1/enrol", json=body)
        assert answer.status_code == 200
    status, out, _ = run(capsys, "devices", "--data", str(data))
    (new_row,) = [line for line in out.splitlines() if " Ana 2 " in line]
    (old_row,) = [line for line in out.splitlines() if line.startswith(lost.device_id)]
    assert f"{lost.node},node-new-laptop" in new_row and " - " in old_row
    status, _, err = run(
        capsys, "enroll", "Ana 3", "--replaces", lost.device_id, "--data", str(data)
    )
    assert status == 2 and "already replaced" in err


def test_clear_errors_without_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    status, _, err = run(capsys, "devices", "--data", str(missing))
    assert status == 2 and "no HQ data folder" in err and "Traceback" not in err
    data = tmp_path / "hq"
    data.mkdir()
    status, _, err = run(capsys, "revoke", "Nobody", "--data", str(data))
    assert status == 2 and "No device" in err
    unreachable = "postgresql://nobody@127.0.0.1:1/hq"
    status, _, err = run(capsys, "devices", "--database", unreachable)
    assert status == 2 and "Cannot open the database" in err
    status, _, err = run(capsys, "devices", "--database", "mysql://x/y")
    assert status == 2 and "Unsupported database" in err


def test_two_devices_with_one_name_need_the_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with running_hq(tmp_path / "hq") as hq:
        first, second = TestDevice.enrol(hq, "Ana"), TestDevice.enrol(hq, "Ana")
        first.close()
        second.close()
    status, _, err = run(capsys, "revoke", "Ana", "--data", str(tmp_path / "hq"))
    assert status == 2 and first.device_id in err and second.device_id in err
    status, _, _ = run(capsys, "revoke", first.device_id, "--data", str(tmp_path / "hq"))
    assert status == 0


def test_serve_refuses_plain_http_off_loopback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "hq"
    data.mkdir()
    status, _, err = run(capsys, "serve", "--data", str(data), "--host", "0.0.0.0")
    assert status == 2 and "Refusing to serve plain HTTP" in err and "--tls-cert" in err
    status, _, err = run(capsys, "serve", "--data", str(data), "--tls-cert", "x.pem")
    assert status == 2 and "both --tls-cert and --tls-key" in err
