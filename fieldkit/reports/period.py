"""The period summary: how many visits started in a date range, by sector and by state, then
every visit grouped by sector and state."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from fieldkit.domain.choices import MexicanState, Sector
from fieldkit.domain.records import Facility, Visit
from fieldkit.i18n import N_
from fieldkit.reports.blocks import Builder, render_story
from fieldkit.reports.model import PeriodReport

PERIOD_SUMMARY = N_("Period summary")
PERIOD_SUMMARY_TITLE = N_("Period summary: {start} – {end}")
BY_SECTOR = N_("Visits by sector")
BY_STATE = N_("Visits by state")
ALL_VISITS = N_("Visits by sector and state")
VISIT_COUNT = N_("Visits")
TOTAL = N_("Total")
UNKNOWN = N_("Unknown")
DATE = N_("Date")

_SECTOR_ORDER = {sector: index for index, sector in enumerate(Sector)}
FIRST_SECTORS = frozenset(
    {
        Sector.AUTOS,
        Sector.AUTO_PARTS,
        Sector.ELECTRONICS,
        Sector.APPAREL,
        Sector.AEROSPACE,
        Sector.RUBBER_TIRES,
        Sector.AGRICULTURE,
        Sector.MINING,
        Sector.OTHER,
    }
)
Group = tuple[Sector | None, MexicanState | None]


def render_period(report: PeriodReport) -> bytes:
    b = Builder(report.options)
    span = b.t(PERIOD_SUMMARY_TITLE).format(start=b.date(report.start), end=b.date(report.end))
    dates = b.span(report.start, report.end)
    b.title_block(b.t(PERIOD_SUMMARY), [dates, report.scope] if report.scope else [dates])
    groups: dict[Group, list[tuple[Visit, Facility | None]]] = defaultdict(list)
    for visit in report.visits:
        facility = report.facilities.get(visit.facility_id or "")
        key = (facility.sector, facility.state) if facility else (None, None)
        groups[key].append((visit, facility))
    by_sector = Counter[Sector | None]()
    by_state = Counter[MexicanState | None]()
    for (sector, state), members in groups.items():
        by_sector[sector] += len(members)
        by_state[state] += len(members)
    total = len(report.visits)
    b.heading(b.t(BY_SECTOR))
    # Every sector of the first release, and any newer one only when it has visits: the list
    # of Annex 31-A sectors is long, and a page of zeros helps no one.
    sectors: list[Sector | None] = [s for s in Sector if s in FIRST_SECTORS or by_sector[s]]
    if by_sector[None]:
        sectors.append(None)
    counts(b, b.field(Facility, "sector"), [(name(b, s), by_sector[s]) for s in sectors], total)
    b.heading(b.t(BY_STATE))
    states = sorted((s for s in by_state if by_state[s]), key=lambda s: state_key(b, s))
    counts(b, b.field(Facility, "state"), [(name(b, s), by_state[s]) for s in states], total)
    b.heading(b.t(ALL_VISITS))
    if not groups:
        b.none()
    listed_sector: object = ()
    for sector, state in sorted(groups, key=lambda g: group_key(b, g)):
        if sector != listed_sector:
            b.heading(name(b, sector), level=1)
            listed_sector = sector
        b.heading(name(b, state), level=2)
        visit_table(b, groups[(sector, state)])
    return render_story(b, span, b.t(PERIOD_SUMMARY))


def name(b: Builder, member: Sector | MexicanState | None) -> str:
    return b.t(UNKNOWN) if member is None else b.choice(member)


def state_key(b: Builder, state: MexicanState | None) -> tuple[bool, str]:
    return (state is None, name(b, state).casefold())


def group_key(b: Builder, group: Group) -> tuple[int, bool, str]:
    sector, state = group
    order = len(_SECTOR_ORDER) if sector is None else _SECTOR_ORDER[sector]
    return (order, *state_key(b, state))


def counts(b: Builder, heading: str, rows: Sequence[tuple[str, int]], total: int) -> None:
    if not total:
        b.none()
        return
    data = [[label, b.t.number(count)] for label, count in rows]
    totals = [[b.t(TOTAL), b.t.number(total)]]
    b.table([heading, b.t(VISIT_COUNT)], data, [0.6, 0.2], totals=totals, right=(1,))


def visit_table(b: Builder, members: Sequence[tuple[Visit, Facility | None]]) -> None:
    def order(member: tuple[Visit, Facility | None]) -> tuple[str, str]:
        visit, facility = member
        day = visit.start_date.isoformat() if visit.start_date else ""
        return (day, facility.name.casefold() if facility else "")

    rows = [
        [
            b.span(visit.start_date, visit.end_date),
            facility.name if facility else "",
            b.choice(visit.purpose),
            b.choice(visit.status),
        ]
        for visit, facility in sorted(members, key=order)
    ]
    headers = [b.t(DATE), b.t(Facility.LABEL)] + [b.field(Visit, f) for f in ("purpose", "status")]
    b.table(headers, rows, [0.22, 0.42, 0.22, 0.14])
