"""The quarterly report to the Interagency Labor Committee, gathered from the vault for one
calendar quarter: open cases with their clocks, remedies verified, tips by triage status,
interviews counted by role, visits and grant milestones due.

Interviews are only counted: no interview, pseudonym or note enters the report model. The
shareable profile and the CUI marking are the defaults of `ReportOptions`.

On an attaché's laptop every record is the post's own, so the post is a label. On a reviewer's,
`authors` (the nodes of the post's attachés, from HQ's directory) limits the report to the
records they wrote; facilities, which every post shares, are never filtered."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import TypeVar

from fieldkit.domain.case_lifecycle import CLOSED_STAGES
from fieldkit.domain.choices import PersonRole, RemedyStatus, TriageStatus
from fieldkit.domain.query import ANY_ORDER
from fieldkit.domain.records import Case, Facility, Grant, Interview, Record, Tip, Visit
from fieldkit.errors import UnknownPost
from fieldkit.reports.model import QuarterCase, QuarterlyReport, QuarterMilestone, ReportOptions
from fieldkit.services.records import RecordService
from fieldkit.services.reviewing import ReviewerView, by_authors

T = TypeVar("T", bound=Record)


def quarter_span(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a calendar quarter (1 to 4)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(quarter)
    start = dt.date(year, 3 * quarter - 2, 1)
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, after - dt.timedelta(days=1)


def _within(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def _case_in_quarter(case: Case, start: dt.date, end: dt.date) -> bool:
    """Open during the quarter: received by its end, and not closed before it began."""
    if case.received_on is not None and case.received_on > end:
        return False
    if any(_within(step.on, start, end) for step in case.events):
        return True
    return case.stage not in CLOSED_STAGES


def interviews_by_role(
    interviews: Iterable[Interview], start: dt.date, end: dt.date
) -> Counter[PersonRole]:
    return Counter(i.role for i in interviews if _within(i.held_on, start, end))


def post_authors(view: ReviewerView, post: str) -> frozenset[str] | None:
    """The nodes of the post's attachés on a reviewer's laptop (None: the whole vault, on an
    attaché's laptop or for no post); an unknown post is refused rather than read as empty."""
    if not view.reviewer or not post:
        return None
    posts = dict(view.posts())
    for name, nodes in posts.items():
        if name.casefold() == post.casefold():
            return nodes
    raise UnknownPost(post=post, posts=", ".join(posts) or "—")


def build_quarterly_report(
    records: RecordService,
    year: int,
    quarter: int,
    post: str,
    options: ReportOptions,
    *,
    authors: frozenset[str] | None = None,
) -> QuarterlyReport:
    start, end = quarter_span(year, quarter)
    facilities = {f.id: f for f in records.list(Facility, sort=ANY_ORDER)}

    def written(cls: type[T]) -> list[T]:
        return by_authors(records.list(cls, sort=ANY_ORDER), authors)

    cases = sorted(
        (c for c in written(Case) if _case_in_quarter(c, start, end)),
        key=lambda c: (c.received_on or dt.date.min, c.reference),
    )
    remedies = [r for case in cases for r in case.remedies]
    tips = Counter(t.triage for t in written(Tip) if _within(t.received_on, start, end))
    roles = interviews_by_role(written(Interview), start, end)
    visits = sorted(
        (v for v in written(Visit) if _within(v.start_date, start, end)),
        key=lambda v: (v.start_date or dt.date.min, v.id),
    )
    milestones = [
        QuarterMilestone(g.title, g.award_number, m.title, m.due, m.status)
        for g in written(Grant)
        for m in g.milestones
        if _within(m.due, start, end)
    ]
    milestones.sort(key=lambda m: (m.due or dt.date.min, m.award_number))
    return QuarterlyReport(
        options=options,
        year=year,
        quarter=quarter,
        post=post,
        start=start,
        end=end,
        cases=tuple(
            QuarterCase(c, facilities[c.facility_id].name if c.facility_id in facilities else "")
            for c in cases
        ),
        remedies_verified=sum(r.status is RemedyStatus.VERIFIED for r in remedies),
        remedies_total=len(remedies),
        tips_by_triage=tuple((s, tips[s]) for s in TriageStatus),
        interviews_by_role=tuple((r, roles[r]) for r in PersonRole),
        visits=tuple(visits),
        facilities={
            v.facility_id: facilities[v.facility_id] for v in visits if v.facility_id in facilities
        },
        milestones=tuple(milestones),
    )
