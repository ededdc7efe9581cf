"""The test helper's restart: same port, same data, devices carry on (client tests rely on it)."""

from __future__ import annotations

import httpx
import pytest

from fieldkit.domain.ids import new_id
from tests.hq.client import values
from tests.hq.conftest import DeviceFactory
from tests.hq_server import RunningHQ


def test_a_restart_keeps_port_data_and_tokens(hq: RunningHQ, enrol: DeviceFactory) -> None:
    ana, ben = enrol("Ana"), enrol("Ben")
    facility = new_id()
    ana.push([ana.change("facility", facility, "name", "Before")])
    port, server_id = hq.port, hq.server_id
    hq.stop()
    with pytest.raises(httpx.TransportError):
        ben.sync(cursor=0)
    code = hq.enroll("Carla")  # admin commands work while the server is down
    hq.start()
    assert hq.port == port
    assert httpx.get(hq.url + "/v1/health").json()["server_id"] == server_id
    ana.push([ana.change("facility", facility, "municipality", "After")])
    assert values(ben.pull_all()[0]) == {
        (facility, "name"): "Before",
        (facility, "municipality"): "After",
    }
    carla = httpx.post(hq.url + "/v1/enrol", json={"code": code, "node": "n-c", "label": "l"})
    assert carla.status_code == 200
    hq.revoke("Ana")
    assert ana.sync(cursor=0).status_code == 403
