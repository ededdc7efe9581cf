"""A save from the editor records the other side of a link the work keeps on both sides (a
case's linked tips, a tip's case) in the same transaction, and says which records it changed."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldkit.domain.choices import Consent, TriageStatus
from fieldkit.domain.records import Case, Facility, Interview, Tip
from fieldkit.errors import ValidationFailed
from fieldkit.services.vault import Vault

DAY = "2026-03-10"


def test_a_case_saved_with_a_new_tip_links_the_tip(vault: Vault) -> None:
    plant = vault.records.create(Facility(name="Planta Silao"))
    tip = vault.records.create(Tip(received_on=dt.date(2026, 3, 1), subject="Horas extra"))
    interview = vault.records.create(
        Interview(
            facility_id=plant.id,
            held_on=dt.date(2026, 3, 2),
            pseudonym="Garza",
            consent=Consent.GIVEN,
        )
    )
    saved = vault.records.save_from(
        "case",
        None,
        {
            "reference": "RRM-1",
            "facility_id": plant.id,
            "received_on": DAY,
            "tip_ids": [tip.id],
            "interview_ids": [interview.id],
        },
    )
    assert isinstance(saved.record, Case) and saved.kinds == ("case", "tip")
    linked = vault.records.get(Tip, tip.id)
    assert linked.case_id == saved.record.id and linked.triage is TriageStatus.LINKED_TO_CASE
    assert saved.linked == (linked,)
    # A linked interview is recorded on the case only: the interview is not changed.
    assert vault.records.get(Interview, interview.id) == interview
    # Saved again with nothing new: nothing else changes.
    again = vault.records.save_from("case", saved.record.id, {"petitioner": "Sindicato"})
    assert again.linked == () and again.kinds == ("case",)


def test_a_tip_saved_with_a_case_is_listed_on_the_case(vault: Vault) -> None:
    plant = vault.records.create(Facility(name="Planta Silao"))
    case = vault.records.create(
        Case(reference="RRM-2", facility_id=plant.id, received_on=dt.date(2026, 3, 1))
    )
    tip = vault.records.create(Tip(received_on=dt.date(2026, 3, 1), subject="Despidos"))
    saved = vault.records.save_from("tip", tip.id, {"case_id": case.id})
    assert vault.records.get(Case, case.id).tip_ids == (tip.id,)
    # The tip stays as the person saved it (its triage is theirs to set).
    assert saved.record.triage is TriageStatus.NEW and saved.kinds == ("tip", "case")


def test_a_refused_save_changes_no_other_record(vault: Vault) -> None:
    tip = vault.records.create(Tip(received_on=dt.date(2026, 3, 1), subject="Despidos"))
    with pytest.raises(ValidationFailed):
        vault.records.save_from("case", None, {"reference": "", "tip_ids": [tip.id]})
    assert vault.records.get(Tip, tip.id) == tip
