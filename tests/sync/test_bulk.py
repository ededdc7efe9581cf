"""Records that travel in bulk (whole new records, many pages in one round) end in the same
state as records that travel field by field, and stay mergeable field by field afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fieldkit.domain.records import Facility, Visit
from tests.sync.devices import Device

MakeDevice = Callable[..., Device]
KINDS = ("facility", "visit")
VISITS = 420
PAGE = 150  # entries per pull page: the 421 records arrive over three pages


def many_visits(device: Device) -> list[Visit]:
    facility = device.create(Facility(name="Ensambladora del Bajío"))
    return [
        device.create(
            Visit(
                facility_id=facility.id,
                start_date=dt.date(2026, 1, 1) + dt.timedelta(days=n),
                summary=f"Visita {n}",
                findings=f"Hallazgo {n}: horas extra sin pago en la línea {n % 7}.",
            )
        )
        for n in range(VISITS)
    ]


def test_records_pulled_whole_and_pulled_field_by_field_converge(device: MakeDevice) -> None:
    ana, luis, marta = device("ana"), device("luis"), device("marta")
    visits = many_visits(ana)
    ana.sync()
    luis.pull_limit = PAGE
    first = luis.sync()  # every record arrives whole, over several pages
    assert first.pulled > 2000 and first.requests >= 3
    for n, visit in enumerate(visits[:40]):
        ana.edit(visit, summary=f"Visita {n} revisada", observations="Avisos sindicales.")
    ana.sync()
    luis.sync()  # luis receives the edits field by field
    marta.sync()  # marta receives each record once, already edited
    assert luis.snapshot(KINDS) == ana.snapshot(KINDS)
    assert marta.snapshot(KINDS) == ana.snapshot(KINDS)
    for word in ("revisada", "hallazgo", "sindicales"):
        found = {
            d.name: {h.record_id for h in d.store.search(word, limit=500)}
            for d in (ana, luis, marta)
        }
        assert found["luis"] == found["ana"] == found["marta"] and found["ana"]
    # Later edits land the same on both, whichever way they first got the record.
    ana.edit(visits[3], findings="Hallazgo corregido.")
    ana.sync()
    luis.sync()
    marta.sync()
    assert luis.snapshot(KINDS) == marta.snapshot(KINDS) == ana.snapshot(KINDS)
    assert luis.store.integrity_problems() == marta.store.integrity_problems() == []


def test_concurrent_edits_of_different_fields_of_a_bulk_synced_record_both_survive(
    device: MakeDevice,
) -> None:
    ana, luis = device("ana"), device("luis")
    visits = many_visits(ana)
    ana.sync()
    luis.sync()
    target = visits[7]
    ana.edit(target, findings="Despidos tras la votación.")
    luis.edit(target, summary="Visita de seguimiento", observations="Sin avisos.")
    for first, second in ((luis, ana), (ana, luis)):
        first.sync()
        second.sync()
    for each in (ana, luis):
        merged = each.records.get(Visit, target.id)
        assert merged.findings == "Despidos tras la votación."
        assert (merged.summary, merged.observations) == ("Visita de seguimiento", "Sin avisos.")
        assert each.conflicts() == []  # different fields: merged, nothing to resolve
    assert luis.snapshot(KINDS) == ana.snapshot(KINDS)
