"""Every branch of a case's lifecycle is reachable, and an event that cannot follow is refused
with its reason."""

from __future__ import annotations

import datetime as dt
import inspect
from enum import StrEnum

import pytest

from fieldkit.domain import choices
from fieldkit.domain.case_lifecycle import (
    TRANSITIONS,
    TransitionRefused,
    next_events,
    record_event,
    replay,
)
from fieldkit.domain.choices import CaseEvent as E
from fieldkit.domain.choices import CaseStage as S
from fieldkit.domain.choices import CaseType as T
from fieldkit.domain.records import Case
from fieldkit.domain.validation import validate
from fieldkit.domain.values import CaseStep
from fieldkit.i18n import SPANISH, set_language

START = dt.date(2024, 1, 8)

# Each path a real case can take, event by event, with the stage it ends in.
PATHS: dict[str, tuple[T, tuple[E, ...], S]] = {
    "ilc_insufficient_certified": (
        T.RRM_PETITION,
        (E.PETITION_RECEIVED, E.ILC_INSUFFICIENT, E.CERTIFICATION_SENT),
        S.EVIDENCE_INSUFFICIENT,
    ),
    "remediation_with_company_verified": (
        T.RRM_PETITION,
        (
            E.PETITION_RECEIVED,
            E.ILC_SUFFICIENT,
            E.REVIEW_REQUESTED,
            E.LIQUIDATION_SUSPENDED,
            E.MEXICO_AGREED_TO_REVIEW,
            E.MEXICO_FOUND_NO_DENIAL,
            E.REMEDIATION_AGREED,
            E.REMEDIATION_VERIFIED,
            E.LIQUIDATION_RESUMED,
        ),
        S.CLOSED,
    ),
    "self_initiated_denial_remediated": (
        T.RRM_SELF_INITIATED,
        (
            E.REVIEW_REQUESTED,
            E.MEXICO_AGREED_TO_REVIEW,
            E.MEXICO_FOUND_DENIAL,
            E.REMEDIATION_AGREED,
        ),
        S.REMEDIATION_AGREED,
    ),
    "mexico_declined_panel_no_jurisdiction": (
        T.RRM_PETITION,
        (
            E.PETITION_RECEIVED,
            E.ILC_SUFFICIENT,
            E.REVIEW_REQUESTED,
            E.MEXICO_DECLINED,
            E.PANEL_REQUESTED,
            E.PANEL_CONSTITUTED,
            E.PANEL_NO_JURISDICTION,
        ),
        S.CLOSED,
    ),
    "no_denial_panel_verifies_no_denial": (
        T.RRM_SELF_INITIATED,
        (
            E.REVIEW_REQUESTED,
            E.MEXICO_AGREED_TO_REVIEW,
            E.MEXICO_FOUND_NO_DENIAL,
            E.PANEL_REQUESTED,
            E.PANEL_CONSTITUTED,
            E.VERIFICATION_REQUESTED,
            E.VERIFICATION_HELD,
            E.PANEL_FOUND_NO_DENIAL,
        ),
        S.CLOSED,
    ),
    "remediation_not_verified_panel_remedies_lifted": (
        T.RRM_SELF_INITIATED,
        (
            E.REVIEW_REQUESTED,
            E.MEXICO_AGREED_TO_REVIEW,
            E.MEXICO_FOUND_DENIAL,
            E.REMEDIATION_AGREED,
            E.REMEDIATION_NOT_VERIFIED,
            E.PANEL_REQUESTED,
            E.PANEL_CONSTITUTED,
            E.PANEL_FOUND_DENIAL,
            E.REMEDIES_IMPOSED,
            E.REMEDIES_LIFTED,
        ),
        S.CLOSED,
    ),
    "no_answer_in_10_days_panel_denial": (
        T.RRM_SELF_INITIATED,
        (E.REVIEW_REQUESTED, E.PANEL_REQUESTED, E.PANEL_CONSTITUTED, E.PANEL_FOUND_DENIAL),
        S.PANEL_FOUND_DENIAL,
    ),
    "labor_chapter_further_review": (
        T.LABOR_CHAPTER,
        (E.PETITION_RECEIVED, E.FURTHER_REVIEW, E.ILC_SUFFICIENT, E.CASE_CLOSED),
        S.CLOSED,
    ),
}


