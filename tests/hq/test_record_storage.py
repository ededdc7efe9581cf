"""HQ stores a record as one row (its fields as a document at one version) and a version of
their own only for fields edited later; pulls send a new record as one entry and an edit as
just the fields it changed, and no field is missed when a record's fields arrive in pieces."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from fieldkit.domain.ids import new_id
from fieldkit.hq.tables import field_versions, records
from tests.hq.client import TestDevice
from tests.hq.conftest import DeviceFactory
from tests.hq_server import RunningHQ

CREATED = "2026-11-03T10:00:00+00:00"


def push_records(device: TestDevice, edits: list[dict[str, Any]]) -> dict[str, Any]:
    answer = device.sync(protocol=2, batch=new_id(), records=edits, pull=False)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    assert result["rejected"] == []
    return result


def edit(record: str, hlc: int, **fields: Any) -> dict[str, Any]:
    return {"kind": "facility", "record": record, "hlc": hlc, "fields": fields}


def pull_records(device: TestDevice) -> list[dict[str, Any]]:
    """Every protocol-2 entry above the device's cursor."""
    found: list[dict[str, Any]] = []
    while True:
        answer = device.sync(protocol=2, cursor=device.cursor)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        device.cursor = page["cursor"]
        found += page["records"]
        if not page["more"]:
            return found


def counts(hq: RunningHQ) -> tuple[int, int]:
    with hq.storage.reading() as conn:
        rows = conn.execute(select(func.count()).select_from(records)).scalar_one()
        own = conn.execute(select(func.count()).select_from(field_versions)).scalar_one()
    return rows, own


def test_a_new_record_is_one_row_and_an_edit_one_field(enrol: DeviceFactory, hq: RunningHQ) -> None:
    ana, luis = enrol("Ana"), enrol("Luis")
    plants = [new_id() for _ in range(3)]
    made = ana.clock.now().pack()
    push_records(
        ana,
        [edit(p, made, created_at=CREATED, name=f"Planta {n}", municipality="Silao")
         for n, p in enumerate(plants)],
    )  # fmt: skip
    assert counts(hq) == (3, 0)
    first = pull_records(luis)
    assert [(r["record"], r["fields"]["name"]) for r in first] == [
        (p, f"Planta {n}") for n, p in enumerate(plants)
    ]
    later = ana.clock.now().pack()
    push_records(ana, [edit(plants[1], later, municipality="León")])
    assert counts(hq) == (3, 1)
    second = pull_records(luis)
    assert second == [
        {"kind": "facility", "record": plants[1], "hlc": later, "node": ana.node,
         "fields": {"municipality": "León"}}
    ]  # fmt: skip
    # A device that never pulled gets the record with its edit, each at its own version.
    maria = enrol("María")
    fresh = {
        (r["record"], name): (value, r["hlc"])
        for r in pull_records(maria)
        for name, value in r["fields"].items()
    }
    assert fresh[(plants[1], "municipality")] == ("León", later)
    assert fresh[(plants[1], "name")] == ("Planta 1", made)


def test_fields_of_a_new_record_sent_in_two_batches_all_reach_a_device_between_them(
    enrol: DeviceFactory, hq: RunningHQ
) -> None:
    ana, luis = enrol("Ana"), enrol("Luis")
    plant = new_id()
    hlc = ana.clock.now().pack()
    push_records(ana, [edit(plant, hlc, created_at=CREATED, name="Planta partida")])
    assert {name for r in pull_records(luis) for name in r["fields"]} == {"created_at", "name"}
    # The rest of the same save, at the same clock, in the next batch (a batch limit fell
    # between them): Luis, whose cursor is past the record already, still receives it.
    push_records(ana, [edit(plant, hlc, municipality="Ramos Arizpe", employer="Ensambles")])
    rest = pull_records(luis)
    assert {name: v for r in rest for name, v in r["fields"].items()} == {
        "municipality": "Ramos Arizpe",
        "employer": "Ensambles",
    }
    assert all(r["hlc"] == hlc for r in rest)
