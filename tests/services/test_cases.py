"""Recording case events through the services on a real vault: the stage follows, an event
that cannot follow is refused with its reason and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldkit.domain.choices import CaseEvent, CaseStage, CaseType
from fieldkit.domain.records import Case, Facility
from fieldkit.errors import CaseEventRefused, ValidationFailed
from fieldkit.services.cases import clocks_of, open_branches, record_case_event
from fieldkit.services.vault import Vault

DAY = dt.date(2021, 5, 12)


def silao(vault: Vault) -> Case:
    plant = vault.records.create(Facility(name="GM Silao"))
    return vault.records.create(
        Case(
            reference="RRM-2021-01",
            facility_id=plant.id,
            received_on=DAY,
            case_type=CaseType.RRM_SELF_INITIATED,
        )
    )


def test_events_move_the_stage_and_start_the_clocks(vault: Vault) -> None:
    case = silao(vault)
    case = record_case_event(vault.records, case.id, CaseEvent.REVIEW_REQUESTED, DAY)
    assert case.stage is CaseStage.REVIEW_REQUESTED
    assert [(c.rule.id, c.due) for c in clocks_of(vault.records, case.id)] == [
        ("mexico_notice", dt.date(2021, 5, 22)),
        ("mexico_results", dt.date(2021, 6, 26)),
    ]
    assert CaseEvent.MEXICO_DECLINED in open_branches(vault.records, case.id)
    stored = vault.records.get(Case, case.id)
    assert stored.stage is CaseStage.REVIEW_REQUESTED and len(stored.events) == 1


def test_an_event_that_cannot_follow_is_refused_and_changes_nothing(vault: Vault) -> None:
    case = silao(vault)
    record_case_event(vault.records, case.id, CaseEvent.REVIEW_REQUESTED, DAY)
    with pytest.raises(CaseEventRefused) as refused:
        record_case_event(vault.records, case.id, CaseEvent.REMEDIES_IMPOSED, DAY)
    assert "cannot follow" in refused.value.message and "Remedies imposed" in refused.value.message
    assert vault.records.get(Case, case.id).stage is CaseStage.REVIEW_REQUESTED


def test_a_stage_chosen_by_hand_against_the_events_is_refused(vault: Vault) -> None:
    case = silao(vault)
    record_case_event(vault.records, case.id, CaseEvent.REVIEW_REQUESTED, DAY)
    with pytest.raises(ValidationFailed) as failed:
        vault.records.update_from("case", case.id, {"stage": "remedies_imposed"})
    assert [p.path for p in failed.value.problems] == ["stage"]
    assert "Record the event" in failed.value.message


def test_events_edited_as_a_list_set_the_stage(vault: Vault) -> None:
    case = silao(vault)
    events = [
        {"event": "ev_review_requested", "on": "2021-05-12"},
        {"event": "ev_mexico_agreed_to_review", "on": "2021-05-21"},
    ]
    saved = vault.records.update_from("case", case.id, {"events": events})
    assert saved.stage is CaseStage.MEXICO_REVIEWING  # type: ignore[attr-defined]


def test_a_case_without_events_keeps_its_stage_set_by_hand(vault: Vault) -> None:
    case = silao(vault)
    saved = vault.records.update_from("case", case.id, {"stage": "monitoring"})
    assert saved.stage is CaseStage.MONITORING  # type: ignore[attr-defined]
