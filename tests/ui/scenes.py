"""Shared scenes for the list tests: a context over a real vault, and an interview whose
notes, risk and contact are recognizable so tests can prove they never show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from fieldkit.domain.choices import Consent, RiskLevel
from fieldkit.domain.records import Case, Facility, Grant, Interview, Record, Tip, Visit
from fieldkit.services.demo import fill_with_demo_data
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.preferences import Preferences
from fieldkit.ui.tasks import TaskRunner

TIMEOUT = 10_000
TIRE_PLANT = "Neumáticos Tangamanga – Planta San Luis Potosí"
SECRET_NOTES = "ZQX la supervisora guarda la lista negra en la oficina 3"
SECRET_RISK = "ZQX amenazada por el jefe de turno"
SECRET_CONTACT = "ZQX solo por Signal al 444 555"
LIST_KINDS: tuple[type[Record], ...] = (Facility, Visit, Interview, Case, Tip, Grant)


def make_context(vault: Vault, tmp_path: Path, errors: list[BaseException]) -> AppContext:
    tasks = TaskRunner(default_error_handler=errors.append)
    settings = QSettings(str(tmp_path / "records.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(vault.files.root, Preferences(settings), tasks)
    ctx.set_vault(vault)
    return ctx


def secret_interview(facility_id: str) -> Interview:
    return Interview(
        facility_id=facility_id,
        held_on=dt.date(2026, 3, 10),
        pseudonym="Huizache",
        consent=Consent.GIVEN,
        risk=RiskLevel.HIGH,
        notes=SECRET_NOTES,
        risk_notes=SECRET_RISK,
        safe_contact=SECRET_CONTACT,
        place="ZQX fonda junto a la caseta",
    )


@pytest.fixture
def records_errors() -> list[BaseException]:
    return []


@pytest.fixture
def demo_ctx(
    qapp, vault: Vault, tmp_path: Path, records_errors: list[BaseException]
) -> Iterator[AppContext]:
    """A vault with the demo data and one interview with recognizable secrets."""
    fill_with_demo_data(vault)
    plant = vault.records.list(Facility, limit=1)[0]
    vault.records.create(secret_interview(plant.id))
    ctx = make_context(vault, tmp_path, records_errors)
    yield ctx
    ctx.tasks.shutdown()
    assert records_errors == []


@pytest.fixture
def many_ctx(
    qapp, vault: Vault, tmp_path: Path, records_errors: list[BaseException]
) -> Iterator[AppContext]:
    """A vault with 450 facilities named Plant 000 to Plant 449."""
    for number in range(450):
        vault.records.create(Facility(name=f"Plant {number:03d}"))
    ctx = make_context(vault, tmp_path, records_errors)
    yield ctx
    ctx.tasks.shutdown()
    assert records_errors == []
