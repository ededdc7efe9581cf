"""The sync rules of docs/sync-protocol.md, end to end over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import httpx

from fieldkit.domain.hlc import COUNTER_BITS
from fieldkit.domain.ids import new_id
from fieldkit.sync.protocol import FUTURE_CLOCK_LIMIT_MS
from tests.hq.client import values
from tests.hq.conftest import DeviceFactory
from tests.hq_server import RunningHQ


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def test_last_writer_wins_per_field(enrol: DeviceFactory) -> None:
    ana, ben, carla = enrol("Ana"), enrol("Ben"), enrol("Carla")
    facility = new_id()
    t = now_ms() << COUNTER_BITS
    ana.push([ana.change("facility", facility, "name", "Old", hlc=t + 1)])
    ben.push([ben.change("facility", facility, "name", "New", hlc=t + 5)])
    ana.push([ana.change("facility", facility, "name", "Late but older", hlc=t + 3)])
    ana.push([ana.change("facility", facility, "municipality", "Toluca", hlc=t + 2)])
    changes, _ = carla.pull_all()
    assert values(changes) == {(facility, "name"): "New", (facility, "municipality"): "Toluca"}


def test_equal_clocks_break_ties_by_node_and_replays_are_no_ops(enrol: DeviceFactory) -> None:
    low, high, reader = enrol("Low", "node-a"), enrol("High", "node-b"), enrol("Reader")
    facility = new_id()
    t = now_ms() << COUNTER_BITS
    high.push([high.change("facility", facility, "name", "B", hlc=t)])
    low.push([low.change("facility", facility, "name", "A", hlc=t)])
    changes, _ = reader.pull_all()
    assert values(changes) == {(facility, "name"): "B"}
    # The same version sent again is accepted and changes nothing: nothing new to pull.
    again = high.push([high.change("facility", facility, "name", "B", hlc=t)])
    assert again["applied"] == 1 and again["rejected"] == []
    assert reader.pull_all() == ([], [])


def test_a_replayed_batch_returns_the_stored_acknowledgement(enrol: DeviceFactory) -> None:
    ana, ben = enrol("Ana"), enrol("Ben")
    facility = new_id()
    future = (now_ms() + 3_600_000) << COUNTER_BITS
    batch = [
        ana.change("facility", facility, "name", "Planta Norte"),
        ana.change("facility", facility, "nonsense", 1),
        ana.change("facility", facility, "municipality", "Saltillo", hlc=future),
    ]
    first = ana.push(batch, batch="batch-replayed")
    # Ben overwrites the name; replaying Ana's batch must not bring hers back.
    ben.push([ben.change("facility", facility, "name", "Planta Sur")])
    second = ana.push(batch, batch="batch-replayed")
    for key in ("batch", "applied", "rejected", "clamped"):
        assert second[key] == first[key]
    assert first["applied"] == 2 and [r["code"] for r in first["rejected"]] == ["unknown_field"]
    reader = enrol("Reader")
    assert values(reader.pull_all()[0])[(facility, "name")] == "Planta Sur"


def test_a_clock_a_year_ahead_is_clamped_and_reported(enrol: DeviceFactory) -> None:
    ana, ben = enrol("Ana"), enrol("Ben")
    facility = new_id()
    year_ahead = ((now_ms() + 365 * 24 * 3600 * 1000) << COUNTER_BITS) | 7
    before = now_ms()
    ack = ana.push([ana.change("facility", facility, "name", "From the future", hlc=year_ahead)])
    after = now_ms()
    (clamped,) = ack["clamped"]
    millis, counter = clamped["hlc"] >> COUNTER_BITS, clamped["hlc"] & 0xFFFF
    assert before + FUTURE_CLOCK_LIMIT_MS <= millis <= after + FUTURE_CLOCK_LIMIT_MS
    assert counter == 7
    # A laptop with a correct clock writing a little later wins over the clamped write.
    later = (after + FUTURE_CLOCK_LIMIT_MS + 1) << COUNTER_BITS
    ben.push([ben.change("facility", facility, "name", "Present", hlc=later)])
    changes, _ = enrol("Reader").pull_all()
    assert values(changes)[(facility, "name")] == "Present"
    # A clock far behind is taken as it is.
    slow = ana.push([ana.change("facility", facility, "employer", "Slow", hlc=1 << COUNTER_BITS)])
    assert slow["clamped"] == [] and slow["applied"] == 1


def test_concurrent_long_text_edits_become_a_conflict(enrol: DeviceFactory) -> None:
    ana, ben, carla = enrol("Ana"), enrol("Ben"), enrol("Carla")
    visit = new_id()
    t = now_ms() << COUNTER_BITS
    ana.push([ana.change("visit", visit, "findings", "Base text", hlc=t)])
    base = (t, ana.node)
    ben.pull_all()
    ana.push([ana.change("visit", visit, "findings", "Ana's edit", hlc=t + 10, base=base)])
    ben.push([ben.change("visit", visit, "findings", "Ben's edit", hlc=t + 20, base=base)])
    changes, conflicts = carla.pull_all()
    assert values(changes)[(visit, "findings")] == "Ben's edit"
    (conflict,) = conflicts
    assert conflict["kept"]["value"] == "Ben's edit" and conflict["kept"]["device_name"] == "Ben"
    assert conflict["other"]["value"] == "Ana's edit" and conflict["other"]["device_name"] == "Ana"
    assert conflict["resolved"] is False
    # Every device that may see the record gets the conflict, the writers included.
    assert [c["id"] for c in ana.pull_all()[1]] == [conflict["id"]]
    # The loser sent again (a lost answer) makes no second conflict.
    ana.push([ana.change("visit", visit, "findings", "Ana's edit", hlc=t + 10, base=base)])
    assert carla.pull_all() == ([], [])
    # Resolving marks it resolved for everyone.
    ana.push([], resolved=[conflict["id"]])
    _, resolved = carla.pull_all()
    assert [(c["id"], c["resolved"]) for c in resolved] == [(conflict["id"], True)]


def test_no_conflict_for_sequential_edits_or_the_same_value(enrol: DeviceFactory) -> None:
    ana, ben, carla = enrol("Ana"), enrol("Ben"), enrol("Carla")
    visit = new_id()
    t = now_ms() << COUNTER_BITS
    ana.push([ana.change("visit", visit, "findings", "One", hlc=t)])
    # Ben edits from the version HQ holds: sequential.
    ben.push([ben.change("visit", visit, "findings", "Two", hlc=t + 1, base=(t, ana.node))])
    # Ana edits from her old base but writes the same text: nothing to keep.
    ana.push([ana.change("visit", visit, "findings", "Two", hlc=t + 2, base=(t, ana.node))])
    # The same for a short field.
    ana.push([ana.change("visit", visit, "status", "draft", hlc=t + 3)])
    ben.push([ben.change("visit", visit, "status", "final", hlc=t + 4, base=(t + 3, ana.node))])
    ana.push([ana.change("visit", visit, "status", "final", hlc=t + 5, base=(t + 3, ana.node))])
    assert carla.pull_all()[1] == []


def test_concurrent_edits_of_short_fields_become_conflicts(enrol: DeviceFactory) -> None:
    ana, ben, carla = enrol("Ana"), enrol("Ben"), enrol("Carla")
    case = new_id()
    t = now_ms() << COUNTER_BITS
    base = (t, ana.node)
    start = {"stage": "petition_received", "received_on": "2026-05-04", "allegations": []}
    ana.push([ana.change("case", case, name, value, hlc=t) for name, value in start.items()])
    edits = {
        ana: {"stage": "closed", "received_on": "2026-05-05", "allegations": ["union_dismissal"]},
        ben: {"stage": "monitoring", "received_on": "2026-05-06", "allegations": []},
    }
    for offset, (who, values_) in enumerate(edits.items(), start=10):
        who.push(
            [who.change("case", case, n, v, hlc=t + offset, base=base) for n, v in values_.items()]
        )
    changes, conflicts = carla.pull_all()
    assert values(changes)[(case, "stage")] == "monitoring"  # the clock winner, as before
    kept = {c["field"]: (c["kept"]["value"], c["other"]["value"]) for c in conflicts}
    assert kept == {
        "stage": ("monitoring", "closed"),
        "received_on": ("2026-05-06", "2026-05-05"),
        "allegations": ([], ["union_dismissal"]),
    }


def test_private_interview_reaches_others_only_once_shared(enrol: DeviceFactory) -> None:
    ana, ben = enrol("Ana"), enrol("Ben")
    interview, attachment, sha = new_id(), new_id(), "ab" * 32
    ana.push(
        [
            ana.change("interview", interview, "pseudonym", "Rosa"),
            ana.change("interview", interview, "notes", "Words of a worker"),
            ana.change("attachment", attachment, "record_kind", "interview"),
            ana.change("attachment", attachment, "record_id", interview),
            ana.change("attachment", attachment, "sha256", sha),
        ]
    )
    facility = new_id()
    ana.push([ana.change("facility", facility, "name", "Planta")])
    changes, _ = ben.pull_all()
    assert {c["record"] for c in changes} == {facility}
    ana.push([ana.change("interview", interview, "shared", True)])
    changes, _ = ben.pull_all()
    assert values(changes) == {
        (interview, "pseudonym"): "Rosa",
        (interview, "notes"): "Words of a worker",
        (interview, "shared"): True,
        (attachment, "record_kind"): "interview",
        (attachment, "record_id"): interview,
        (attachment, "sha256"): sha,
    }
    # Un-sharing stops further changes reaching Ben.
    ana.push([ana.change("interview", interview, "shared", False)])
    ana.push([ana.change("interview", interview, "notes", "Private again")])
    assert ben.pull_all() == ([], [])


def test_attachment_sent_before_its_record_follows_it_once_known(enrol: DeviceFactory) -> None:
    ana, ben = enrol("Ana"), enrol("Ben")
    facility, attachment = new_id(), new_id()
    ana.push([ana.change("attachment", attachment, "record_id", facility)])
    assert ben.pull_all() == ([], [])  # HQ does not yet know whether the record is private
    ana.push([ana.change("facility", facility, "name", "Planta")])
    changes, _ = ben.pull_all()
    assert values(changes) == {(facility, "name"): "Planta", (attachment, "record_id"): facility}


def test_writes_a_device_is_not_permitted(enrol: DeviceFactory) -> None:
    ana, ben = enrol("Ana"), enrol("Ben")
    private, shared = new_id(), new_id()
    ana.push(
        [
            ana.change("interview", private, "pseudonym", "Rosa"),
            ana.change("interview", shared, "pseudonym", "Luis"),
            ana.change("interview", shared, "shared", True),
        ]
    )
    ack = ben.push(
        [
            ben.change("interview", private, "notes", "Ben writes into Ana's interview"),
            ben.change("interview", shared, "shared", False),
            ben.change("attachment", new_id(), "record_id", private),
            ben.change("interview", shared, "notes", "Allowed: shared with Ben"),
            ben.change("facility", shared, "name", "Wrong kind for this record"),
        ]
    )
    codes = [r["code"] for r in ack["rejected"]]
    assert codes == ["not_permitted", "not_permitted", "not_permitted", "invalid_value"]
    assert ack["applied"] == 1
    changes, _ = ana.pull_all()
    assert values(changes) == {(shared, "notes"): "Allowed: shared with Ben"}


def test_invalid_changes_are_rejected_one_by_one(enrol: DeviceFactory) -> None:
    ana = enrol("Ana")
    record = new_id()
    ack = ana.push(
        [
            ana.change("spaceship", record, "name", "x"),
            ana.change("facility", record, "warp", "x"),
            ana.change("visit", record, "start_date", "not a date"),
            ana.change("facility", record, "name", "x" * (1 << 20)),
            ana.change("facility", record, "name", "Fine"),
        ]
    )
    codes = [r["code"] for r in ack["rejected"]]
    assert codes == ["unknown_kind", "unknown_field", "invalid_value", "value_too_large"]
    assert ack["applied"] == 1


def test_tombstones_travel_and_are_not_resurrected(enrol: DeviceFactory) -> None:
    ana, ben, carla = enrol("Ana"), enrol("Ben"), enrol("Carla")
    tip = new_id()
    t = now_ms() << COUNTER_BITS
    ana.push(
        [
            ana.change("tip", tip, "subject", "Threats"),
            ana.change("tip", tip, "deleted", False, hlc=t),
        ]
    )
    ben.push([ben.change("tip", tip, "deleted", True, hlc=t + 5)])
    ana.push([ana.change("tip", tip, "deleted", False, hlc=t + 1)])  # an older undo
    changes, _ = carla.pull_all()
    assert values(changes)[(tip, "deleted")] is True


def test_pull_pages_in_sequence_and_skips_rows_the_device_cannot_see(enrol: DeviceFactory) -> None:
    ana, ben = enrol("Ana"), enrol("Ben")
    facilities = [new_id() for _ in range(7)]
    ana.push([ana.change("facility", f, "name", f"F{i}") for i, f in enumerate(facilities)])
    hidden = new_id()
    ana.push([ana.change("interview", hidden, "notes", "a note")])
    ana.push([ana.change("interview", hidden, "pseudonym", "Rosa")])
    pages = []
    while True:
        page = ben.pull(limit=3)
        pages.append([c["record"] for c in page["changes"]])
        if not page["more"]:
            break
    assert pages == [facilities[:3], facilities[3:6], facilities[6:]]
    # The last page's cursor passed the interview rows Ben may not see.
    top = ana.pull()["cursor"]
    assert ben.cursor == top
    assert ben.pull()["changes"] == []


def test_own_writes_are_not_sent_back(enrol: DeviceFactory) -> None:
    ana = enrol("Ana")
    ana.push([ana.change("facility", new_id(), "name", "Mine")])
    assert ana.pull_all() == ([], [])


def test_a_cursor_ahead_of_hq_starts_over(enrol: DeviceFactory) -> None:
    """After HQ is restored from a backup, a device's cursor can be ahead of HQ's counter."""
    ana, ben = enrol("Ana"), enrol("Ben")
    facility = new_id()
    ana.push([ana.change("facility", facility, "name", "Planta")])
    ben.cursor = 10_000
    changes, _ = ben.pull_all()
    assert values(changes) == {(facility, "name"): "Planta"}


def test_odd_but_valid_requests(enrol: DeviceFactory, hq: RunningHQ) -> None:
    """Values the schema allows that once reached the database badly (found by fuzzing)."""
    ana = enrol("Ana")
    huge = ana.sync(cursor=1 << 120, pull=False)
    assert huge.status_code == 200 and huge.json()["cursor"] == 1 << 120
    assert ana.sync(cursor=1 << 120).json()["cursor"] >= 0
    code = hq.enroll("Ben")
    odd = {"code": code, "node": "node-odd", "label": "tab\there\x00nul"}
    answer = httpx.post(hq.url + "/v1/enrol", json=odd)
    assert answer.status_code == 200


def test_pulled_values_come_back_exactly_as_pushed(enrol: DeviceFactory) -> None:
    """The database writes each pulled change's JSON (one query per backend): every kind of
    value a field holds comes back equal, accents, quotes and nesting included, field by
    field (protocol 1) and as records (protocol 2)."""
    ana, ben, carla = enrol("Ana"), enrol("Ben"), enrol("Carla")
    visit = new_id()
    t = now_ms() << COUNTER_BITS
    pushed = {
        "summary": 'Visita "sorpresa" a Ñandú\\Planta\n\ttab ✓ 😀',
        "attaches": ["A. Ramírez", "J. Smith"],
        "follow_ups": [
            {"action": "Revisar nómina", "owner": "", "due": "2026-12-01", "status": "open"}
        ],
        "facility_id": new_id(),
        "start_date": "2026-11-03",
        "end_date": "2026-11-05",
        "deleted": True,
        "created_at": "2026-11-01T10:00:00+00:00",
    }
    ana.push(
        [
            ana.change("visit", visit, field, value, hlc=t + n)
            for n, (field, value) in enumerate(pushed.items())
        ]
    )
    # A null and a false over stored values (a default HQ never held is not stored).
    later = {"end_date": None, "deleted": False}
    ana.push(
        [ana.change("visit", visit, f, v, hlc=t + 10 + n) for n, (f, v) in enumerate(later.items())]
    )
    pushed.update(later)
    changes, _ = ben.pull_all()
    assert {field: value for (_, field), value in values(changes).items()} == pushed
    assert {c["hlc"] for c in changes} == {t, t + 1, t + 2, t + 3, t + 4, t + 7, t + 10, t + 11}
    assert {c["node"] for c in changes} == {ana.node}
    page = carla.sync(protocol=2, cursor=0).json()
    assert "changes" not in page
    got = {f: v for record in page["records"] for f, v in record["fields"].items()}
    assert got == pushed
    assert {r["record"] for r in page["records"]} == {visit}


def test_a_record_no_device_could_have_saved_is_refused_whole(enrol: DeviceFactory) -> None:
    """A new record (its created_at in the request) that leaves a required field empty is
    refused, every field of it, with the code a device quarantines on; a complete one is
    stored. A required field the request does not name is not judged (it may come later)."""
    ana, ben = enrol("Ana"), enrol("Ben")
    made = "2026-11-01T10:00:00+00:00"
    nameless, named, case = new_id(), new_id(), new_id()
    answer = ana.push(
        [
            ana.change("facility", nameless, "name", " "),
            ana.change("facility", nameless, "municipality", "Saltillo"),
            ana.change("facility", nameless, "created_at", made),
            ana.change("facility", named, "name", "Planta"),
            ana.change("facility", named, "created_at", made),
        ]
    )
    assert answer["applied"] == 2 and len(answer["rejected"]) == 3
    assert {(r["code"], r["message"]) for r in answer["rejected"]} == {
        ("invalid_value", "name: required when a record is created")
    }
    # Protocol 2: a case without the facility it concerns, as one record edit.
    t = now_ms() << COUNTER_BITS
    fields = {"reference": "RRM-1", "facility_id": None, "received_on": "2026-05-04"}
    fields["created_at"] = made
    edit = {"kind": "case", "record": case, "hlc": t, "fields": fields}
    reply = ana.sync(protocol=2, batch="b-case", records=[edit], pull=False).json()
    assert {(r["record"], r["field"], r["code"]) for r in reply["rejected"]} == {
        (case, name, "invalid_value") for name in fields
    }
    changes, _ = ben.pull_all()
    assert {c["record"] for c in changes} == {named}
    # Not named at all: judged field by field (the rest of the record may be in a later batch).
    partial = new_id()
    sent = ana.push([ana.change("tip", partial, "created_at", made)])
    assert sent["rejected"] == []
    # Fields of a record HQ already holds are judged one by one, as before.
    again = ana.push([ana.change("facility", named, "municipality", "Arteaga")])
    assert again["applied"] == 1 and again["rejected"] == []


def test_a_new_record_breaking_a_rule_between_its_fields_is_refused_whole(
    enrol: DeviceFactory,
) -> None:
    """The rules a save keeps between fields (dates in order, consent before notes, a case's
    lifecycle) refuse a new record whose request names every field the rule reads; a record
    whose request names only some of them is not judged on that rule."""
    ana, ben = enrol("Ana"), enrol("Ben")
    made = "2026-11-01T10:00:00+00:00"
    facility = new_id()
    ana.push(
        [
            ana.change("facility", facility, "name", "Planta"),
            ana.change("facility", facility, "created_at", made),
        ]
    )
    t = now_ms() << COUNTER_BITS
    backwards, silent, tangled, fine = new_id(), new_id(), new_id(), new_id()

    def visit(record: str, start: str, end: str) -> dict[str, object]:
        fields = {"facility_id": facility, "organization_id": None, "start_date": start,
                  "end_date": end, "created_at": made}  # fmt: skip
        return {"kind": "visit", "record": record, "hlc": t, "fields": fields}

    notes = {"facility_id": facility, "consent": "withdrawn", "notes": "Dijo que...",
             "created_at": made}  # fmt: skip
    events = [{"event": "ev_mexico_found_denial", "on": "2026-05-01", "note": ""}]
    case = {"reference": "RRM-9", "case_type": "rrm_petition", "stage": "petition_received",
            "facility_id": facility, "received_on": "2026-04-01", "events": events,
            "created_at": made}  # fmt: skip
    edits = [
        visit(backwards, "2026-05-10", "2026-05-02"),
        {"kind": "interview", "record": silent, "hlc": t, "fields": notes},
        {"kind": "case", "record": tangled, "hlc": t, "fields": case},
        visit(fine, "2026-05-02", "2026-05-03"),
    ]
    reply = ana.sync(protocol=2, batch="b-rules", records=edits, pull=False).json()
    refused = {(r["record"], r["field"]): r["message"] for r in reply["rejected"]}
    assert {record for record, _field in refused} == {backwards, silent, tangled}
    assert len(refused) == sum(len(e["fields"]) for e in edits[:3])  # every field of them
    assert refused[(backwards, "start_date")].startswith("end_date: ")
    assert refused[(silent, "notes")].startswith("notes: ")
    assert refused[(tangled, "events")].startswith("events: ")
    # A new visit whose request names only its end date is judged field by field.
    partial = {"kind": "visit", "record": new_id(), "hlc": t,
               "fields": {"end_date": "2020-01-01", "created_at": made}}  # fmt: skip
    assert (
        ana.sync(protocol=2, batch="b-part", records=[partial], pull=False).json()["rejected"] == []
    )
    changes, _ = ben.pull_all()
    assert {c["record"] for c in changes} >= {fine, facility}
    assert not {c["record"] for c in changes} & {backwards, silent, tangled}
