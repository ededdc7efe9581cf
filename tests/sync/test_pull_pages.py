"""A pull of many pages writes them in one local transaction while they keep coming, and
lets go of the vault while a page is late: a save made meanwhile goes through before the
page arrives."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from fieldkit.domain.records import Facility
from fieldkit.sync.engine import SyncEngine
from fieldkit.sync.protocol import SyncRequest, SyncResponse
from fieldkit.sync.transport import HqLink
from tests.sync.devices import Device

MakeDevice = Callable[..., Device]


def test_a_save_during_a_pull_does_not_wait_for_a_late_page(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    with ana.store.transaction():
        for n in range(30):
            ana.store.insert(Facility(name=f"Planta {n}"))
    ana.sync()

    saved = threading.Event()
    page_held_until_saved: list[bool] = []
    pulls = 0

    def save_meanwhile() -> None:
        luis.create(Facility(name="Guardada durante la sincronización"))
        saved.set()

    with HqLink(luis.address, token=luis.token) as link:
        real_sync = link.sync

        def late_second_page(request: Any) -> SyncResponse:
            nonlocal pulls
            if isinstance(request, SyncRequest) and request.batch is None:
                pulls += 1
                if pulls == 2:  # the second page waits for a save made meanwhile
                    threading.Thread(target=save_meanwhile).start()
                    page_held_until_saved.append(saved.wait(timeout=10))
            return real_sync(request)

        link.sync = late_second_page  # type: ignore[method-assign]
        report = SyncEngine(luis.store, link, pull_limit=10).run()

    assert pulls >= 3 and page_held_until_saved == [True]
    assert report.pulled > 0
    names = {f.name for f in luis.store.list(Facility)}
    assert {f"Planta {n}" for n in range(30)} <= names
    assert "Guardada durante la sincronización" in names
