"""The lifecycle of a USMCA labor case: which event may follow which stage, for each case type,
and the stage it leads to. Replaying a case's dated events gives its stage and its branch;
an event that cannot follow is refused with the reason.

RRM on a petition:  petition -> ILC determination -> request for review -> Mexico's notice
                    (reviews / declines) -> results (denial / no denial) -> remediation agreed ->
                    verified (closed) or not -> panel -> constituted -> verification ->
                    determination (denial / no denial / no jurisdiction) -> remedies -> lifted.
Self-initiated RRM: starts at the request for review.
Labor Chapter:      petition -> (further review) -> ILC determination -> closed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from fieldkit.domain.choices import CaseEvent as E
from fieldkit.domain.choices import CaseStage as S
from fieldkit.domain.choices import CaseType as T
from fieldkit.domain.choices import label
from fieldkit.domain.records import Case, Record
from fieldkit.domain.values import CaseStep
from fieldkit.i18n import N_, _

R = TypeVar("R", bound=Record)
RRM = frozenset({T.RRM_PETITION, T.RRM_SELF_INITIATED})
PETITIONS = frozenset({T.RRM_PETITION, T.LABOR_CHAPTER})
ALL = frozenset(T)

# Stages of schema version 1 that mean the same as a newer one.
SAME_AS = {S.UNDER_REVIEW: S.PETITION_RECEIVED, S.MONITORING: S.REMEDIATION_AGREED}
REVIEW_ON = frozenset(
    {
        S.REVIEW_REQUESTED,
        S.MEXICO_REVIEWING,
        S.MEXICO_DECLINED,
        S.DENIAL_FOUND,
        S.NO_DENIAL_FOUND,
        S.REMEDIATION_AGREED,
        S.REMEDIATION_NOT_VERIFIED,
        S.PANEL_REQUESTED,
        S.PANEL_CONSTITUTED,
        S.PANEL_VERIFYING,
        S.PANEL_FOUND_DENIAL,
        S.REMEDIES_IMPOSED,
    }
)
CLOSED_STAGES = frozenset({S.CLOSED, S.EVIDENCE_INSUFFICIENT})
# The stages a case had before cases recorded events: a case without events shows them as a
# strip; a case with events shows the path its events took instead.
FIRST_STAGES = (
    S.PETITION_RECEIVED,
    S.UNDER_REVIEW,
    S.REVIEW_REQUESTED,
    S.REMEDIATION_AGREED,
    S.MONITORING,
    S.CLOSED,
)
PANEL_DECIDING = frozenset({S.PANEL_CONSTITUTED, S.PANEL_VERIFYING})


@dataclass(frozen=True)
class Transition:
    after: frozenset[S]  # the stages the event may follow
    to: S | None  # None: the case stays where it is (a side event)
    types: frozenset[T] = RRM


def _t(after: Iterable[S], to: S | None, types: frozenset[T] = RRM) -> Transition:
    return Transition(frozenset(after), to, types)


TRANSITIONS: dict[E, Transition] = {
    E.PETITION_RECEIVED: _t({S.PETITION_RECEIVED}, S.PETITION_RECEIVED, PETITIONS),
    E.FURTHER_REVIEW: _t({S.PETITION_RECEIVED}, S.FURTHER_REVIEW, frozenset({T.LABOR_CHAPTER})),
    E.ILC_SUFFICIENT: _t({S.PETITION_RECEIVED, S.FURTHER_REVIEW}, S.EVIDENCE_SUFFICIENT, PETITIONS),
    E.ILC_INSUFFICIENT: _t(
        {S.PETITION_RECEIVED, S.FURTHER_REVIEW}, S.EVIDENCE_INSUFFICIENT, PETITIONS
    ),
    E.CERTIFICATION_SENT: _t({S.EVIDENCE_INSUFFICIENT}, None, PETITIONS),
    E.REVIEW_REQUESTED: _t({S.EVIDENCE_SUFFICIENT}, S.REVIEW_REQUESTED),
    E.LIQUIDATION_SUSPENDED: _t(REVIEW_ON, None),
    E.LIQUIDATION_RESUMED: _t(REVIEW_ON | {S.CLOSED}, None),
    E.MEXICO_AGREED_TO_REVIEW: _t({S.REVIEW_REQUESTED}, S.MEXICO_REVIEWING),
    E.MEXICO_DECLINED: _t({S.REVIEW_REQUESTED}, S.MEXICO_DECLINED),
    E.MEXICO_FOUND_DENIAL: _t({S.MEXICO_REVIEWING}, S.DENIAL_FOUND),
    E.MEXICO_FOUND_NO_DENIAL: _t({S.MEXICO_REVIEWING}, S.NO_DENIAL_FOUND),
    E.REMEDIATION_AGREED: _t(
        {S.MEXICO_REVIEWING, S.DENIAL_FOUND, S.NO_DENIAL_FOUND, S.PANEL_FOUND_DENIAL},
        S.REMEDIATION_AGREED,
    ),
    E.REMEDIATION_VERIFIED: _t({S.REMEDIATION_AGREED}, S.CLOSED),
    E.REMEDIATION_NOT_VERIFIED: _t({S.REMEDIATION_AGREED}, S.REMEDIATION_NOT_VERIFIED),
    E.PANEL_REQUESTED: _t(
        {
            S.REVIEW_REQUESTED,  # Mexico did not answer within its 10 days
            S.MEXICO_DECLINED,
            S.DENIAL_FOUND,
            S.NO_DENIAL_FOUND,
            S.REMEDIATION_NOT_VERIFIED,
        },
        S.PANEL_REQUESTED,
    ),
    E.PANEL_CONSTITUTED: _t({S.PANEL_REQUESTED}, S.PANEL_CONSTITUTED),
    E.VERIFICATION_REQUESTED: _t({S.PANEL_CONSTITUTED}, S.PANEL_VERIFYING),
    E.VERIFICATION_HELD: _t({S.PANEL_VERIFYING}, None),
    E.PANEL_FOUND_DENIAL: _t(PANEL_DECIDING, S.PANEL_FOUND_DENIAL),
    E.PANEL_FOUND_NO_DENIAL: _t(PANEL_DECIDING, S.CLOSED),
    E.PANEL_NO_JURISDICTION: _t(PANEL_DECIDING, S.CLOSED),
    E.REMEDIES_IMPOSED: _t({S.PANEL_FOUND_DENIAL}, S.REMEDIES_IMPOSED),
    E.REMEDIES_LIFTED: _t({S.REMEDIES_IMPOSED}, S.CLOSED),
    E.CASE_CLOSED: _t(frozenset(S) - CLOSED_STAGES, S.CLOSED, ALL),
}

# A self-initiated case begins with the request for review, without a petition.
FIRST_EVENTS = {
    T.RRM_PETITION: E.PETITION_RECEIVED,
    T.RRM_SELF_INITIATED: E.REVIEW_REQUESTED,
    T.LABOR_CHAPTER: E.PETITION_RECEIVED,
}

WRONG_TYPE = N_("“{event}” does not happen in a case of type “{case_type}”.")
WRONG_STAGE = N_("“{event}” cannot follow the stage “{stage}”. It can follow: {allowed}.")
WRONG_FIRST = N_("A case of type “{case_type}” begins with “{first}”, not “{event}”.")
OUT_OF_ORDER = N_("“{event}” is dated {on}, before the case's previous event ({previous}).")
NO_SUSPENSION = N_("Customs liquidation cannot resume: it was never suspended in this case.")
STAGE_FROM_EVENTS = N_(
    "The stage follows the case's events: after them it is “{stage}”. Record the event that "
    "moves the case instead of choosing the stage."
)


class TransitionRefused(ValueError):
    """An event that cannot follow the case as it stands; `reason` says why, translated."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def replay(case_type: T, steps: Iterable[CaseStep]) -> S:
    """The stage a case of `case_type` reaches through `steps` (in the order given); raises
    TransitionRefused at the first step that cannot follow."""
    stage = S.PETITION_RECEIVED
    seen: list[CaseStep] = []
    for step in steps:
        stage = _next_stage(case_type, stage, seen, step)
        seen.append(step)
    return stage


