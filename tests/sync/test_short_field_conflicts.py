"""Concurrent edits of short fields (a municipality, a case's stage, a date, a list) are kept as
conflicts like long text: real vaults, a real HQ on loopback, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fieldkit.domain.choices import Allegation, CaseStage
from fieldkit.domain.records import Case, Facility
from fieldkit.services.sync import SyncService
from tests.sync.devices import Device

MakeDevice = Callable[..., Device]
D = dt.date


def settle(*fleet: Device) -> None:
    """Two rounds each: everything pushed, then everything pulled everywhere."""
    for _ in range(2):
        for each in fleet:
            each.sync()


def test_three_devices_setting_short_fields_at_once_keep_every_value(device: MakeDevice) -> None:
    ana, luis, marta = device("ana"), device("luis"), device("marta")
    plant = ana.create(Facility(name="Autopartes del Norte", municipality="Saltillo"))
    case = ana.create(
        Case(reference="RRM-2026-07", facility_id=plant.id, received_on=D(2026, 5, 4))
    )
    settle(ana, luis, marta)

    # The same three fields changed on three laptops before any of them syncs.
    edits = {
        ana: (
            "Ramos Arizpe",
            CaseStage.REVIEW_REQUESTED,
            D(2026, 5, 5),
            (Allegation.UNION_DISMISSAL,),
        ),
        luis: ("Arteaga", CaseStage.UNDER_REVIEW, D(2026, 5, 6), (Allegation.LEGITIMATION_VOTE,)),
        marta: ("Derramadero", CaseStage.CLOSED, D(2026, 5, 7), (Allegation.PROTECTION_CONTRACT,)),
    }
    for each, (town, stage, received, allegations) in edits.items():
        each.edit(plant, municipality=town)
        each.edit(case, stage=stage.value, received_on=received.isoformat())
        each.edit(case, allegations=[a.value for a in allegations])
    settle(ana, luis, marta)

    fleet = (ana, luis, marta)
    # Every device converged on the same values, and holds the same conflicts.
    towns = {each.records.get(Facility, plant.id).municipality for each in fleet}
    assert len(towns) == 1
    ids = [sorted(c.id for c in each.conflicts()) for each in fleet]
    assert ids[0] and all(found == ids[0] for found in ids)
    # No value vanished: each device's edit is the value or a side of a conflict on its field.
    for field, position, plain in (
        ("municipality", 0, lambda v: v),
        ("stage", 1, lambda v: v.value),
        ("received_on", 2, lambda v: v.isoformat()),
        ("allegations", 3, lambda v: [a.value for a in v]),
    ):
        held = {
            str(side["value"])
            for c in ana.conflicts()
            if c.field == field
            for side in (c.kept, c.other)
        }
        for each, values in edits.items():
            written = plain(values[position])
            assert str(written) in held, (field, each.name, written)

    # A person settles the municipality on one laptop; it is settled everywhere.
    towns_conflicts = [c for c in luis.conflicts() if c.field == "municipality"]
    service = SyncService(luis.store, luis.records, "vault")
    for conflict in towns_conflicts:
        service.resolve(conflict.id, "Ramos Arizpe")
    settle(luis, ana, marta)
    for each in fleet:
        assert [c for c in each.conflicts() if c.field == "municipality"] == []
        assert each.records.get(Facility, plant.id).municipality == "Ramos Arizpe"
        # The other fields' conflicts are still waiting for a person.
        assert {c.field for c in each.conflicts()} == {"stage", "received_on", "allegations"}


def test_a_clock_ahead_device_raises_a_conflict_instead_of_silently_winning(
    device: MakeDevice,
) -> None:
    ana, luis = device("ana"), device("luis")
    plant = ana.create(Facility(name="Planta Sur", municipality="Toluca"))
    settle(ana, luis)
    real = ana.store.clock._wall_ms
    ana.store.clock._wall_ms = lambda: real() + 3 * 60_000  # type: ignore[method-assign]
    ana.edit(plant, municipality="Metepec")  # Ana's clock runs three minutes ahead
    luis.edit(plant, municipality="Lerma")  # Luis's edit is the later one in real time
    settle(luis, ana)
    # Ana's clock wins the field (every device converges on it)...
    for each in (ana, luis):
        assert each.records.get(Facility, plant.id).municipality == "Metepec"
    # ...but Luis's later edit is kept in a conflict on both devices, not erased.
    for each in (ana, luis):
        (conflict,) = each.conflicts()
        assert conflict.field == "municipality"
        assert (conflict.kept["value"], conflict.other["value"]) == ("Metepec", "Lerma")
        assert conflict.other["device_name"] == "luis"


def test_sequential_edits_of_short_fields_make_no_conflict(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    plant = ana.create(Facility(name="Planta Este", municipality="Apodaca"))
    settle(ana, luis)
    luis.edit(plant, municipality="Escobedo")
    settle(luis, ana)
    ana.edit(plant, municipality="Juárez")  # from Luis's version: sequential
    settle(ana, luis)
    assert ana.conflicts() == [] and luis.conflicts() == []
    assert luis.records.get(Facility, plant.id).municipality == "Juárez"


def test_a_field_set_back_to_its_default_keeps_its_version(device: MakeDevice) -> None:
    """HQ does not store a field left at its default when a record is made; a later edit that
    sets a field back to its default is stored like any edit. Were it dropped, its author
    would keep a newer version than HQ knows of and never take an older concurrent edit that
    every other laptop shows: the laptops would disagree for good."""
    ana, luis = device("ana"), device("luis")
    plant = ana.create(Facility(name="Autopartes del Norte"))
    settle(ana, luis)

    luis.edit(plant, municipality="Saltillo")  # earlier, on Luis's laptop
    ana.edit(plant, municipality="Ramos Arizpe")  # later, on Ana's: typed, then cleared
    ana.edit(plant, municipality="")
    settle(ana, luis)

    kept = ana.records.get(Facility, plant.id).municipality
    assert luis.records.get(Facility, plant.id).municipality == kept == ""  # Ana's is later
    assert ana.snapshot(("facility",)) == luis.snapshot(("facility",))
    (conflict,) = ana.conflicts()  # Luis's value is kept for a person to choose
    assert {conflict.kept["value"], conflict.other["value"]} == {"", "Saltillo"}
