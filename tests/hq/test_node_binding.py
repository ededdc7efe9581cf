"""Nodes bound to devices: a device cannot take a colleague's node at enrolment nor write to
their private interviews; a replacement laptop takes over a revoked device's records only
through a code made for that; a vault enrolling again keeps its node by sending its token."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from fieldkit.domain.ids import new_id
from fieldkit.hq.documents import visible_fields
from fieldkit.hq.errors import AdminError
from fieldkit.hq.tables import records
from tests.hq.client import TestDevice, values
from tests.hq.conftest import DeviceFactory
from tests.hq_server import RunningHQ


def enrol_raw(hq: RunningHQ, code: str, node: str, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"code": code, "node": node, "label": "laptop"}
    return httpx.post(hq.url + "/v1/enrol", json=body, headers=headers)


def stored(hq: RunningHQ, record: str) -> dict[str, tuple[object, int, str]]:
    """Every field HQ holds of the record: value and version."""
    with hq.storage.reading() as conn:
        owner = conn.execute(
            select(records.c.owner_node).where(records.c.record_id == record)
        ).scalar_one()
        found = visible_fields(conn, owner, [record])
    return {f["field"]: (f["value"], f["hlc"], f["node"]) for f in found}


def test_a_device_cannot_enrol_with_a_colleagues_node(enrol: DeviceFactory, hq: RunningHQ) -> None:
    ana = enrol("Ana")
    code = hq.enroll("Mallory")
    taken = enrol_raw(hq, code, ana.node)
    assert taken.status_code == 403 and taken.json()["error"] == "enrolment_refused"
    assert "another device" in taken.json()["message"]
    # Not even once Ana's laptop is revoked: only a code made to replace it would do.
    hq.revoke(ana.device_id)
    assert enrol_raw(hq, hq.enroll("Mallory"), ana.node).status_code == 403
    # The refused code still enrols a device with a node of its own.
    assert enrol_raw(hq, code, "node-mallory").status_code == 200


def test_writes_to_a_colleagues_private_interview_are_refused(
    enrol: DeviceFactory, hq: RunningHQ
) -> None:
    ana, mallory = enrol("Ana"), enrol("Mallory")
    interview = new_id()
    ana.push(
        [
            ana.change("interview", interview, "pseudonym", "Rosa"),
            ana.change("interview", interview, "notes", "Words of a worker"),
        ]
    )
    before = stored(hq, interview)
    ack = mallory.push(
        [
            mallory.change("interview", interview, "shared", True),
            mallory.change("interview", interview, "notes", "Rewritten"),
            mallory.change("interview", interview, "deleted", True),
        ]
    )
    assert [r["code"] for r in ack["rejected"]] == ["not_permitted"] * 3
    assert ack["applied"] == 0
    assert stored(hq, interview) == before
    assert mallory.pull_all() == ([], [])
    # Every write is stored as the pushing device's own node, whatever it sends.
    facility = new_id()
    mallory.push([mallory.change("facility", facility, "name", "Planta")])
    assert [node for _value, _hlc, node in stored(hq, facility).values()] == [mallory.node]


def test_a_replacement_laptop_takes_over_after_revocation(
    enrol: DeviceFactory, hq: RunningHQ
) -> None:
    lost, ben = enrol("Ana"), enrol("Ben")
    interview = new_id()
    lost.push([lost.change("interview", interview, "notes", "Before the laptop was lost")])
    # Before the lost laptop is revoked, no code may replace it.
    with pytest.raises(AdminError, match="not revoked"):
        hq.enroll("Ana (new laptop)", replaces=lost.device_id)
    hq.revoke(lost.device_id)
    new = TestDevice.enrol_with(hq, hq.enroll("Ana (new laptop)", replaces=lost.device_id))
    try:
        changes, _ = new.pull_all()
        assert values(changes) == {(interview, "notes"): "Before the laptop was lost"}
        ack = new.push(
            [
                new.change("interview", interview, "notes", "Written on the new laptop"),
                new.change("interview", interview, "shared", True),
            ]
        )
        assert ack["rejected"] == [] and ack["applied"] == 2
        changes, _ = ben.pull_all()
        assert values(changes)[(interview, "notes")] == "Written on the new laptop"
        assert lost.sync(cursor=0).status_code == 403  # the lost laptop stays revoked
    finally:
        new.close()


def test_a_vault_enrolling_again_keeps_its_node_with_its_token(
    enrol: DeviceFactory, hq: RunningHQ
) -> None:
    ana = enrol("Ana")
    interview = new_id()
    ana.push([ana.change("interview", interview, "notes", "Mine")])
    old_token = ana.http.headers["Authorization"].removeprefix("Bearer ")
    wrong = enrol_raw(hq, hq.enroll("Ana"), ana.node, token="x" * 43)
    assert wrong.status_code == 403
    again = enrol_raw(hq, hq.enroll("Ana"), ana.node, token=old_token)
    assert again.status_code == 200
    assert ana.sync(cursor=0).status_code == 403  # the old token is retired
    ana.http.headers["Authorization"] = f"Bearer {again.json()['token']}"
    ack = ana.push([ana.change("interview", interview, "notes", "Still mine")])
    assert ack["rejected"] == []
