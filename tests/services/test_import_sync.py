"""Records that came in through an import travel to headquarters and to another attaché's
vault like records saved one by one (a real HQ on loopback, real encrypted vaults)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from fieldkit.domain.choices import MexicanState, Sector
from fieldkit.domain.records import EPOCH, Facility
from fieldkit.services.vault import Vault, create_vault
from tests.conftest import PASSPHRASE, fast_kdf
from tests.hq_server import RunningHQ

TIMES = {"created_at": EPOCH, "updated_at": EPOCH}
DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Vault]:
    opened, _recovery = create_vault(tmp_path / "b", PASSPHRASE, kdf=fast_kdf())
    yield opened
    opened.lock()


def connect(vault: Vault, hq: RunningHQ, name: str) -> None:
    vault.sync.connect(vault.sync.preview(hq.url), hq.enroll(name))


def test_imported_facilities_sync_whole(vault: Vault, other: Vault, hq: RunningHQ) -> None:
    vault.records.create(Facility(name="Guardada a mano", state=MexicanState.JAL))
    vault.transfer.import_file("facilities", DATA / "excel_cp1252_comma.csv")
    connect(vault, hq, "Ana Pérez")
    unsent = vault.sync.status().unsent
    assert unsent == 5 * (len(Facility.specs()) + 1)  # every field and created_at, per record
    assert vault.sync.sync_now().pushed == unsent
    connect(other, hq, "Luis Ortega")
    other.sync.sync_now()
    mine = {f.name: f for f in vault.records.list(Facility)}
    theirs = {f.name: f for f in other.records.list(Facility)}
    assert set(theirs) == set(mine) and len(theirs) == 5
    for name, facility in mine.items():  # times come from the clock's milliseconds there
        assert replace(theirs[name], **TIMES) == replace(facility, **TIMES), name
    assert theirs["Planta Norte"].sector is Sector.AUTOS
    assert [hit.title for hit in other.records.search("bajio")] == ["Planta Norte"]
