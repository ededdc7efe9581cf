"""The records that point at one record, for its detail pane: a visit's interviews, a
facility's visits. Read on the database worker through the record service."""

from __future__ import annotations

from dataclasses import dataclass

from fieldkit.domain.query import Equals, Sort
from fieldkit.domain.records import Facility, Interview, Record, Visit
from fieldkit.i18n import N_, _
from fieldkit.services.vault import Vault

SHOWN = 50  # a facility visited weekly for a year still fits; the list screen has the rest


@dataclass(frozen=True)
class Related:
    heading: str  # a msgid, translated when shown
    kind: str
    records: tuple[tuple[str, str], ...]  # (record id, title), in the order shown


# (the record's class, the class that points at it, its reference field, newest first by)
_POINTING: tuple[tuple[type[Record], type[Record], str, str, str], ...] = (
    (Visit, Interview, "visit_id", "held_on", N_("Interviews of this visit")),
    (Facility, Visit, "facility_id", "start_date", N_("Visits to this facility")),
)


def related_records(vault: Vault, record: Record) -> list[Related]:
    groups = []
    for cls, source, field, order, heading in _POINTING:
        if not isinstance(record, cls):
            continue
        found = vault.records.list(
            source,
            filters=[Equals(field, record.id)],
            sort=(Sort(order, descending=True), Sort("id", descending=True)),
            limit=SHOWN,
        )
        if found:
            groups.append(
                Related(
                    heading,
                    source.KIND,
                    tuple((r.id, r.title or _(source.LABEL)) for r in found),
                )
            )
    return groups
