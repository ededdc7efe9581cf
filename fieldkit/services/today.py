"""What the Today screen shows: open follow-up actions, case deadlines, case clocks due within
14 days or overdue and grantee reports due or missed, by due date, and the records changed
most recently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fieldkit.domain.choices import ActionStatus
from fieldkit.domain.grant_calendar import reporting_periods
from fieldkit.domain.query import ANY_ORDER, HasItem
from fieldkit.domain.records import (
    Case,
    Facility,
    Grant,
    Interview,
    Organization,
    Record,
    Tip,
    Visit,
)
from fieldkit.domain.rrm_clocks import case_clocks
from fieldkit.i18n import N_, _, format_date
from fieldkit.services.records import RecordService

OPEN_FOLLOW_UPS = HasItem("follow_ups", "status", ActionStatus.OPEN)
OPEN_DEADLINES = HasItem("deadlines", "done", False)


@dataclass(frozen=True)
class DueItem:
    due: dt.date | None
    what: str  # the action or deadline label
    owner: str
    record: Record  # the visit, interview or case it belongs to

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


@dataclass(frozen=True)
class TodaySummary:
    due: tuple[DueItem, ...]  # earliest first; undated last
    recent: tuple[Record, ...]  # newest first, all kinds


CLOCK_HORIZON_DAYS = 14


def clock_due_items(
    records: RecordService, today: dt.date, *, horizon: int = CLOCK_HORIZON_DAYS
) -> list[DueItem]:
    """Case clocks still running that fall due within `horizon` days, or are overdue."""
    items = []
    # Cases are few (tens, not thousands): reading them all costs less than a query per rule.
    for case in records.list(Case, sort=ANY_ORDER):
        for clock in case_clocks(case):
            if clock.overdue(today) or clock.due_within(today, horizon):
                items.append(DueItem(clock.due, clock.rule.label, "", case))
    return items


GRANT_REPORT_DUE = N_("Grantee report for {start} – {end}")


def grant_report_items(
    records: RecordService, today: dt.date, *, horizon: int = CLOCK_HORIZON_DAYS
) -> list[DueItem]:
    """Grantee reports not yet received that fall due within `horizon` days, or are overdue."""
    items = []
    for grant in records.list(Grant, sort=ANY_ORDER):  # grants are few, like cases
        for period in reporting_periods(grant):
            if period.overdue(today) or period.due_within(today, horizon):
                what = _(GRANT_REPORT_DUE).format(
                    start=format_date(period.start), end=format_date(period.end)
                )
                items.append(DueItem(period.due, what, grant.grantee, grant))
    return items


def today_summary(
    records: RecordService, *, recent: int = 12, today: dt.date | None = None
) -> TodaySummary:
    day = today or dt.date.today()
    items: list[DueItem] = [*clock_due_items(records, day), *grant_report_items(records, day)]
    with_actions: list[Visit | Interview] = [
        # No order: the items are sorted by due date below, and asking for an order would
        # steer SQLite away from the index that holds only the follow-up lists.
        *records.list(Visit, filters=[OPEN_FOLLOW_UPS], sort=ANY_ORDER),
        *records.list(Interview, filters=[OPEN_FOLLOW_UPS], sort=ANY_ORDER),
    ]
    for record in with_actions:
        items += [
            DueItem(f.due, f.action, f.owner, record)
            for f in record.follow_ups
            if f.status is ActionStatus.OPEN
        ]
    for case in records.list(Case, filters=[OPEN_DEADLINES], sort=ANY_ORDER):
        items += [DueItem(d.due, d.label, "", case) for d in case.deadlines if not d.done]
    items.sort(key=lambda item: (item.due is None, item.due or dt.date.max))
    latest: list[Record] = []
    for kind in (Facility, Visit, Interview, Case, Tip, Grant, Organization):
        latest += records.list(kind, limit=recent)
    latest.sort(key=lambda r: r.updated_at, reverse=True)
    return TodaySummary(due=tuple(items), recent=tuple(latest[:recent]))
