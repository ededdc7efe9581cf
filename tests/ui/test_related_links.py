"""A visit's details list its interviews and a facility's its visits, each a link that opens
the record, from the keyboard too; an interview recorded from a visit takes its facility."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fieldkit.domain.choices import Consent
from fieldkit.domain.records import Facility, Interview, Visit
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.main_window import Workspace
from tests.ui.scenes import TIMEOUT, make_context


class Scene:
    def __init__(self, vault: Vault) -> None:
        self.plant = vault.records.create(Facility(name="Planta Norte"))
        self.visit = vault.records.create(
            Visit(facility_id=self.plant.id, start_date=dt.date(2026, 3, 2), summary="Recorrido")
        )
        # Recorded from the visit, with no facility of its own.
        self.first = vault.records.create(
            Interview(
                visit_id=self.visit.id,
                held_on=dt.date(2026, 3, 2),
                pseudonym="Huizache",
                consent=Consent.GIVEN,
            )
        )
        self.second = vault.records.create(
            Interview(visit_id=self.visit.id, held_on=dt.date(2026, 3, 3), pseudonym="Mezquite")
        )


@pytest.fixture
def scene(qapp, vault: Vault, tmp_path: Path) -> Iterator[tuple[Scene, AppContext]]:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    made = Scene(vault)
    ctx = make_context(vault, tmp_path, errors)
    yield made, ctx
    ctx.tasks.shutdown()
    assert errors == []


def test_an_interview_from_a_visit_takes_its_facility(scene) -> None:  # type: ignore[no-untyped-def]
    made, _ctx = scene
    assert made.first.facility_id == made.plant.id
    assert made.second.facility_id == made.plant.id


def open_page(qtbot, workspace: Workspace, kind: str, record_id: str):  # type: ignore[no-untyped-def]
    workspace.show_record(kind, record_id)
    records = workspace.kind_pages[kind].records
    qtbot.waitUntil(
        lambda: (r := records.selected_record()) is not None and r.id == record_id,
        timeout=TIMEOUT,
    )
    return records


def test_a_visit_lists_its_interviews_and_a_facility_its_visits(qtbot, scene) -> None:  # type: ignore[no-untyped-def]
    made, ctx = scene
    workspace = Workspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1300, 700)
    workspace.show()
    visits = open_page(qtbot, workspace, "visit", made.visit.id)
    qtbot.waitUntil(
        lambda: "Interviews of this visit" in visits.detail.toPlainText(), timeout=TIMEOUT
    )
    html = visits.detail.toHtml()
    for interview in (made.first, made.second):
        assert f"fieldkit:interview/{interview.id}" in html
    text = visits.detail.toPlainText()
    assert text.index("Mezquite") < text.index("Huizache")  # the latest first

    facilities = open_page(qtbot, workspace, "facility", made.plant.id)
    qtbot.waitUntil(
        lambda: "Visits to this facility" in facilities.detail.toPlainText(), timeout=TIMEOUT
    )
    assert f"fieldkit:visit/{made.visit.id}" in facilities.detail.toHtml()
    assert "Recorrido" in facilities.detail.toPlainText()


def test_a_link_opens_its_record_from_the_keyboard(qtbot, scene) -> None:  # type: ignore[no-untyped-def]
    made, ctx = scene
    workspace = Workspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1300, 700)
    workspace.show()
    facilities = open_page(qtbot, workspace, "facility", made.plant.id)
    detail = facilities.detail
    qtbot.waitUntil(lambda: "Visits to this facility" in detail.toPlainText(), timeout=TIMEOUT)
    detail.setFocus()
    qtbot.waitUntil(detail.hasFocus, timeout=TIMEOUT)
    # Tab walks the links in the details; Enter opens the one highlighted.
    for _step in range(5):
        if f"visit/{made.visit.id}" in detail.textCursor().selection().toHtml():
            break
        qtbot.keyClick(detail, Qt.Key.Key_Tab)
    assert made.visit.id in detail.textCursor().selection().toHtml()
    qtbot.keyClick(detail, Qt.Key.Key_Return)
    visits = workspace.kind_pages["visit"].records
    qtbot.waitUntil(
        lambda: (r := visits.selected_record()) is not None and r.id == made.visit.id,
        timeout=TIMEOUT,
    )
    assert workspace.pages.currentWidget() is workspace.kind_pages["visit"]
    # From the visit, on to an interview the same way.
    qtbot.waitUntil(
        lambda: "Interviews of this visit" in visits.detail.toPlainText(), timeout=TIMEOUT
    )
    visits.detail.setFocus()
    qtbot.waitUntil(visits.detail.hasFocus, timeout=TIMEOUT)
    for _step in range(6):
        if f"interview/{made.second.id}" in visits.detail.textCursor().selection().toHtml():
            break
        qtbot.keyClick(visits.detail, Qt.Key.Key_Tab)
    qtbot.keyClick(visits.detail, Qt.Key.Key_Return)
    interviews = workspace.kind_pages["interview"].records
    qtbot.waitUntil(
        lambda: (r := interviews.selected_record()) is not None and r.id == made.second.id,
        timeout=TIMEOUT,
    )
