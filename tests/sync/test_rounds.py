"""Sync rounds between real vaults and a real HQ on loopback: what travels, what merges, what
stays private, and what happens to a change HQ refuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from fieldkit.domain.choices import Consent
from fieldkit.domain.hlc import COUNTER_BITS
from fieldkit.domain.query import ANY_ORDER
from fieldkit.domain.records import Facility, Interview, Visit
from fieldkit.errors import DeviceRevoked, HqTokenRefused
from fieldkit.services.sync import SyncService
from fieldkit.store import journal
from fieldkit.sync.engine import PENDING, Progress, SyncEngine
from fieldkit.sync.protocol import FUTURE_CLOCK_LIMIT_MS, SyncRequest
from fieldkit.sync.transport import HqLink
from tests.hq_server import RunningHQ
from tests.sync.devices import Device

MakeDevice = Callable[..., Device]
SHARED_KINDS = ("facility", "visit", "case", "tip", "grant")


def a_visit(device: Device, **fields: object) -> tuple[Facility, Visit]:
    facility = device.create(Facility(name="Autopartes del Norte"))
    visit = device.create(
        Visit(facility_id=facility.id, start_date=dt.date(2026, 11, 3), **fields)  # type: ignore[arg-type]
    )
    return facility, visit


def test_records_travel_both_ways_and_edits_merge_field_by_field(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    _facility, visit = a_visit(ana, summary="Monitoring visit")
    report = ana.sync()
    assert report.pushed > 0 and ana.store.count_unsent() == 0
    luis.sync()
    assert luis.snapshot(SHARED_KINDS) == ana.snapshot(SHARED_KINDS)

    # Both edit the same visit offline, different fields.
    ana.edit(visit, summary="Monitoring visit, day 1")
    luis.edit(visit, observations="Union notices posted by the gate.")
    for first, second in ((ana, luis), (luis, ana), (ana, luis)):
        first.sync()
        second.sync()
    merged = ana.records.get(Visit, visit.id)
    assert merged.summary == "Monitoring visit, day 1"
    assert merged.observations == "Union notices posted by the gate."
    assert luis.snapshot(SHARED_KINDS) == ana.snapshot(SHARED_KINDS)
    assert len(ana.snapshot(SHARED_KINDS)) == 2  # no record duplicated


def test_the_same_field_edited_twice_keeps_the_later_edit(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    facility = ana.create(Facility(name="Planta"))
    ana.sync()
    luis.sync()
    luis.edit(facility, employer="First employer")
    ana.edit(facility, employer="Later employer")  # later clock reading
    luis.sync()
    ana.sync()
    luis.sync()
    assert luis.records.get(Facility, facility.id).employer == "Later employer"
    assert ana.records.get(Facility, facility.id).employer == "Later employer"


def test_deletes_travel_as_tombstones(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    facility = ana.create(Facility(name="Textiles Unidos"))
    ana.sync()
    luis.sync()
    luis.records.delete(Facility, facility.id)
    luis.sync()
    ana.sync()
    assert ana.records.get(Facility, facility.id).deleted
    assert ana.records.search("textiles") == []


def test_an_interview_stays_with_its_author_until_shared(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    _facility, visit = a_visit(ana)
    interview = ana.create(
        Interview(
            visit_id=visit.id,
            held_on=dt.date(2026, 11, 3),
            pseudonym="W-17",
            consent=Consent.GIVEN,
            notes="x",
        )
    )
    ana.edit(interview, notes="Supervisor threatened to fire anyone who votes.")
    ana.sync()
    luis.sync()
    assert "interview" not in {r["kind"] for r in luis.snapshot().values()}

    ana.edit(interview, shared=True)
    ana.sync()
    luis.sync()
    received = luis.records.get(Interview, interview.id)
    assert received.notes == "Supervisor threatened to fire anyone who votes."
    assert received.pseudonym == "W-17" and received.held_on == dt.date(2026, 11, 3)


def test_concurrent_long_text_edits_keep_both_versions(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    _facility, visit = a_visit(ana, findings="Draft.")
    ana.sync()
    luis.sync()
    ana.edit(visit, findings="Ana: wages paid late in October.")
    luis.edit(visit, findings="Luis: no union notices on the board.")
    ana.sync()
    luis.sync()
    ana.sync()
    for each in (ana, luis):
        (conflict,) = each.conflicts()
        texts = {conflict.kept["value"], conflict.other["value"]}
        assert texts == {"Ana: wages paid late in October.", "Luis: no union notices on the board."}
    assert ana.records.get(Visit, visit.id).findings == luis.records.get(Visit, visit.id).findings

    # A person merges on one device; the other device's copy of the conflict goes away.
    conflict_id = ana.conflicts()[0].id
    SyncService(ana.store, ana.records, "vault").resolve(
        conflict_id, "Both: late wages; no notices."
    )
    ana.sync()
    luis.sync()
    assert luis.conflicts() == []
    assert luis.records.get(Visit, visit.id).findings == "Both: late wages; no notices."


def test_a_refused_change_is_quarantined_and_the_rest_goes_through(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    facility = ana.create(Facility(name="Planta"))
    with ana.store._writing() as db:  # what an older, buggier FieldKit might have written
        db.execute(
            "UPDATE journal SET value = json_set(value, '$.sector', ?) WHERE record_id = ?",
            ["not-a-sector", facility.id],
        )
    report = ana.sync()
    assert report.rejected == 1 and ana.store.count_unsent() == 0
    (refused,) = ana.store.sync.quarantined()
    assert (refused["field"], refused["code"]) == ("sector", "invalid_value")
    luis.sync()
    assert luis.records.get(Facility, facility.id).name == "Planta"


def first_batch(device: Device) -> SyncRequest:
    """The batch the device's next round sends first (saved as pending)."""
    with HqLink(device.address, token=device.token) as link:
        batch = SyncEngine(device.store, link)._first_batch()
    assert batch is not None
    return batch.request


