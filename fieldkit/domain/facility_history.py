"""What a facility's labor history says, checked against the rule table: a legitimation vote
dated after legitimation closed (July 31, 2023) is more likely a vote on a new CBA or a revision,
mis-filed; the covered-facility test's priority sectors."""

from __future__ import annotations

import datetime as dt

from fieldkit.domain.choices import LaborEventKind, LegitimationStatus, Sector, label
from fieldkit.domain.records import Facility
from fieldkit.domain.rrm_rules import default_rules
from fieldkit.i18n import N_, _

LATE_LEGITIMATION = N_(
    "A CBA legitimation vote dated {on} is after legitimation closed on July 31, 2023: was it a "
    "vote on a new CBA or a revision?"
)
PENDING_AFTER_CLOSE = N_(
    "The CBA's legitimation is still marked pending, but legitimation closed on July 31, 2023: "
    "it was legitimated, rejected or terminated."
)
TURNOUT_OVER = N_("{event} on {on}: more votes cast ({voted}) than eligible workers ({eligible}).")


def facility_warnings(facility: Facility, today: dt.date) -> list[str]:
    """Things in the facility's labor history to check (translated); saving is not refused."""
    warnings = []
    closed = default_rules().legitimation_closed or dt.date.max
    for event in facility.labor_events:
        on = event.on.isoformat() if event.on else ""
        late = event.on is not None and event.on > closed
        if event.kind is LaborEventKind.LEGITIMATION_VOTE and late:
            warnings.append(_(LATE_LEGITIMATION).format(on=on))
        if event.eligible and event.voted > event.eligible:
            warnings.append(
                _(TURNOUT_OVER).format(
                    event=label(event.kind), on=on, voted=event.voted, eligible=event.eligible
                )
            )
    pending = facility.cba_legitimation is LegitimationStatus.PENDING
    if pending and today > closed:
        warnings.append(_(PENDING_AFTER_CLOSE))
    return warnings


def turnout(voted: int, eligible: int) -> float | None:
    """Share of eligible workers who voted, or None when the eligible count is unknown."""
    return voted / eligible if eligible > 0 else None


def sector_is_priority(sector: Sector) -> bool:
    """Whether the rule table lists `sector` among Annex 31-A's priority sectors."""
    return sector in default_rules().priority_sectors
