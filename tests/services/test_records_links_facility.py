"""An interview recorded from a visit takes the visit's facility."""

from __future__ import annotations

import datetime as dt

from fieldkit.domain.choices import Consent
from fieldkit.domain.records import Facility, Interview, Visit
from fieldkit.services.vault import Vault


def test_an_interview_from_a_visit_takes_its_facility(vault: Vault) -> None:
    plant = vault.records.create(Facility(name="Planta Silao"))
    other = vault.records.create(Facility(name="Planta León"))
    visit = vault.records.create(Visit(facility_id=plant.id, start_date=dt.date(2026, 3, 10)))
    day = "2026-03-10"
    made = vault.records.create_from(
        "interview", {"visit_id": visit.id, "held_on": day, "pseudonym": "Garza"}
    )
    assert isinstance(made, Interview) and made.facility_id == plant.id
    chosen = vault.records.create(
        Interview(
            visit_id=visit.id,
            facility_id=other.id,  # a facility given on purpose is kept
            held_on=dt.date(2026, 3, 10),
            pseudonym="Ceiba",
            consent=Consent.GIVEN,
        )
    )
    assert chosen.facility_id == other.id
