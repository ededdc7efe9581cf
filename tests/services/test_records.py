from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from fieldkit.domain.choices import Consent, TriageStatus
from fieldkit.domain.ids import new_id
from fieldkit.domain.records import Case, Facility, Grant, Interview, Tip, Visit
from fieldkit.domain.search_text import MATCH_END, MATCH_START
from fieldkit.errors import InvalidLink, RecordNotFound, UnknownKind, ValidationFailed
from fieldkit.services.vault import Vault
from fieldkit.store.audit import AuditAction

DAY = dt.date(2025, 6, 2)


def facility(vault: Vault, name: str = "Planta Silao") -> Facility:
    return vault.records.create(Facility(name=name))


def test_create_get_list_count(vault: Vault) -> None:
    first = facility(vault, "A")
    second = facility(vault, "B")
    assert vault.records.get(Facility, first.id) == first
    assert [f.name for f in vault.records.list(Facility)] == ["B", "A"]
    assert vault.records.count(Facility) == 2
    assert first.author_device == vault.store.device_id
    assert first.created_at == first.updated_at
    assert second.id > first.id


def test_update_keeps_identity_and_audits_field_names_only(vault: Vault) -> None:
    plant = facility(vault)
    edited = vault.records.update(dataclasses.replace(plant, municipality="Silao de la Victoria"))
    assert edited.id == plant.id and edited.created_at == plant.created_at
    assert edited.updated_at > plant.updated_at
    entry = vault.store.recent_audit()[0]
    assert entry.action is AuditAction.EDITED and entry.detail == "municipality"


def test_invalid_records_are_refused_with_every_field_named(vault: Vault) -> None:
    with pytest.raises(ValidationFailed) as caught:
        vault.records.create(Visit())
    assert {p.field for p in caught.value.problems} == {"facility_id", "start_date"}
    assert vault.records.count(Visit) == 0
    assert vault.store.journal_entries() == []


def test_references_must_exist(vault: Vault) -> None:
    with pytest.raises(ValidationFailed) as caught:
        vault.records.create(Visit(facility_id=new_id(), start_date=DAY))
    assert [p.field for p in caught.value.problems] == ["facility_id"]


def test_delete_is_soft_and_undoable(vault: Vault) -> None:
    plant = facility(vault)
    vault.records.delete(Facility, plant.id)
    assert vault.records.list(Facility) == []
    assert vault.records.get(Facility, plant.id).deleted
    assert vault.records.search("silao") == []
    vault.records.restore(Facility, plant.id)
    assert [f.id for f in vault.records.list(Facility)] == [plant.id]
    assert [h.record_id for h in vault.records.search("silao")] == [plant.id]
    actions = [a.action for a in vault.store.recent_audit()[:2]]
    assert actions == [AuditAction.RESTORED, AuditAction.DELETED]


def test_missing_record_and_unknown_kind(vault: Vault) -> None:
    with pytest.raises(RecordNotFound):
        vault.records.get(Facility, new_id())
    with pytest.raises(UnknownKind):
        vault.records.create_from("inspection", {})


def test_links_the_way_the_work_links_them(vault: Vault) -> None:
    plant = facility(vault)
    other = facility(vault, "Otra")
    grant = vault.records.create(Grant(award_number="IL-1", grantee="ONG", amount=Decimal(1000)))
    visit = vault.records.create(Visit(facility_id=other.id, start_date=DAY))
    interview = vault.records.create(
        Interview(pseudonym="Garza", facility_id=None, visit_id=visit.id, held_on=DAY)
    )
    case = vault.records.create(Case(reference="RRM-1", facility_id=other.id, received_on=DAY))
    tip = vault.records.create(Tip(subject="Despidos", received_on=DAY))

    (visit,) = vault.records.link(visit, plant)
    assert visit.facility_id == plant.id
    (visit,) = vault.records.link(grant, visit)  # either order
    assert visit.grant_id == grant.id
    (case,) = vault.records.link(case, visit)
    (case,) = vault.records.link(interview, case)
    assert case.visit_ids == (visit.id,) and case.interview_ids == (interview.id,)
    case, tip = vault.records.link(case, tip)
    assert case.tip_ids == (tip.id,) and tip.case_id == case.id
    assert tip.triage is TriageStatus.LINKED_TO_CASE
    assert vault.records.link(case, tip)[0].tip_ids == (tip.id,)  # linking twice adds nothing
    with pytest.raises(InvalidLink):
        vault.records.link(plant, other)


def test_linking_a_stale_copy_keeps_earlier_links(vault: Vault) -> None:
    plant = facility(vault)
    case = vault.records.create(Case(reference="RRM-9", facility_id=plant.id, received_on=DAY))
    first = vault.records.create(Visit(facility_id=plant.id, start_date=DAY))
    second = vault.records.create(Visit(facility_id=plant.id, start_date=DAY))
    vault.records.link(case, first)
    (linked,) = vault.records.link(case, second)  # `case` is the copy from before the 1st link
    assert linked.visit_ids == (first.id, second.id)


def test_interview_linked_to_a_visit_takes_its_facility(vault: Vault) -> None:
    plant = facility(vault)
    first = vault.records.create(Visit(facility_id=plant.id, start_date=DAY))
    other = vault.records.create(Visit(facility_id=facility(vault, "Otra").id, start_date=DAY))
    made = vault.records.create(Interview(pseudonym="Colibrí", visit_id=first.id, held_on=DAY))
    assert made.facility_id == plant.id  # recorded from a visit: the visit's facility
    lone = vault.records.create(
        Interview(pseudonym="Ceiba", facility_id=None, held_on=DAY, visit_id=first.id)
    )
    lone = vault.records.update(dataclasses.replace(lone, facility_id=None))
    assert lone.facility_id is None
    (linked,) = vault.records.link(lone, other)
    assert linked.visit_id == other.id and linked.facility_id == other.facility_id


def test_interview_search_hits_carry_no_snippet(vault: Vault) -> None:
    plant = facility(vault)
    vault.records.create(
        Interview(
            pseudonym="Garza",
            facility_id=plant.id,
            held_on=DAY,
            consent=Consent.GIVEN,
            notes="el supervisor amenazó con despedirla",
        )
    )
    (hit,) = vault.records.search("amenazo")
    assert hit.kind == "interview" and hit.title == "Garza" and hit.snippet == ""
    (hit,) = vault.records.search("silao")
    assert f"{MATCH_START}Silao{MATCH_END}" in hit.snippet


def test_create_and_update_from_plain_values(vault: Vault) -> None:
    plant = vault.records.create_from(
        "facility", {"name": "Planta", "state": "SLP", "id": "ignored", "deleted": True}
    )
    assert not plant.deleted and plant.id != "ignored"
    updated = vault.records.update_from("facility", plant.id, {"unions": ["SNTMMSSRM"]})
    assert updated.unions == ("SNTMMSSRM",) and updated.state == plant.state
    with pytest.raises(ValidationFailed):
        vault.records.update_from("facility", plant.id, {"sector": "cars"})


def test_attachments_are_stored_inside_the_vault(vault: Vault, tmp_path) -> None:  # type: ignore[no-untyped-def]
    plant = facility(vault)
    source = tmp_path / "acta.txt"
    source.write_bytes("Minuta de la reunión\n".encode())
    attachment = vault.attachments.attach_file(plant, source, description="minuta")
    assert attachment.size == source.stat().st_size and attachment.media_type == "text/plain"
    assert vault.attachments.read(attachment) == source.read_bytes()
    assert vault.attachments.list_for(plant) == [attachment]
