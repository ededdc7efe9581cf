"""Reviewer mode from real parts: a real HQ on loopback, Ana's vault (an attaché at Mexico City)
writing an unshared interview, and Rita's vault (a reviewer) receiving it by syncing, so Rita's
vault keeps its role and HQ's directory as any reviewer's does. What the record service, the
command line and the app's reviewer tests start from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fieldkit.domain.choices import Consent
from fieldkit.domain.records import Facility, Interview, Visit
from fieldkit.hq import devices
from fieldkit.hq.clock import now_ms
from fieldkit.hq.roles import Role
from fieldkit.services.vault import Vault, create_vault
from fieldkit.store.replica import StoredConflict
from tests.conftest import PASSPHRASE, fast_kdf
from tests.hq_server import RunningHQ

ANA = "Ana Pérez"
ANA_NOTES = "Dijo que el supervisor amenaza a quien vote."
ENGLISH_REFUSAL = "Written by Ana Pérez, another attaché: it cannot be changed or deleted here."
SPANISH_REFUSAL = (
    "Escrita por Ana Pérez, otro agregado laboral: aquí no se puede cambiar ni eliminar."
)


WHEN = int(dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC).timestamp() * 1000) << 16
OTHER_NOTES = "Otra versión de las notas"


def store_interview_conflicts(vault: Vault, interview: Interview) -> None:
    """Two conflicts over the interview's notes and place ("c-notes", "c-place"), stored as
    the sync engine stores those a pull brings."""
    with vault.store.transaction():
        for conflict_id, field, kept, other in (
            ("c-notes", "notes", ANA_NOTES, OTHER_NOTES),
            ("c-place", "place", "", "Fonda junto a la caseta"),
        ):
            vault.store.sync.save_conflict(
                StoredConflict(
                    conflict_id,
                    "interview",
                    interview.id,
                    field,
                    {"value": kept, "hlc": WHEN + 5, "node": interview.author_device},
                    {"value": other, "hlc": WHEN, "node": "node-luis"},
                    "2026-03-04T15:00:01+00:00",
                )
            )


@dataclass
class Reviewing:
    ana: Vault
    rita: Vault
    rita_root: Path
    facility: Facility
    visit: Visit
    interview: Interview  # Ana's, as Rita's vault received it


def _connected(root: Path, hq: RunningHQ, name: str, role: Role) -> Vault:
    vault, _recovery = create_vault(root, PASSPHRASE, kdf=fast_kdf())
    code = devices.create_code(hq.storage, name, now_ms(), role=role)
    vault.sync.connect(vault.sync.preview(hq.url), code)
    return vault


@contextmanager
def reviewing(tmp_path: Path, hq: RunningHQ) -> Iterator[Reviewing]:
    """Ana's interview in Rita's reviewer vault; both vaults open until the block ends (the
    block may lock Rita's to hand it to the command line)."""
    ana = _connected(tmp_path / "ana", hq, ANA, Role("attache", "Mexico City"))
    rita = None
    try:
        facility = ana.records.create(Facility(name="Arneses del Bajío"))
        visit = ana.records.create(
            Visit(facility_id=facility.id, start_date=dt.date(2026, 3, 2), summary="Recorrido")
        )
        interview = ana.records.create(
            Interview(
                visit_id=visit.id,
                held_on=dt.date(2026, 3, 2),
                pseudonym="Huizache",
                consent=Consent.GIVEN,
                notes=ANA_NOTES,
                risk_notes="Teme represalias del jefe de turno.",
                safe_contact="Sólo por la tarde, por Signal.",
            )
        )
        ana.sync.sync_now()
        rita = _connected(tmp_path / "rita", hq, "Rita Gómez (HQ)", Role("reviewer"))
        rita.sync.sync_now()
        received = rita.records.get(Interview, interview.id)
        assert received.notes == ANA_NOTES and rita.sync.reviewer_view().reviewer
        yield Reviewing(ana, rita, tmp_path / "rita", facility, visit, received)
    finally:
        for vault in (ana, rita):
            if vault is not None:
                vault.lock()  # a second lock changes nothing
