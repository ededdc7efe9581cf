"""Create, edit, delete, read, link and search records: the API the UI and command line call.

Each call validates, then writes the record, its journal entries, its search text and an audit
entry in one transaction. Errors a user can cause are `UserFacingError`s.
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from fieldkit.domain.case_lifecycle import with_stage_from_events
from fieldkit.domain.choice_lookup import kind_named
from fieldkit.domain.codec import from_plain
from fieldkit.domain.fields import FieldSpec, FieldType
from fieldkit.domain.problems import FieldProblem
from fieldkit.domain.query import NEWEST_FIRST, Filter, Sort
from fieldkit.domain.records import KINDS, SYSTEM_FIELDS, Attachment, Interview, Record
from fieldkit.domain.sync_rules import PRIVATE_KINDS
from fieldkit.domain.validation import validate
from fieldkit.errors import InvalidLink, RecordNotFound, UnknownKind, ValidationFailed
from fieldkit.i18n import N_, Lazy
from fieldkit.services.links import added_targets, link_changes, other_sides
from fieldkit.services.reviewing import stored_reviewer_view
from fieldkit.store.audit import AuditAction
from fieldkit.store.search import SearchHit
from fieldkit.store.store import Store

R = TypeVar("R", bound=Record)
__all__ = ["RecordService", "Saved", "SearchHit", "kind_class"]  # SearchHit is part of this API

MISSING_TARGET = N_("{field} points to a record that does not exist in this vault.")


@dataclasses.dataclass(frozen=True)
class Saved:
    """What a save from the editor stored: the record, and the records of other kinds it
    linked on their side (their lists and marks change too)."""

    record: Record
    linked: tuple[Record, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every kind the save changed, the saved record's first."""
        kinds = [self.record.KIND]
        kinds += [r.KIND for r in self.linked if r.KIND not in kinds]
        return tuple(kinds)


def kind_class(kind: str) -> type[Record]:
    """The record class for a kind name such as 'visit', its plural ('visits') or its label
    in either language ('Visitas')."""
    cls = KINDS.get(kind.strip().lower()) or kind_named(kind)
    if cls is None:
        raise UnknownKind(kind=kind[:40], kinds=", ".join(KINDS))
    return cls