def test_a_batch_replayed_after_a_lost_answer_changes_nothing(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    facility = ana.create(Facility(name="Planta"))
    request = first_batch(ana)
    with HqLink(ana.address, token=ana.token) as link:
        first = link.sync(request)
        luis.sync()  # HQ moves on before the replay arrives
        luis.edit(luis.records.get(Facility, facility.id), name="Planta (renamed)")
        luis.sync()
        again = link.sync(request)  # the same batch, as if the first answer was lost
    assert (again.batch, again.applied, again.rejected) == (
        first.batch,
        first.applied,
        first.rejected,
    )
    assert ana.store.get_meta(PENDING)  # still unacknowledged locally: the engine resends it
    ana.sync()
    assert ana.records.get(Facility, facility.id).name == "Planta (renamed)"
    assert ana.store.count_unsent() == 0


def test_edits_made_while_batches_are_on_their_way_go_in_the_same_round(
    device: MakeDevice,
) -> None:
    """The next batch is read while HQ applies the current one: an edit landing between the
    two (replacing an entry either batch holds, or the newest one) must still go."""
    ana, luis = device("ana"), device("luis")
    facilities = [ana.create(Facility(name=f"Planta {n}")) for n in range(12)]
    edits = iter([(facilities[-1], "Planta final"), (facilities[0], "Planta primera")])

    def edit_during_push(progress: Progress) -> None:
        step = next(edits, None) if progress.phase == "push" else None
        if step is not None:
            ana.edit(step[0], name=step[1])

    with HqLink(ana.address, token=ana.token) as link:
        report = SyncEngine(ana.store, link, push_limit=7, on_progress=edit_during_push).run()
    assert report.requests >= 3
    assert ana.store.count_unsent() == 0 and not ana.store.get_meta(PENDING)
    luis.sync()
    names = {f.id: f.name for f in luis.store.list(Facility, sort=ANY_ORDER)}
    assert names[facilities[-1].id] == "Planta final"
    assert names[facilities[0].id] == "Planta primera"
    assert len(names) == 12


def test_a_batch_saved_by_the_previous_version_is_still_sent(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    facility = ana.create(Facility(name="Planta"))
    ana.store.set_meta(PENDING, first_batch(ana).model_dump_json())  # 0.1.0 kept plain JSON
    ana.sync()
    assert ana.store.count_unsent() == 0
    luis.sync()
    assert luis.records.get(Facility, facility.id).name == "Planta"


def test_a_clock_a_year_ahead_is_clamped_and_never_blocks(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    year_ms = 365 * 24 * 3600 * 1000
    real = ana.store.clock._wall_ms
    ana.store.clock._wall_ms = lambda: real() + year_ms  # type: ignore[method-assign]
    facility = ana.create(Facility(name="From the future"))
    ana.sync()
    with ana.store._reading() as db:
        held, _node = journal.held_version(db, facility.id, "name") or (0, "")
    limit = real() + FUTURE_CLOCK_LIMIT_MS + 60_000
    assert held >> COUNTER_BITS <= limit  # adopted HQ's clamp
    luis.sync()
    assert luis.records.get(Facility, facility.id).name == "From the future"


def test_a_revoked_device_is_told_so_and_refused(device: MakeDevice, hq: RunningHQ) -> None:
    ana = device("ana")
    ana.create(Facility(name="Planta"))
    ana.sync()
    hq.revoke(ana.device_id)
    late = ana.create(Facility(name="After revocation"))
    with pytest.raises(DeviceRevoked):
        ana.sync()
    waiting = ana.store.journal_entries(unsent_only=True)
    assert waiting and {e.record_id for e in waiting} == {late.id}  # kept, not lost


def test_a_wrong_token_is_refused(device: MakeDevice) -> None:
    ana = device("ana")
    ana.token = "x" * 43
    with pytest.raises(HqTokenRefused):
        ana.sync()


def test_an_empty_round_is_one_small_request(device: MakeDevice) -> None:
    ana = device("ana")
    ana.sync()
    report = ana.sync()
    assert report.requests == 1
    assert report.bytes_sent + report.bytes_received < 1024


def test_cursor_requests_never_send_a_wall_clock(device: MakeDevice) -> None:
    ana = device("ana")
    ana.create(Facility(name="Planta"))
    with HqLink(ana.address, token=ana.token) as link:
        response = link.sync(SyncRequest(cursor=0))
    assert response.cursor >= 0 and not response.more


def test_a_device_sends_as_many_fields_per_request_as_hq_takes(device: MakeDevice) -> None:
    """HQ's answers say how many fields a request may carry (30,000): after its first request
    a device fills batches to that, never past 2,000 record edits, and every record arrives."""
    ana, luis = device("ana"), device("luis")
    ana.push_limit = None  # as the app syncs: what HQ takes
    with ana.store.transaction():
        for n in range(2500):
            ana.store.insert(Facility(name=f"Planta {n}", municipality="Silao"))
    fields = ana.store.count_unsent()
    report = ana.sync()
    assert report.pushed == fields and ana.store.count_unsent() == 0
    # 2,000 fields first (HQ has not said yet), then 2,000 records, then the rest.
    assert report.requests <= 4 < fields // 2000
    luis.sync()
    assert len(luis.snapshot(("facility",))) == 2500
    assert luis.snapshot(("facility",)) == ana.snapshot(("facility",))