def dated(events: tuple[E, ...]) -> tuple[CaseStep, ...]:
    return tuple(
        CaseStep(event=e, on=START + dt.timedelta(days=3 * i)) for i, e in enumerate(events)
    )


@pytest.mark.parametrize("path", sorted(PATHS))
def test_every_branch_is_reachable(path: str) -> None:
    case_type, events, end = PATHS[path]
    assert replay(case_type, dated(events)) is end
    case = Case(reference="x", case_type=case_type)
    for step in dated(events):
        case = record_event(case, step.event, step.on or START)
    assert case.stage is end and _only_required_fields(case)


def _only_required_fields(case: Case) -> bool:
    return {p.path for p in validate(case)} <= {"facility_id", "received_on"}


def test_the_paths_use_every_event() -> None:
    used = {e for _, events, _ in PATHS.values() for e in events}
    assert used == set(TRANSITIONS)


def test_an_invalid_transition_is_refused_with_its_reason() -> None:
    case = record_event(Case(reference="x"), E.PETITION_RECEIVED, START)
    with pytest.raises(TransitionRefused) as refused:
        record_event(case, E.PANEL_CONSTITUTED, START)
    assert "Panel constituted" in refused.value.reason
    assert "Petition received" in refused.value.reason and "Panel requested" in refused.value.reason
    set_language(SPANISH)
    with pytest.raises(TransitionRefused, match="no puede seguir"):
        record_event(case, E.MEXICO_FOUND_DENIAL, START)


@pytest.mark.parametrize(
    ("case_type", "events", "words"),
    [
        (T.LABOR_CHAPTER, (E.FURTHER_REVIEW,), "begins with"),
        (T.RRM_SELF_INITIATED, (E.PETITION_RECEIVED,), "does not happen"),
        (T.LABOR_CHAPTER, (E.PETITION_RECEIVED, E.ILC_SUFFICIENT, E.REVIEW_REQUESTED), "type"),
        (T.RRM_SELF_INITIATED, (E.REVIEW_REQUESTED, E.LIQUIDATION_RESUMED), "never suspended"),
    ],
)
def test_refusals_name_the_rule(case_type: T, events: tuple[E, ...], words: str) -> None:
    with pytest.raises(TransitionRefused, match=words):
        replay(case_type, dated(events))


def test_an_event_dated_before_the_previous_one_is_refused() -> None:
    case = record_event(Case(reference="x"), E.PETITION_RECEIVED, START)
    with pytest.raises(TransitionRefused, match="before the case's previous event"):
        record_event(case, E.ILC_SUFFICIENT, START - dt.timedelta(days=1))


def test_validation_names_the_step_that_cannot_follow() -> None:
    bad = Case(reference="x", events=dated((E.PETITION_RECEIVED, E.REMEDIES_LIFTED)))
    problems = {p.path: p.message for p in validate(bad)}
    assert "Remedies lifted" in problems["events"]


def test_a_stage_the_events_do_not_lead_to_is_refused() -> None:
    case = Case(reference="x", events=dated((E.PETITION_RECEIVED,)), stage=S.REMEDIES_IMPOSED)
    problems = {p.path: p.message for p in validate(case)}
    assert "Petition received" in problems["stage"]


def test_open_branches_after_mexicos_results() -> None:
    events = (E.REVIEW_REQUESTED, E.MEXICO_AGREED_TO_REVIEW, E.MEXICO_FOUND_DENIAL)
    case = Case(reference="x", case_type=T.RRM_SELF_INITIATED, events=dated(events))
    assert set(next_events(case)) == {E.REMEDIATION_AGREED, E.PANEL_REQUESTED, E.CASE_CLOSED}


def test_new_choices_share_no_value_with_another_vocabulary() -> None:
    # Labels are looked up by value: an event named like a stage would show the stage's label.
    mine = {E, T, choices.DayCount, choices.RemediationParty, choices.SanctionKind}
    vocabularies = [
        v for v in vars(choices).values() if inspect.isclass(v) and issubclass(v, StrEnum)
    ]
    for enum in mine:
        for other in vocabularies:
            if other is not enum and other is not StrEnum:
                assert not {m.value for m in enum} & {m.value for m in other}, (enum, other)
    assert choices.label(S.REMEDIATION_AGREED) == "Remediation plan agreed"
    assert choices.label(E.REMEDIATION_AGREED) == "Course of remediation agreed"
