"""Fixtures shared by the service tests: a small vault scene for reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fieldkit.domain.choices import Consent
from fieldkit.domain.records import Case, Facility, Grant, Interview, Tip, Visit
from fieldkit.reports.model import Profile, ReportOptions
from fieldkit.services.vault import Vault

DAY = dt.date(2026, 3, 10)
SECRET = {
    "pseudonym": "Garza-7781",
    "place": "Fonda La Esperanza, junto a la caseta",
    "role_details": "soldadora del turno nocturno, línea 3",
    "risk_notes": "el supervisor ya la amenazó",
    "safe_contact": "sólo por Signal al 444",
}


@pytest.fixture
def scene(vault: Vault) -> dict[str, object]:
    records = vault.records
    plant = records.create(Facility(name="Llantas del Centro"))
    grant = records.create(Grant(award_number="IL-1", grantee="ONG", amount=Decimal(1000)))
    visit = records.create(
        Visit(
            facility_id=plant.id,
            grant_id=grant.id,
            start_date=DAY,
            findings="Se verificó el pago retroactivo.",
        )
    )
    interview = records.create(
        Interview(
            visit_id=visit.id,
            held_on=DAY,
            consent=Consent.GIVEN,
            notes="Relata despidos.",
            **SECRET,
        )
    )
    other_visit = records.create(Visit(facility_id=plant.id, start_date=DAY + dt.timedelta(40)))
    records.create(Interview(visit_id=other_visit.id, held_on=DAY, pseudonym="Otra"))
    attachment = vault.attachments.attach_bytes(visit, "minuta.txt", b"minuta")
    case = records.create(Case(reference="RRM-1", facility_id=plant.id, received_on=DAY))
    tip = records.create(Tip(subject="Despidos", received_on=DAY))
    records.link(case, visit)
    records.link(case, interview)
    records.link(tip, case)
    return {
        "plant": plant,
        "grant": grant,
        "visit": visit,
        "interview": interview,
        "other_visit": other_visit,
        "attachment": attachment,
        "case": case,
        "tip": tip,
    }


def options(profile: Profile = Profile.SHAREABLE) -> ReportOptions:
    return ReportOptions(language="es_MX", profile=profile)
