"""The audit trail: every interview field served is named (device, record, field, when; never
the value), admin commands are logged without secrets, and `audit verify` finds an entry
altered, removed from the middle or cut from the end, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update
from starlette.testclient import TestClient

from fieldkit.domain.ids import new_id
from fieldkit.hq import admin, audit, devices
from fieldkit.hq.app import create_app
from fieldkit.hq.cli import main
from fieldkit.hq.clock import now_ms
from fieldkit.hq.roles import Role
from fieldkit.hq.tables import audit_log
from tests.hq.client import TestDevice
from tests.hq.test_admin_cli import CODE, run
from tests.hq_server import RunningHQ

SECRET_WORDS = "the worker's own words"


def _served_team(hq: RunningHQ) -> tuple[TestDevice, TestDevice, str]:
    ana = TestDevice.enrol(hq, "Ana")
    rita = TestDevice.enrol_with(
        hq, devices.create_code(hq.storage, "Rita", now_ms(), role=Role("reviewer"))
    )
    interview = new_id()
    ana.push(
        [
            ana.change("interview", interview, "pseudonym", "W-1"),
            ana.change("interview", interview, "notes", SECRET_WORDS),
            ana.change("facility", new_id(), "name", "Planta"),
        ]
    )
    rita.pull_all()
    return ana, rita, interview


def test_who_has_an_interview(hq: RunningHQ, capsys: pytest.CaptureFixture[str]) -> None:
    ana, rita, interview = _served_team(hq)
    try:
        served = audit.who_has(hq.storage, record_id=interview)
        assert {(e.device_id, e.field) for e in served} == {
            (rita.device_id, "pseudonym"),
            (rita.device_id, "notes"),
        }
        assert audit.who_has(hq.storage, device_id=ana.device_id) == []  # its own, not served
        url = ["--database", hq.database_url]
        status, out, _ = run(capsys, "audit", "--record", interview, *url)
        assert status == 0 and rita.device_id in out and "Rita" in out and "notes" in out
        status, out, _ = run(capsys, "audit", "--device", "Rita", *url)
        assert status == 0 and interview in out
        with hq.storage.reading() as conn:
            every = " ".join(str(v) for row in conn.execute(select(audit_log)) for v in row)
        assert SECRET_WORDS not in every and "W-1" not in every
    finally:
        ana.close()
        rita.close()


def test_verify_finds_an_altered_a_removed_and_a_cut_entry(
    hq: RunningHQ, capsys: pytest.CaptureFixture[str]
) -> None:
    ana, rita, _interview = _served_team(hq)
    ana.close()
    rita.close()
    for n in range(4):
        audit.log_admin(hq.storage, f"devices (done {n})", "admin@hq")
    url = ["--database", hq.database_url]
    status, out, _ = run(capsys, "audit", "verify", *url)
    assert status == 0 and "intact" in out
    with hq.storage.writing() as conn:
        total = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
        conn.execute(update(audit_log).where(audit_log.c.id == 2).values(device_id="dev-other"))
    status, out, _ = run(capsys, "audit", "verify", *url)
    assert status == 1 and "BROKEN at entry 2" in out and "altered" in out
    with hq.storage.writing() as conn:  # put it back: intact again
        conn.execute(update(audit_log).where(audit_log.c.id == 2).values(device_id=rita.device_id))
    assert audit.verify(hq.storage).intact
    with hq.storage.writing() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.id == 3))
    verdict = audit.verify(hq.storage)
    assert (verdict.broken_at, verdict.reason) == (3, "an entry is missing")
    with hq.storage.writing() as conn:  # the end cut off, the middle whole again: still found
        conn.execute(delete(audit_log).where(audit_log.c.id >= 3))
    verdict = audit.verify(hq.storage)
    assert not verdict.intact and verdict.reason == "entries were removed from the end"
    assert total > 4


def test_admin_commands_are_logged_without_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "hq"
    data.mkdir()
    status, out, _ = run(capsys, "enroll", "Ana", "--post", "Monterrey", "--data", str(data))
    (code,) = CODE.findall(out)
    status, out, _ = run(capsys, "admin-token", "--label", "J. Smith", "--data", str(data))
    token = out.split()[out.split().index("SHA-256):") + 1]
    assert status == 0 and token.startswith("fkadmin-")
    run(capsys, "revoke", "Nobody", "--data", str(data))
    storage = admin.open_storage(data, None)
    try:
        entries = audit.admin_entries(storage)
        details = [e.detail or "" for e in entries]
        assert any(d.startswith("enroll --name='Ana' --post='Monterrey'") for d in details)
        assert any(d.startswith("admin-token --label='J. Smith'") for d in details)
        assert any("revoke --device='Nobody'" in d and "(refused)" in d for d in details)
        everything = " ".join(details + [e.actor or "" for e in entries])
        assert code not in everything and token not in everything
        assert all(e.actor for e in entries)
    finally:
        storage.close()
    assert main(["audit", "verify", "--data", str(data)]) == 0


def test_the_console_does_not_answer_plain_http_from_another_machine(hq: RunningHQ) -> None:
    app = create_app(hq.storage, hq.server_id)
    with TestClient(app, base_url="http://hq.example") as client:  # client host: not loopback
        assert client.get("/console/sign-in").status_code == 403
        assert client.get("/console/devices").status_code == 403
    with TestClient(app, base_url="https://hq.example") as client:  # over TLS: it answers
        assert client.get("/console/sign-in").status_code == 200
