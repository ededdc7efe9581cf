"""Case work beyond plain editing: recording a dated event that moves a case along its
lifecycle, and reading its deadline clocks."""

from __future__ import annotations

import datetime as dt

from fieldkit.domain.case_lifecycle import TransitionRefused, next_events, record_event
from fieldkit.domain.choices import CaseEvent
from fieldkit.domain.records import Case
from fieldkit.domain.rrm_clocks import Clock, case_clocks
from fieldkit.errors import CaseEventRefused
from fieldkit.services.records import RecordService


def record_case_event(
    records: RecordService, case_id: str, event: CaseEvent, on: dt.date, note: str = ""
) -> Case:
    """Record `event` on the case and move its stage; an event that cannot follow is refused
    with the reason (CaseEventRefused) and nothing changes."""
    case = records.get(Case, case_id)
    try:
        moved = record_event(case, event, on, note)
    except TransitionRefused as refused:
        raise CaseEventRefused(reason=refused.reason) from None
    return records.update(moved)


def open_branches(records: RecordService, case_id: str) -> list[CaseEvent]:
    """The events that may come next for the case (its open branches)."""
    return next_events(records.get(Case, case_id))


def clocks_of(records: RecordService, case_id: str) -> list[Clock]:
    return case_clocks(records.get(Case, case_id))
