"""How the work links records: which field on which side records each kind of link."""

from __future__ import annotations

from typing import Any

from fieldkit.domain.choices import TriageStatus
from fieldkit.domain.fields import FieldType
from fieldkit.domain.records import (
    KINDS,
    Case,
    Facility,
    Grant,
    Interview,
    Organization,
    Record,
    Tip,
    Visit,
)

LinkPlan = list[tuple[Record, dict[str, Any]]]


def link_changes(source: Record, target: Record) -> LinkPlan | None:
    """The field changes that link `source` to `target`, or None if they do not link.

    Links are symmetric: linking a case to a tip or a tip to a case gives the same result.
    """
    plan = _plan(source, target)
    if plan is None:
        plan = _plan(target, source)
    return plan


def added_targets(before: Record | None, after: Record) -> list[tuple[type[Record], str]]:
    """The records `after` links to that `before` did not (for a new record, every one),
    as (class, id), in field order."""
    added: list[tuple[type[Record], str]] = []
    for spec in after.specs():
        if spec.type not in (FieldType.REF, FieldType.REFS) or spec.target is None:
            continue
        old = set(_ids(getattr(before, spec.name))) if before is not None else set()
        target = KINDS[spec.target]
        added.extend((target, i) for i in _ids(getattr(after, spec.name)) if i not in old)
    return added


def other_sides(saved: Record, target: Record) -> LinkPlan:
    """What linking `saved` to `target` changes on records other than `saved` (a tip put on a
    case names the case and is marked linked; a case named on a tip lists it). The saved
    record itself stays as the person saved it."""
    return [(r, changes) for r, changes in link_changes(saved, target) or [] if r.id != saved.id]


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    return (value,) if value else ()


def _plan(a: Record, b: Record) -> LinkPlan | None:
    match a, b:
        case Interview(), Visit():
            changes: dict[str, Any] = {"visit_id": b.id}
            if a.facility_id is None:
                changes["facility_id"] = b.facility_id
            return [(a, changes)]
        case Interview() | Visit() | Case() | Tip(), Facility():
            return [(a, {"facility_id": b.id})]
        case Visit(), Organization():
            return [(a, {"organization_id": b.id})]
        case Visit(), Grant():
            return [(a, {"grant_id": b.id})]
        case Case(), Visit():
            return [(a, {"visit_ids": _add(a.visit_ids, b.id)})]
        case Case(), Interview():
            return [(a, {"interview_ids": _add(a.interview_ids, b.id)})]
        case Case(), Tip():
            return [
                (a, {"tip_ids": _add(a.tip_ids, b.id)}),
                (b, {"case_id": a.id, "triage": TriageStatus.LINKED_TO_CASE}),
            ]
    return None


def _add(ids: tuple[str, ...], new: str) -> tuple[str, ...]:
    return ids if new in ids else (*ids, new)
