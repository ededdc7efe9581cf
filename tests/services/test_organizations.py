"""Organizations are records a visit can be held at: a workshop at a conciliation center is
filed under the center, not under an auto plant."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import sqlite_utils

from fieldkit.domain.choices import MexicanState, OrganizationType
from fieldkit.domain.records import Facility, Organization, Visit
from fieldkit.domain.validation import validate
from fieldkit.errors import ValidationFailed
from fieldkit.reports.model import Profile, ReportOptions
from fieldkit.services.demo import fill_with_demo_data
from fieldkit.services.records import RecordService
from fieldkit.services.vault import Vault
from fieldkit.store.connection import open_encrypted
from fieldkit.store.schema import migrations, schema_version
from fieldkit.store.store import Store
from tests.services.test_report_pdfs import everything_readable, squash

CENTER = "Centro de Conciliación Laboral del Estado de Aguascalientes"


def _center() -> Organization:
    return Organization(
        name=CENTER,
        org_type=OrganizationType.CONCILIATION_CENTER,
        acronym="CCLEA",
        state=MexicanState.AGU,
    )


def test_a_visit_is_held_at_a_facility_or_an_organization() -> None:
    nowhere = Visit(start_date=dt.date(2026, 11, 18))
    assert [p.field for p in validate(nowhere)] == ["facility_id"]
    at_center = Visit(organization_id=_center().id, start_date=dt.date(2026, 11, 18))
    assert validate(at_center) == []
    at_plant = Visit(facility_id=Facility(name="Planta").id, start_date=dt.date(2026, 11, 18))
    assert validate(at_plant) == []


def test_a_visit_at_no_place_is_refused_and_not_saved(vault: Vault) -> None:
    with pytest.raises(ValidationFailed):
        vault.records.create(Visit(start_date=dt.date(2026, 11, 18)))
    assert vault.records.count(Visit) == 0


def test_linking_a_visit_to_an_organization(vault: Vault) -> None:
    center = vault.records.create(_center())
    plant = vault.records.create(Facility(name="Ensambladora Hidrocálida"))
    visit = vault.records.create(Visit(facility_id=plant.id, start_date=dt.date(2026, 11, 18)))
    vault.records.link(visit, center)
    assert vault.records.get(Visit, visit.id).organization_id == center.id
    assert vault.records.search(CENTER.split(maxsplit=1)[0])  # organizations are searchable


@pytest.mark.parametrize("language", ["en_US", "es_MX"])
def test_the_visit_report_names_the_organization(vault: Vault, language: str) -> None:
    center = vault.records.create(_center())
    visit = vault.records.create(
        Visit(organization_id=center.id, start_date=dt.date(2026, 11, 18), summary="Taller")
    )
    options = ReportOptions(language=language, profile=Profile.SHAREABLE)
    text = squash(
        everything_readable(vault.reports.render_pdf(vault.reports.visit_report(visit.id, options)))
    )
    assert squash(CENTER) in text
    kind = "Local conciliation center" if language == "en_US" else "Centro de conciliación local"
    assert squash(kind).lower() in text.lower()


def test_the_demo_workshop_is_held_at_the_conciliation_center(vault: Vault) -> None:
    made = fill_with_demo_data(vault)
    assert made["organization"] >= 3
    workshops = [v for v in vault.records.list(Visit) if v.organization_id is not None]
    assert workshops and all(v.facility_id is None for v in workshops)
    held_at = {vault.records.get(Organization, v.organization_id).name for v in workshops}  # type: ignore[arg-type]
    assert CENTER in held_at


def test_a_version_9_vault_gains_organizations(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "v9.db"
    conn = open_encrypted(path, key)
    db = sqlite_utils.Database(conn)
    migrations.apply(db, stop_before="0010_organizations")
    assert schema_version(db) == 9
    conn.close()
    store = Store.open(path, key)
    records = RecordService(store)
    center = records.create(_center())
    visit = records.create(Visit(organization_id=center.id, start_date=dt.date(2026, 11, 18)))
    assert records.get(Visit, visit.id).organization_id == center.id
    store.close()