def record_event(case: Case, event: E, on: dt.date, note: str = "") -> Case:
    """`case` with `event` recorded and its stage moved, or TransitionRefused."""
    step = CaseStep(event=event, on=on, note=note)
    steps = (*case.events, step)
    stage = replay(case.case_type, steps)
    return dataclasses.replace(case, events=steps, stage=stage)


def derived_stage(case: Case) -> S | None:
    """The stage the case's events lead to (None for a case without events: its stage was
    set by hand before events existed)."""
    if not case.events:
        return None
    return replay(case.case_type, case.events)


def next_events(case: Case) -> list[E]:
    """The events that may come next: the branches open to the case."""
    stage = derived_stage(case) or case.stage
    options = []
    for event, transition in TRANSITIONS.items():
        try:
            _next_stage(case.case_type, stage, list(case.events), CaseStep(event=event, on=None))
        except TransitionRefused:
            continue
        if transition.to is not None:
            options.append(event)
    return options


def _next_stage(case_type: T, stage: S, seen: list[CaseStep], step: CaseStep) -> S:
    event = step.event
    transition = TRANSITIONS[event]
    stage = SAME_AS.get(stage, stage)
    names = {"event": label(event), "case_type": label(case_type), "stage": label(stage)}
    if case_type not in transition.types:
        raise TransitionRefused(_(WRONG_TYPE).format(**names))
    if not seen:
        first = FIRST_EVENTS[case_type]
        if event is not first and event is not E.CASE_CLOSED:
            raise TransitionRefused(_(WRONG_FIRST).format(first=label(first), **names))
        return transition.to or stage if event is not first else _first_stage(event)
    _check_date(seen, step, names)
    if event is E.LIQUIDATION_RESUMED and not any(s.event is E.LIQUIDATION_SUSPENDED for s in seen):
        raise TransitionRefused(_(NO_SUSPENSION))
    if stage not in transition.after or (event is E.PETITION_RECEIVED):
        allowed = ", ".join(label(s) for s in sorted(transition.after, key=list(S).index))
        raise TransitionRefused(_(WRONG_STAGE).format(allowed=allowed or "—", **names))
    return transition.to or stage


