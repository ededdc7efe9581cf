"""A vault holding one interview, with every kind of field filled, linked from a visit and a
case, that the app shows as another attaché's once `Scene.review` puts it in reviewer mode
(this device given another node than the interview's author). Shared by the reviewer tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from fieldkit.domain.choices import ActionStatus, Consent, PersonRole, RiskLevel
from fieldkit.domain.records import Case, Facility, Interview, Visit
from fieldkit.domain.values import FollowUp
from fieldkit.i18n import ENGLISH, set_language
from fieldkit.services.reviewing import Author, ReviewerView
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.kind_page import KindPage
from fieldkit.ui.main_window import Workspace
from tests.ui.scenes import TIMEOUT, make_context

NOTES = "Lo que dijo"
RISK_NOTES = "Teme que el jefe de turno la despida"
SAFE_CONTACT = "Sólo por la tarde, por Signal"

ENGLISH_NOTICE = "Written by Ana Pérez, another attaché: it cannot be changed or deleted here."
SPANISH_NOTICE = (
    "Escrita por Ana Pérez, otro agregado laboral: aquí no se puede cambiar ni eliminar."
)


class Scene:
    def __init__(self, vault: Vault, ctx: AppContext) -> None:
        self.vault, self.ctx = vault, ctx
        plant = vault.records.create(Facility(name="Planta Norte"))
        self.visit = vault.records.create(
            Visit(facility_id=plant.id, start_date=dt.date(2026, 3, 2), summary="Recorrido")
        )
        self.interview = vault.records.create(
            Interview(
                visit_id=self.visit.id,
                held_on=dt.date(2026, 3, 2),
                pseudonym="Huizache",
                consent=Consent.GIVEN,
                risk=RiskLevel.HIGH,
                risk_notes=RISK_NOTES,
                safe_contact=SAFE_CONTACT,
                notes=NOTES,
                place="Fonda junto a la caseta",
                role=PersonRole.WORKER,
                role_details="Soldadora del turno nocturno",
                language="Español",
                follow_ups=(
                    FollowUp(
                        action="Llamar al sindicato",
                        owner="Ana",
                        due=dt.date(2026, 3, 20),
                        status=ActionStatus.OPEN,
                    ),
                ),
                sharing_summary="Despidos tras la votación.",
            )
        )
        self.case = vault.records.create(
            Case(
                reference="RRM-2026-01",
                facility_id=plant.id,
                received_on=dt.date(2026, 3, 5),
                interview_ids=(self.interview.id,),
            )
        )
        self.author = self.interview.author_device

    def review(self, node: str) -> None:
        """Reviewer mode, as HQ says it; `node` is this device's (the interview's author's
        node makes it this device's own interview)."""
        authors = {self.author: Author("Ana Pérez", "Mexico City")}
        self.ctx.reviewer = ReviewerView(True, authors, node)
        self.ctx.sig_reviewer_changed.emit()


@pytest.fixture
def scene(qapp, vault: Vault, tmp_path: Path) -> Iterator[Scene]:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    ctx = make_context(vault, tmp_path, errors)
    yield Scene(vault, ctx)
    set_language(ENGLISH)
    ctx.tasks.shutdown()
    assert [repr(e) for e in errors] == []


def workspace_of(qtbot, scene: Scene) -> Workspace:  # type: ignore[no-untyped-def]
    workspace = Workspace(scene.ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1300, 700)
    workspace.show()
    workspace.activateWindow()  # keys reach shortcuts (Enter on a list) in the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is workspace, timeout=TIMEOUT)
    return workspace


def shown(qtbot, workspace: Workspace, kind: str, record_id: str) -> KindPage:  # type: ignore[no-untyped-def]
    """Open the record the way a link or a search result does, and wait for its details."""
    workspace.show_record(kind, record_id)
    page = workspace.kind_pages[kind]
    qtbot.waitUntil(
        lambda: (r := page.records.selected_record()) is not None and r.id == record_id,
        timeout=TIMEOUT,
    )
    return page