class RecordService:
    """Records of every kind in one unlocked vault."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # --- writing --------------------------------------------------------------------------

    def create(self, record: R) -> R:
        """Validate and store a new record. An interview recorded from a visit takes the
        visit's facility when none is given (as linking it to the visit does)."""
        record = with_stage_from_events(None, self._with_visit_facility(record))
        self.check(record)
        with self._store.transaction():
            stored = self._store.insert(record)
            self._audit(AuditAction.CREATED, stored)
        return stored

    def _with_visit_facility(self, record: R) -> R:
        if not isinstance(record, Interview) or record.visit_id is None or record.facility_id:
            return record
        try:
            visit = self.get(KINDS["visit"], record.visit_id)
        except RecordNotFound:
            return record  # validation says what is wrong with the link
        facility_id = getattr(visit, "facility_id", None)
        return dataclasses.replace(record, facility_id=facility_id) if facility_id else record

    def create_from(self, kind: str, data: Mapping[str, Any]) -> Record:
        """Create a record of `kind` from plain values (an import row, a JSON object)."""
        cls = kind_class(kind)
        values, problems = from_plain(cls, _without_system_fields(data))
        if problems:
            raise ValidationFailed(problems)
        return self.create(cls(**values))

    def update(self, record: R) -> R:
        """Store an edited record over its saved version; only changed fields are journaled."""
        current = self.get(type(record), record.id)
        self.check_may_change(current)
        record = with_stage_from_events(current, record)
        self.check(record)
        with self._store.transaction():
            stored = self._store.update(
                current, dataclasses.replace(record, deleted=current.deleted)
            )
            if stored is not current:
                self._audit(AuditAction.EDITED, stored, detail=_changed_fields(current, stored))
        return stored

    def update_from(self, kind: str, record_id: str, data: Mapping[str, Any]) -> Record:
        """Apply plain field values to a saved record."""
        cls = kind_class(kind)
        current = self.get(cls, record_id)
        self.check_may_change(current)  # before naming wrong values: none could be saved
        values, problems = from_plain(cls, _without_system_fields(data), base=current)
        if problems:
            raise ValidationFailed(problems)
        return self.update(dataclasses.replace(current, **values))

    def save_from(self, kind: str, record_id: str | None, data: Mapping[str, Any]) -> Saved:
        """Create (`record_id` None) or edit a record from plain values, as the editor saves,
        and record on the other side each link the save adds that the work keeps on both
        sides (a case's linked tip, a tip's case), all in one transaction."""
        with self._store.transaction():
            before = None if record_id is None else self.get(kind_class(kind), record_id)
            if before is None:
                record = self.create_from(kind, data)
            else:
                record = self.update_from(kind, before.id, data)
            linked = self._link_other_sides(before, record)
        return Saved(record, tuple(linked))

    def _link_other_sides(self, before: Record | None, after: Record) -> builtins.list[Record]:
        linked: builtins.list[Record] = []
        for cls, target_id in added_targets(before, after):
            target = self._store.get(cls, target_id)
            if target is None or target.deleted:
                continue
            for current, changes in other_sides(after, target):
                self.check_may_change(current)
                stored = self._store.update(current, dataclasses.replace(current, **changes))
                if stored is not current:
                    self._audit(AuditAction.LINKED, stored, detail=",".join(changes))
                    linked.append(stored)
        return linked

    def delete(self, cls: type[Record], record_id: str) -> Record:
        """Soft-delete: the record is kept, marked deleted, and leaves lists and search."""
        return self._set_deleted(cls, record_id, deleted=True)

    def restore(self, cls: type[Record], record_id: str) -> Record:
        """Undo a delete."""
        return self._set_deleted(cls, record_id, deleted=False)

    def _set_deleted(self, cls: type[Record], record_id: str, *, deleted: bool) -> Record:
        current = self.get(cls, record_id)
        self.check_may_change(current)
        if current.deleted == deleted:
            return current
        with self._store.transaction():
            stored = self._store.update(current, dataclasses.replace(current, deleted=deleted))
            self._audit(AuditAction.DELETED if deleted else AuditAction.RESTORED, stored)
        return stored

    def link(self, source: Record, target: Record) -> builtins.list[Record]:
        """Link two records the way the work links them (an interview to its visit, a tip
        to its case...). Returns the records that changed, saved."""
        # Plan from the saved versions: the caller's copies may be stale.
        source = self.get(type(source), source.id)
        target = self.get(type(target), target.id)
        plan = link_changes(source, target)
        if plan is None:
            raise InvalidLink(kind=Lazy(source.LABEL), target=Lazy(target.LABEL))
        for current, _changes in plan:
            self.check_may_change(current)
        saved: builtins.list[Record] = []
        with self._store.transaction():
            for current, changes in plan:
                updated = dataclasses.replace(current, **changes)
                stored = self._store.update(current, updated)
                if stored is not current:
                    self._audit(AuditAction.LINKED, stored, detail=",".join(changes))
                saved.append(stored)
        return saved

    # --- reading --------------------------------------------------------------------------

    def get(self, cls: type[R], record_id: str) -> R:
        record = self._store.get(cls, record_id)
        if record is None:
            raise RecordNotFound(kind=Lazy(cls.LABEL), record_id=record_id[:40])
        return record

    def list(
        self,
        cls: type[R],
        *,
        filters: Sequence[Filter] = (),
        sort: Sequence[Sort] = NEWEST_FIRST,
        include_deleted: bool = False,
        limit: int | None = None,
        offset: int | None = None,
    ) -> builtins.list[R]:
        """Records of one kind that pass every filter, most recently changed first unless
        `sort` says (ANY_ORDER: whatever order is cheapest, for callers that sort for
        themselves)."""
        return self._store.list(
            cls,
            filters=filters,
            sort=sort,
            include_deleted=include_deleted,
            limit=limit,
            offset=offset,
        )

    def count(self, cls: type[Record], *, include_deleted: bool = False) -> int:
        return self._store.count(cls, include_deleted=include_deleted)

    def search(
        self, text: str, kinds: Sequence[str] | None = None, limit: int = 50
    ) -> builtins.list[SearchHit]:
        """Full-text search, newest first. Interview hits carry no snippet: their notes show
        only once the user opens the record."""
        hits = self._store.search(text, kinds, limit)
        return [
            dataclasses.replace(hit, snippet="") if hit.kind == Interview.KIND else hit
            for hit in hits
        ]

    # --- helpers --------------------------------------------------------------------------

    def check_may_change(self, record: Record) -> None:
        """Raise `ReadOnlyRecord` if this device may not change `record` (as saved): in
        reviewer mode, an interview another attaché wrote, which HQ would refuse. Every write
        of a saved record asks, so the editor, the command line and settling a conflict
        follow one rule (`ReviewerView.may_change`). An attachment of such an interview is
        refused as the interview is (HQ refuses both)."""
        if isinstance(record, Attachment) and record.record_kind in PRIVATE_KINDS:
            parent = self._store.get(KINDS[record.record_kind], record.record_id)
            if parent is not None:
                self.check_may_change(parent)
        if record.KIND not in PRIVATE_KINDS or record.author_device == self._store.device_id:
            return  # the common case, without reading the role
        refusal = stored_reviewer_view(self._store).refusal(record)
        if refusal is not None:
            raise refusal

    def check(self, record: Record) -> None:
        """Raise `ValidationFailed` naming every broken rule, including links to records
        that do not exist."""
        problems = validate(record) + self._missing_targets(record)
        if problems:
            raise ValidationFailed(problems)

    def _missing_targets(self, record: Record) -> builtins.list[FieldProblem]:
        problems = []
        for spec, target in _references(type(record)):
            value = getattr(record, spec.name)
            ids = value if isinstance(value, tuple) else (value,) if value else ()
            if any(self._store.get(target, target_id) is None for target_id in ids):
                problems.append(FieldProblem(spec.name, spec.label, MISSING_TARGET))
        return problems

    def _audit(self, action: AuditAction, record: Record, detail: str | None = None) -> None:
        self._store.audit(action, kind=record.KIND, record_id=record.id, detail=detail)


_REFERENCES: dict[type[Record], tuple[tuple[FieldSpec, type[Record]], ...]] = {}


def _references(cls: type[Record]) -> tuple[tuple[FieldSpec, type[Record]], ...]:
    """The fields of `cls` that name other records, with their kind (none for a facility)."""
    found = _REFERENCES.get(cls)
    if found is None:
        found = _REFERENCES[cls] = tuple(
            (spec, KINDS[spec.target])
            for spec in cls.specs()
            if spec.type in (FieldType.REF, FieldType.REFS) and spec.target is not None
        )
    return found


def _without_system_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    # Ids and timestamps are the vault's to assign; an import never dictates them.
    return {k: v for k, v in data.items() if k not in SYSTEM_FIELDS}


def _changed_fields(old: Record, new: Record) -> str:
    return ",".join(s.name for s in new.specs() if getattr(old, s.name) != getattr(new, s.name))
