"""HQ learns which FieldKit version each device runs from its sync requests, and the console
shows it; another agent's requests report nothing."""

from __future__ import annotations

from fieldkit import __version__
from fieldkit.hq.app_versions import app_versions, version_in
from fieldkit.hq.console.overview import device_rows
from tests.hq_server import RunningHQ
from tests.sync.devices import Device


def test_hq_records_the_version_a_device_syncs_with(hq: RunningHQ, device) -> None:  # type: ignore[no-untyped-def]
    ana: Device = device("ana")
    luis: Device = device("luis")
    assert app_versions(hq.storage) == {}
    ana.sync()
    assert app_versions(hq.storage) == {ana.device_id: __version__}
    rows = {row.status.device.id: row.app_version for row in device_rows(hq.storage)}
    assert rows == {ana.device_id: __version__, luis.device_id: None}


def test_only_a_fieldkit_agent_names_a_version() -> None:
    assert version_in("FieldKit/0.2.0") == "0.2.0"
    assert version_in("FieldKit/1.0.0rc1 (Windows)") == "1.0.0rc1"
    for other in (None, "", "FieldKit", "curl/8.0", "FieldKit/<script>", "FieldKit/" + "9" * 40):
        assert version_in(other) is None
