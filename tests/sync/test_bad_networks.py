"""Sync over links that delay, drop, cut and reset connections, and across an HQ restart:
afterwards nothing is lost and nothing is duplicated, on either side."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
from collections.abc import Callable

import pytest

from fieldkit.domain.records import Facility, Tip
from fieldkit.errors import HqBadResponse, HqUnreachable
from fieldkit.services.attachments import AttachmentService
from tests.hq_server import RunningHQ
from tests.sync.devices import Device
from tests.sync.fault_proxy import FaultProxy

MakeDevice = Callable[..., Device]
KINDS = ("facility", "tip")


def busy_day(device: Device, count: int, tag: str) -> list[Tip]:
    """`count` tips, each edited once after creation, and one deleted."""
    tips = [
        device.create(Tip(received_on=dt.date(2026, 11, 2), subject=f"{tag} tip {n}"))
        for n in range(count)
    ]
    for tip in tips[::3]:
        device.edit(tip, summary=f"{tag}: follow-up call made")
    device.records.delete(Tip, tips[-1].id)
    return tips


def test_nothing_lost_or_duplicated_through_a_faulty_link(
    device: MakeDevice, hq: RunningHQ
) -> None:
    with FaultProxy(hq.port, fault_rate=0.45, seed=7) as proxy:
        ana = device("ana", url=proxy.url)
        luis = device("luis", url=proxy.url)
        ana.push_limit = luis.push_limit = 20  # many small batches: many chances to fail
        ana_tips = busy_day(ana, 60, "ana")
        luis_tips = busy_day(luis, 60, "luis")
        failures = 0
        for _ in range(2):
            failures += ana.sync_until_done() + luis.sync_until_done()
        assert proxy.connections >= 60
        assert proxy.faulted_share >= 0.3, proxy.faults
    assert failures > 0  # the faults really broke rounds
    expected = {t.id for t in ana_tips} | {t.id for t in luis_tips}
    for each in (ana, luis):
        snapshot = each.snapshot(KINDS)
        assert set(snapshot) == expected  # nothing lost, nothing extra
        assert each.store.count_unsent() == 0
    assert ana.snapshot(KINDS) == luis.snapshot(KINDS)


def test_an_attachment_survives_a_faulty_link_and_is_stored_once(
    device: MakeDevice, hq: RunningHQ
) -> None:
    data = os.urandom(3 * (1 << 20) + 12345)
    with FaultProxy(hq.port, fault_rate=0.4, seed=11) as proxy:
        ana = device("ana", url=proxy.url)
        luis = device("luis", url=proxy.url)
        facility = ana.create(Facility(name="Planta"))
        AttachmentService(ana.store, ana.records).attach_bytes(facility, "photo.jpg", data)
        ana.sync_until_done()
        for _ in range(100):  # bytes may take several rounds on this link
            luis.sync_until_done()
            if luis.store.read_blob(hashlib.sha256(data).hexdigest()) is not None:
                break
    assert luis.store.read_blob(hashlib.sha256(data).hexdigest()) == data


def test_hq_restarted_mid_sync_loses_nothing(device: MakeDevice, hq: RunningHQ) -> None:
    ana, luis = device("ana"), device("luis")
    ana.push_limit = 200
    tips = busy_day(ana, 400, "ana")
    restarted = threading.Event()

    def restart_soon() -> None:
        time.sleep(0.15)
        hq.stop()
        time.sleep(0.3)
        hq.start()
        restarted.set()

    threading.Thread(target=restart_soon, daemon=True).start()
    failures = 0
    for _ in range(400):
        try:
            ana.sync()
        except (HqUnreachable, HqBadResponse):
            failures += 1
            time.sleep(0.05)
            continue
        if restarted.is_set() and ana.store.count_unsent() == 0:
            break
    assert restarted.is_set()
    luis.sync_until_done()
    assert set(luis.snapshot(KINDS)) == {t.id for t in tips}
    assert luis.snapshot(KINDS) == ana.snapshot(KINDS)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_three_devices_through_faults_converge(
    device: MakeDevice, hq: RunningHQ, seed: int
) -> None:
    with FaultProxy(hq.port, fault_rate=0.35, seed=seed) as proxy:
        fleet = [device(name, url=proxy.url) for name in ("ana", "luis", "sofia")]
        facility = fleet[0].create(Facility(name="Shared plant"))
        fleet[0].sync_until_done()
        for each in fleet[1:]:
            each.sync_until_done()
        for n, each in enumerate(fleet):
            each.edit(facility, employer=f"employer by {each.name}", address=f"street {n}")
            busy_day(each, 10, each.name)
        for _ in range(2):
            for each in fleet:
                each.sync_until_done()
    first = fleet[0].snapshot(KINDS)
    assert all(each.snapshot(KINDS) == first for each in fleet[1:])
    assert len(first) == 1 + 3 * 10
