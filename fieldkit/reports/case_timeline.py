"""The parts of the case summary that follow a case through the Rapid Response mechanism: the
path its events took (its branch), the branches still open, its deadline clocks with due and
actual dates, the suspension of customs liquidation and the Annex 31-A remedies imposed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fieldkit.domain.case_lifecycle import TransitionRefused, next_events, replay
from fieldkit.domain.choices import CaseEvent, CaseStage
from fieldkit.domain.records import Case
from fieldkit.domain.rrm_clocks import Clock, case_clocks
from fieldkit.domain.values import CaseStep, Sanction
from fieldkit.i18n import N_
from fieldkit.reports.blocks import Builder

CASE_PATH = N_("Path of the case")
STAGE_REACHED = N_("Stage reached")
BRANCH = N_("Branch: {path}")
OPEN_BRANCHES = N_("What may come next: {events}")
CLOCKS = N_("Deadline clocks")
CLOCK_STARTED = N_("Started")
CLOCK_DUE = N_("Due")
CLOCK_ACTUAL = N_("Actual")
CLOCK_STATUS = N_("Status")
CLOCK_MET = N_("Met")
CLOCK_LATE = N_("Late by {days} days")
CLOCK_OVERDUE = N_("OVERDUE by {days} days")
CLOCK_RUNNING = N_("Running: {days} days left")
CLOCK_MOOT = N_("Not applicable")
CLOCK_OVERRIDDEN = N_("{clock} (set for this case: {reason})")
CLOCK_SOURCES = N_("Where each clock is written")
LIQUIDATION = N_("Suspension of customs liquidation")
LIQUIDATION_SPAN = N_("From {start} to {end}")
LIQUIDATION_OPEN = N_("From {start}, still suspended")


def case_path(b: Builder, case: Case) -> None:
    """Each event with the stage it led to, the branch in one line and the open branches."""
    stages = _stages(case)
    rows = [
        [b.date(step.on), b.choice(step.event), b.choice(stage) if stage else "", step.note]
        for step, stage in zip(case.events, stages, strict=True)
    ]
    headers = [b.t(N_("Date")), b.t(N_("Event")), b.t(STAGE_REACHED), b.t(N_("Note"))]
    b.table(headers, rows, [0.14, 0.32, 0.26, 0.28])
    path = list(dict.fromkeys(b.choice(s) for s in stages if s is not None))
    if path:
        b.text(b.t(BRANCH).format(path=" → ".join(path)))
    options = [b.choice(e) for e in next_events(case)] if not _broken(case) else []
    if options:
        b.text(b.t(OPEN_BRANCHES).format(events="; ".join(options)))


def _stages(case: Case) -> list[CaseStage | None]:
    """The stage after each event (None from the first step that cannot follow)."""
    stages: list[CaseStage | None] = []
    for index in range(len(case.events)):
        try:
            stages.append(replay(case.case_type, case.events[: index + 1]))
        except TransitionRefused:
            stages.append(None)
    return stages


def _broken(case: Case) -> bool:
    try:
        replay(case.case_type, case.events)
    except TransitionRefused:
        return True
    return False


def clocks(b: Builder, case: Case) -> None:
    """Every started clock: its due date beside the actual one, late and overdue flagged."""
    found = case_clocks(case)
    today = b.options.generated_at.date()
    rows = [
        [
            _clock_name(b, c),
            b.date(c.started),
            b.date(c.due),
            b.date(c.actual),
            _status(b, c, today),
        ]
        for c in found
    ]
    headers = [b.t(N_("Clock")), b.t(CLOCK_STARTED), b.t(CLOCK_DUE), b.t(CLOCK_ACTUAL)]
    b.table([*headers, b.t(CLOCK_STATUS)], rows, [0.36, 0.14, 0.14, 0.14, 0.22])
    if found:
        b.subheading(b.t(CLOCK_SOURCES))
        b.bullets([f"{c.rule.label_for(b.t.language)}: {c.rule.citation}" for c in found])


def clock_rows(b: Builder, case: Case) -> list[list[str]]:
    """Compact rows (clock, due, actual, status) for reports that list many cases."""
    today = b.options.generated_at.date()
    return [
        [_clock_name(b, c), b.date(c.due), b.date(c.actual), _status(b, c, today)]
        for c in case_clocks(case)
    ]


def _clock_name(b: Builder, clock: Clock) -> str:
    name = clock.rule.label_for(b.t.language)
    if clock.override is None:
        return name
    return b.t(CLOCK_OVERRIDDEN).format(clock=name, reason=clock.override.reason)


def _status(b: Builder, clock: Clock, today: dt.date) -> str:
    if clock.cancelled:
        return b.t(CLOCK_MOOT)
    if clock.actual is not None:
        late = (clock.actual - clock.due).days
        return b.t(CLOCK_LATE).format(days=late) if late > 0 else b.t(CLOCK_MET)
    left = (clock.due - today).days
    if left < 0:
        return b.t(CLOCK_OVERDUE).format(days=-left)
    return b.t(CLOCK_RUNNING).format(days=left)


def liquidation(b: Builder, steps: Sequence[CaseStep]) -> None:
    """When customs liquidation of the facility's goods was suspended, and until when."""
    spans: list[str] = []
    start = None
    for step in steps:
        if step.event is CaseEvent.LIQUIDATION_SUSPENDED and start is None:
            start = step.on
        elif step.event is CaseEvent.LIQUIDATION_RESUMED and start is not None:
            spans.append(b.t(LIQUIDATION_SPAN).format(start=b.date(start), end=b.date(step.on)))
            start = None
    if start is not None:
        spans.append(b.t(LIQUIDATION_OPEN).format(start=b.date(start)))
    if spans:
        b.subheading(b.t(LIQUIDATION))
        b.bullets(spans)


def sanctions(b: Builder, items: Sequence[Sanction]) -> None:
    rows = [[b.choice(s.kind), b.date(s.imposed_on), b.date(s.lifted_on), s.note] for s in items]
    headers = [b.field(Sanction, f) for f in ("kind", "imposed_on", "lifted_on", "note")]
    b.table(headers, rows, [0.34, 0.16, 0.16, 0.34])
