"""Organizations and the visits held at them travel through a real HQ on loopback."""

from __future__ import annotations

import datetime as dt

from fieldkit.domain.choices import OrganizationType
from fieldkit.domain.codec import to_plain
from fieldkit.domain.records import Organization, Visit
from tests.hq_server import RunningHQ


def test_an_organization_and_its_visit_round_trip(hq: RunningHQ, device) -> None:  # type: ignore[no-untyped-def]
    ana, luis = device("ana"), device("luis")
    center = ana.create(
        Organization(name="CFCRL", org_type=OrganizationType.CFCRL, notes="Oficina central")
    )
    visit = ana.create(Visit(organization_id=center.id, start_date=dt.date(2026, 11, 18)))
    ana.sync()
    luis.sync()
    assert to_plain(luis.records.get(Organization, center.id)) == to_plain(
        ana.records.get(Organization, center.id)
    )
    assert luis.records.get(Visit, visit.id).organization_id == center.id
