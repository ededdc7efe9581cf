"""An interview's summary for sharing and its "no quotes" consent travel through a real HQ
like every other field: once the interview is shared, to the other device and back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fieldkit.domain.choices import Consent
from fieldkit.domain.records import Facility, Interview
from tests.sync.devices import Device

MakeDevice = Callable[..., Device]


def test_summary_for_sharing_and_no_quotes_travel(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    facility = ana.create(Facility(name="Arneses del Bajío"))
    interview = ana.create(
        Interview(
            facility_id=facility.id,
            held_on=dt.date(2026, 11, 3),
            pseudonym="W-21",
            consent=Consent.GIVEN,
            sharing_summary="Workers describe overtime announced the same day.",
        )
    )
    ana.edit(interview, shared=True, consent=Consent.GIVEN_NO_QUOTES)
    ana.sync()
    luis.sync()
    received = luis.records.get(Interview, interview.id)
    assert received.sharing_summary == "Workers describe overtime announced the same day."
    assert received.consent is Consent.GIVEN_NO_QUOTES

    luis.edit(received, sharing_summary="Overtime is announced the same day.")
    luis.sync()
    ana.sync()
    assert ana.records.get(Interview, interview.id).sharing_summary == (
        "Overtime is announced the same day."
    )
    assert ana.conflicts() == [] and ana.store.count_unsent() == 0
