"""A case's deadline clocks: each rule of the table that applies to the case's type, run from
the date of its starting event, with its due date beside the actual date the case records.

Calendar days unless the rule (or the case's override) says business days; business days
skip Saturdays and Sundays only, since public holidays differ between the countries and years
and are not known to FieldKit (override a clock by hand when one falls inside it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from fieldkit.domain.choices import CaseEvent, DayCount
from fieldkit.domain.records import Case
from fieldkit.domain.rrm_rules import ClockRule, RuleTable, default_rules
from fieldkit.domain.values import CaseStep, ClockOverride

SATURDAY = 5


@dataclass(frozen=True)
class Clock:
    rule: ClockRule
    started: dt.date
    due: dt.date
    actual: dt.date | None  # the date the stopping event happened, if it has
    days: int
    count: DayCount
    override: ClockOverride | None = None
    cancelled: bool = False  # a later event made the clock moot

    @property
    def running(self) -> bool:
        return self.actual is None and not self.cancelled

    @property
    def late(self) -> bool:
        """Met, but after its due date."""
        return self.actual is not None and self.actual > self.due

    def overdue(self, today: dt.date) -> bool:
        """Still running past its due date."""
        return self.running and today > self.due

    def due_within(self, today: dt.date, days: int) -> bool:
        """Still running and due between today and `days` from today."""
        return self.running and today <= self.due <= today + dt.timedelta(days=days)


def add_days(start: dt.date, days: int, count: DayCount) -> dt.date:
    """`days` after `start`: calendar days, or business days (Monday to Friday)."""
    if count is DayCount.CALENDAR:
        return start + dt.timedelta(days=days)
    current, left = start, days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < SATURDAY:
            left -= 1
    return current


def case_clocks(case: Case, table: RuleTable | None = None) -> list[Clock]:
    """The clocks of `case` that have started, in the order of their due dates."""
    table = table or default_rules()
    overrides = {o.rule: o for o in case.clock_overrides}
    clocks = []
    for rule in table.for_type(case.case_type):
        clock = _clock(rule, case.events, overrides.get(rule.id))
        if clock is not None:
            clocks.append(clock)
    clocks.sort(key=lambda c: (c.due, c.rule.id))
    return clocks


def _clock(
    rule: ClockRule, steps: Iterable[CaseStep], override: ClockOverride | None
) -> Clock | None:
    dates = _dates_by_event(steps)
    started = _earliest(dates.get(rule.starts, []))
    if started is None:
        return None
    if rule.only_if and not any(event in dates for event in rule.only_if):
        return None
    days, count = rule.days, rule.count
    if override is not None:
        days = override.days or days
        count = override.count or count
    due = override.due if override is not None and override.due else add_days(started, days, count)
    stops = [d for event in rule.stops for d in dates.get(event, []) if d >= started]
    cancels = [d for event in rule.cancelled_by for d in dates.get(event, []) if d >= started]
    return Clock(
        rule=rule,
        started=started,
        due=due,
        actual=_earliest(stops),
        days=days,
        count=count,
        override=override,
        cancelled=bool(cancels) and not stops,
    )


def _dates_by_event(steps: Iterable[CaseStep]) -> dict[CaseEvent, list[dt.date]]:
    found: dict[CaseEvent, list[dt.date]] = {}
    for step in steps:
        if step.on is not None:
            found.setdefault(step.event, []).append(step.on)
    return found


def _earliest(dates: list[dt.date]) -> dt.date | None:
    return min(dates) if dates else None


def unknown_override_rules(case: Case, table: RuleTable | None = None) -> list[str]:
    """Overrides naming a clock the rule table does not have (a typo, or a retired rule)."""
    table = table or default_rules()
    return [o.rule for o in case.clock_overrides if table.get(o.rule) is None]
