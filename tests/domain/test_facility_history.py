"""A facility's labor history against Mexico's reform, and the covered-facility test."""

from __future__ import annotations

import datetime as dt

from fieldkit.domain.choices import LaborEventKind, LegitimationStatus, Sector
from fieldkit.domain.facility_history import facility_warnings, sector_is_priority, turnout
from fieldkit.domain.records import Facility
from fieldkit.domain.rrm_rules import default_rules
from fieldkit.domain.values import LaborEvent

D = dt.date
TODAY = D(2026, 11, 21)


def test_a_legitimation_vote_after_july_2023_is_a_warning() -> None:
    on_time = LaborEvent(kind=LaborEventKind.LEGITIMATION_VOTE, on=D(2023, 7, 31))
    late = LaborEvent(kind=LaborEventKind.LEGITIMATION_VOTE, on=D(2023, 8, 1))
    revision = LaborEvent(kind=LaborEventKind.CBA_REVISION_VOTE, on=D(2025, 8, 1))
    assert facility_warnings(Facility(name="x", labor_events=(on_time, revision)), TODAY) == []
    (warning,) = facility_warnings(Facility(name="x", labor_events=(late,)), TODAY)
    assert "2023-08-01" in warning and "July 31, 2023" in warning


def test_pending_legitimation_and_impossible_turnout_are_warnings() -> None:
    pending = Facility(name="x", cba_legitimation=LegitimationStatus.PENDING)
    assert len(facility_warnings(pending, TODAY)) == 1
    assert facility_warnings(pending, D(2023, 1, 1)) == []
    vote = LaborEvent(kind=LaborEventKind.UNION_ELECTION, on=D(2024, 6, 5), eligible=10, voted=12)
    (warning,) = facility_warnings(Facility(name="x", labor_events=(vote,)), TODAY)
    assert "(12)" in warning and "(10)" in warning
    assert turnout(5530, 7100) == 5530 / 7100 and turnout(3, 0) is None


def test_the_covered_facility_test_has_two_halves() -> None:
    mine = Facility(name="Mina", sector=Sector.MINING, priority_sector=True, trade_link=True)
    assert mine.covered
    assert not Facility(name="Mina", sector=Sector.MINING, priority_sector=True).covered
    assert sector_is_priority(Sector.MINING) and sector_is_priority(Sector.SERVICES)
    assert sector_is_priority(Sector.CEMENT) and not sector_is_priority(Sector.AGRICULTURE)
    assert default_rules().legitimation_closed == D(2023, 7, 31)