def _first_stage(event: E) -> S:
    return S.REVIEW_REQUESTED if event is E.REVIEW_REQUESTED else S.PETITION_RECEIVED


def _check_date(seen: list[CaseStep], step: CaseStep, names: dict[str, str]) -> None:
    previous = seen[-1].on
    if step.on is not None and previous is not None and step.on < previous:
        raise TransitionRefused(
            _(OUT_OF_ORDER).format(on=step.on.isoformat(), previous=previous.isoformat(), **names)
        )


def with_stage_from_events(current: R | None, record: R) -> R:
    """A case saved with new events takes the stage they lead to. A stage chosen by hand with
    the events unchanged is kept as chosen, for validation to refuse if the events do not lead
    there (`stage_problem`); other records pass unchanged."""
    if not isinstance(record, Case) or not record.events:
        return record
    try:
        stage = replay(record.case_type, record.events)
    except TransitionRefused:
        return record  # validation names the step that cannot follow
    chose_by_hand = isinstance(current, Case) and record.stage != current.stage
    if chose_by_hand and isinstance(current, Case) and record.events == current.events:
        return record
    return dataclasses.replace(record, stage=stage)


def stage_problem(case: Case) -> str | None:
    """Why the case's stage disagrees with its events (translated), or None."""
    try:
        stage = derived_stage(case)
    except TransitionRefused:
        return None
    if stage is None or SAME_AS.get(case.stage, case.stage) == stage:
        return None
    return _(STAGE_FROM_EVENTS).format(stage=label(stage))


def stages_passed(case: Case) -> list[S]:
    """The distinct stages the case's events led through, first to last (empty without
    events, or from the first event that cannot follow)."""
    passed: list[S] = []
    for index in range(len(case.events)):
        try:
            stage = replay(case.case_type, case.events[: index + 1])
        except TransitionRefused:
            break
        if not passed or passed[-1] is not stage:
            passed.append(stage)
    return passed
