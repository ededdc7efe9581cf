"""Build PDF reports from the vault: gather the records a report shows, remove what the
profile must not carry, render, write the file atomically, and record the export in the audit
log (what, profile, language, when).

Redaction happens here, before rendering, so the renderer never sees what it must not print.
Shareable: an interview keeps only its role and consent, and its summary for sharing when
consent allows quoting; a tip keeps only its triage status; any other record loses the fields
declared `identifying`. Every profile: an interview whose consent says "no quotes" loses its
notes and summary for sharing. The renderer applies the same rules again
(`fieldkit.reports.interviews`). Free text about a visit, case or grant (findings, a case
summary) is printed as written: nothing can tell a name in prose apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

from fieldkit.atomic_file import write_atomic
from fieldkit.domain.choices import may_quote
from fieldkit.domain.fields import FieldType
from fieldkit.domain.query import Equals, InDateRange, Sort
from fieldkit.domain.records import (
    Attachment,
    Case,
    Facility,
    Grant,
    Interview,
    Organization,
    Record,
    Tip,
    Visit,
)
from fieldkit.reports.model import (
    DEFAULT_MARKING,
    PROFILE_CONTENTS,
    PROFILE_LABELS,
    CaseReport,
    GrantReport,
    PeriodReport,
    Profile,
    Report,
    ReportOptions,
    VisitReport,
)
from fieldkit.services.records import RecordService
from fieldkit.services.reviewing import by_authors
from fieldkit.store.audit import AuditAction
from fieldkit.store.store import Store

R = TypeVar("R", bound=Record)
# The report options are part of this service's API: the UI and CLI import them from here.
__all__ = [
    "DEFAULT_MARKING",
    "PROFILE_CONTENTS",
    "PROFILE_LABELS",
    "Profile",
    "Report",
    "ReportOptions",
    "ReportService",
    "redact",
]
_TEXT = (FieldType.TEXT, FieldType.LONGTEXT)


def redact(record: R, profile: Profile) -> R:
    """`record` as the profile may show it (see the module's docstring)."""
    if isinstance(record, Interview):
        return cast(R, _interview_for(record, profile))
    if profile is Profile.INTERNAL:
        return record
    if isinstance(record, Tip):
        return cast(R, Tip(id=record.id, triage=record.triage))
    blanks: dict[str, Any] = {
        s.name: "" for s in record.specs() if s.identifying and s.type in _TEXT
    }
    return dataclasses.replace(record, **blanks) if blanks else record


def _interview_for(interview: Interview, profile: Profile) -> Interview:
    quotable = may_quote(interview.consent)
    if profile is not Profile.INTERNAL:
        return Interview(
            id=interview.id,
            role=interview.role,
            consent=interview.consent,
            sharing_summary=interview.sharing_summary if quotable else "",
        )
    if quotable:
        return interview
    return dataclasses.replace(interview, notes="", sharing_summary="")


class ReportService:
    def __init__(self, store: Store, records: RecordService) -> None:
        self._store = store
        self._records = records

    # --- gathering ------------------------------------------------------------------------

    def visit_report(self, visit_id: str, options: ReportOptions) -> VisitReport:
        visit = self._records.get(Visit, visit_id)
        interviews = self._records.list(
            Interview, filters=[Equals("visit_id", visit.id)], sort=_by_date("held_on")
        )
        return VisitReport(
            options=options,
            visit=visit,
            facility=self._maybe(Facility, visit.facility_id),
            organization=self._maybe(Organization, visit.organization_id),
            grant=self._maybe(Grant, visit.grant_id),
            interviews=tuple(redact(i, options.profile) for i in interviews),
            attachments=tuple(
                self._records.list(
                    Attachment, filters=[Equals("record_id", visit.id)], sort=[Sort("created_at")]
                )
            ),
        )

    def case_report(self, case_id: str, options: ReportOptions) -> CaseReport:
        case = self._records.get(Case, case_id)
        visits = self._existing(Visit, case.visit_ids)
        tips = {t.id: t for t in self._existing(Tip, case.tip_ids)}
        for tip in self._records.list(Tip, filters=[Equals("case_id", case.id)]):
            tips.setdefault(tip.id, tip)
        return CaseReport(
            options=options,
            case=case,
            facility=self._maybe(Facility, case.facility_id),
            visits=tuple(sorted(visits, key=_visit_order)),
            interviews=tuple(
                redact(i, options.profile) for i in self._existing(Interview, case.interview_ids)
            ),
            tips=tuple(
                redact(t, options.profile)
                for t in sorted(tips.values(), key=lambda t: t.received_on or dt.date.min)
            ),
            facilities=self._facilities_of(visits),
        )

    def grant_report(self, grant_id: str, options: ReportOptions) -> GrantReport:
        grant = self._records.get(Grant, grant_id)
        visits = self._records.list(
            Visit, filters=[Equals("grant_id", grant.id)], sort=_by_date("start_date")
        )
        return GrantReport(
            options=options,
            grant=grant,
            visits=tuple(visits),
            facilities=self._facilities_of(visits),
        )

    def period_report(
        self,
        start: dt.date,
        end: dt.date,
        options: ReportOptions,
        *,
        authors: frozenset[str] | None = None,
        scope: str = "",
    ) -> PeriodReport:
        """The period summary; in reviewer mode limited to the visits `authors` (nodes: one
        attaché's, or a post's) created, with `scope` naming whose work it is."""
        visits = self._records.list(
            Visit,
            filters=[InDateRange("start_date", start, end)],
            sort=_by_date("start_date"),
        )
        visits = by_authors(visits, authors)
        return PeriodReport(
            options=options,
            start=start,
            end=end,
            visits=tuple(visits),
            facilities=self._facilities_of(visits),
            scope=scope,
        )

    # --- writing --------------------------------------------------------------------------

    def export_pdf(self, report: Report, path: Path) -> int:
        """Render `report` to `path` (atomically, owner-only) and audit it; returns bytes."""
        data = _render(report)
        write_atomic(Path(path), data, mode=0o600)
        self._audit_export(report)
        return len(data)

    def render_pdf(self, report: Report) -> bytes:
        """The PDF of `report` for a stream (standard output), audited as an export."""
        data = _render(report)
        self._audit_export(report)
        return data

    def _audit_export(self, report: Report) -> None:
        subject = _subject(report)
        self._store.audit(
            AuditAction.EXPORTED,
            kind=subject.KIND if subject else "period",
            record_id=subject.id if subject else None,
            detail=(
                f"report={type(report).__name__},profile={report.options.profile.value},"
                f"language={report.options.language}"
            ),
        )

    # --- helpers --------------------------------------------------------------------------

    def _maybe(self, cls: type[R], record_id: str | None) -> R | None:
        if record_id is None:
            return None
        record = self._store.get(cls, record_id)
        return None if record is None or record.deleted else record

    def _existing(self, cls: type[R], ids: Iterable[str]) -> list[R]:
        found = (self._maybe(cls, record_id) for record_id in ids)
        return [record for record in found if record is not None]

    def _facilities_of(self, visits: Iterable[Visit]) -> dict[str, Facility]:
        ids = {v.facility_id for v in visits if v.facility_id}
        return {f.id: f for f in self._existing(Facility, sorted(ids))}


def _render(report: Report) -> bytes:
    from fieldkit.reports import render  # noqa: PLC0415 - reportlab loads on first export

    return render(report)


def _by_date(field: str) -> tuple[Sort, Sort]:
    """By a date, earliest first; records of the same day in the order they were made."""
    return (Sort(field), Sort("created_at"))


def _visit_order(visit: Visit) -> tuple[dt.date, str]:
    return (visit.start_date or dt.date.min, visit.id)


def _subject(report: Report) -> Record | None:
    if isinstance(report, VisitReport):
        return report.visit
    if isinstance(report, CaseReport):
        return report.case
    if isinstance(report, GrantReport):
        return report.grant
    return None
