"""HQ's answer to one batch is taken into the journal while the next batch is on its way.
Each is saved first, so a round cut between them resumes exactly: nothing is lost, nothing
is sent again under another batch id (which would show other devices' later edits as
conflicts), and a refusal in the answer still reaches the quarantine."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from fieldkit.domain.records import Facility, Record
from fieldkit.sync.batch import Answer, unpack
from fieldkit.sync.engine import ANSWER, PENDING, SyncEngine
from fieldkit.sync.protocol import Clamped, Rejected, SyncResponse
from fieldkit.sync.transport import HqLink
from tests.sync.devices import Device

MakeDevice = Callable[..., Device]


class PowerCut(Exception):
    pass


def twelve_facilities(ana: Device, *, refused: int) -> list[Record]:
    """Twelve facilities, one (number `refused`) with a value HQ refuses, as an older,
    buggier FieldKit might have journaled it."""
    facilities = [ana.create(Facility(name=f"Planta {n}")) for n in range(12)]
    with ana.store._writing() as db:
        db.execute(
            "UPDATE journal SET value = json_set(value, '$.sector', ?) WHERE record_id = ?",
            ["not-a-sector", facilities[refused].id],
        )
    return facilities


def test_a_round_cut_before_an_answer_is_taken_in_resumes_exactly(
    device: MakeDevice, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, luis = device("ana"), device("luis")
    facilities = twelve_facilities(ana, refused=0)
    unsent = ana.store.count_unsent()

    def cut(_engine: SyncEngine, _answer: Answer) -> None:
        raise PowerCut  # after the next batch was sent, before the journal took this answer

    with monkeypatch.context() as patched, HqLink(ana.address, token=ana.token) as link:
        patched.setattr(SyncEngine, "_take_in", cut)
        with pytest.raises(PowerCut):
            SyncEngine(ana.store, link, push_limit=7).run()
    assert ana.store.get_meta(ANSWER) and ana.store.get_meta(PENDING)
    assert ana.store.count_unsent() == unsent  # nothing marked sent yet

    # HQ holds both batches; another attaché pulls them and renames a facility of the first.
    luis.sync()
    luis.edit(luis.records.get(Facility, facilities[1].id), name="Planta renombrada")
    luis.sync()

    report = ana.sync()
    assert ana.store.count_unsent() == 0
    assert not ana.store.get_meta(ANSWER) and not ana.store.get_meta(PENDING)
    (refused,) = ana.store.sync.quarantined()
    assert (refused["record_id"], refused["field"]) == (facilities[0].id, "sector")
    # The first batch was never sent again as a new one: Luis's later edit is no conflict.
    assert report.conflicts == 0 and ana.conflicts() == []
    luis.sync()
    assert luis.conflicts() == []
    assert ana.records.get(Facility, facilities[1].id).name == "Planta renombrada"
    assert ana.snapshot(("facility",)) == luis.snapshot(("facility",))


def test_every_batch_is_saved_before_it_is_sent(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    twelve_facilities(ana, refused=5)
    sent: list[bool] = []

    with HqLink(ana.address, token=ana.token) as link:
        real_sync = link.sync

        def checked_sync(request: Any) -> SyncResponse:
            if isinstance(request, bytes):  # a batch (a pull alone is a SyncRequest)
                saved = ana.store.get_meta(PENDING)
                sent.append(saved is not None and unpack(saved) == request)
            return real_sync(request)

        link.sync = checked_sync  # type: ignore[method-assign]
        report = SyncEngine(ana.store, link, push_limit=7).run()
    assert len(sent) >= 3 and all(sent)
    assert report.rejected == 1 and ana.store.count_unsent() == 0
    luis.sync()
    assert len(luis.snapshot(("facility",))) == 12


def test_a_saved_answer_reads_back_as_it_was() -> None:
    response = SyncResponse(
        batch="b1",
        applied=3,
        rejected=[Rejected(record="r1", field="sector", code="invalid_value", message="sector")],
        clamped=[Clamped(record="r2", sent=5 << 16, hlc=4 << 16)],
        cursor=42,
        server_time=1_900_000_000_000,
    )
    answer = Answer(json.dumps(["c1", "c2"]), ("conflict-1",), response)
    again = Answer.loads(answer.dumps())
    assert again == answer
