"""Reviewer mode: an interview another attaché wrote never opens in an editor, whichever way
it is asked for (Edit, Enter, a double click, a link from a case or a visit, search, a
request straight to its page), and is never deleted nor given attachments. Its details say
why, in English and Spanish. The rule is one: ReviewerView.may_change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from fieldkit.domain.choices import Consent
from fieldkit.domain.records import Case, Facility, Interview, Visit
from fieldkit.i18n import ENGLISH, SPANISH, set_language
from fieldkit.services.reviewing import Author, ReviewerView
from fieldkit.services.vault import Vault
from fieldkit.ui.attachments_dialog import AttachmentsDialog
from fieldkit.ui.context import AppContext
from fieldkit.ui.kind_page import KindPage
from fieldkit.ui.main_window import Workspace
from fieldkit.ui.temporary_copies import TemporaryCopies
from tests.ui.scenes import TIMEOUT, make_context

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
                notes="Lo que dijo",
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
    assert errors == []


def workspace_of(qtbot, scene: Scene) -> Workspace:  # type: ignore[no-untyped-def]
    workspace = Workspace(scene.ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1300, 700)
    workspace.show()
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


def assert_read_only(page: KindPage, notice: str = ENGLISH_NOTICE) -> None:
    assert page.editor is None
    assert page.currentWidget() is page.records
    assert notice in page.records.detail.toPlainText()


def test_no_way_into_an_editor_for_an_interview_another_attache_wrote(qtbot, scene) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_of(qtbot, scene)
    scene.review("node-reviewer")
    interview_id = scene.interview.id

    # A link from the case's linked interviews: the interview's details, not its editor.
    cases = shown(qtbot, workspace, "case", scene.case.id)
    qtbot.waitUntil(lambda: "Huizache" in cases.records.detail.toPlainText(), timeout=TIMEOUT)
    assert f"fieldkit:interview/{interview_id}" in cases.records.detail.toHtml()
    cases.records.detail.sig_link_activated.emit("interview", interview_id)
    page = workspace.kind_pages["interview"]
    qtbot.waitUntil(
        lambda: (r := page.records.selected_record()) is not None and r.id == interview_id,
        timeout=TIMEOUT,
    )
    assert_read_only(page)
    assert "Open the interview to read its notes." not in page.records.detail.toPlainText()
    records = page.records
    assert not records.edit_button.isEnabled() and not records.delete_button.isEnabled()
    assert records.edit_button.toolTip() == ENGLISH_NOTICE  # Alt+E finds the button disabled

    # Enter on the list, a double click, the Edit slot itself: the details take the focus.
    records.table.setFocus()
    qtbot.keyClick(records.table, Qt.Key.Key_Return)
    assert_read_only(page)
    records._on_table_double_clicked(records.model.index(0, 0))
    records._on_edit_button_clicked()
    assert_read_only(page)
    qtbot.waitUntil(records.detail.hasFocus, timeout=TIMEOUT)

    # Any request straight to the page (a visit's related link, search, a shortcut).
    page.open_editor(scene.interview)
    assert_read_only(page)
    visits = shown(qtbot, workspace, "visit", scene.visit.id)
    qtbot.waitUntil(lambda: "Huizache" in visits.records.detail.toPlainText(), timeout=TIMEOUT)
    visits.records.detail.sig_link_activated.emit("interview", interview_id)
    qtbot.waitUntil(lambda: workspace.pages.currentWidget() is page, timeout=TIMEOUT)
    assert_read_only(page)

    # In Spanish too.
    set_language(SPANISH)
    scene.ctx.sig_language_changed.emit()
    assert_read_only(page, SPANISH_NOTICE)
    assert records.delete_button.toolTip() == SPANISH_NOTICE


def test_delete_and_attach_are_refused_the_same_way(qtbot, scene, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_of(qtbot, scene)
    scene.review("node-reviewer")
    page = shown(qtbot, workspace, "interview", scene.interview.id)
    records = page.records
    asked: list[str] = []
    refused: list[str] = []

    def question(*_args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append("delete?")
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    records.tell_refused = lambda _parent, _title, reason: refused.append(reason)
    records.table.setFocus()
    qtbot.keyClick(records.table, Qt.Key.Key_Delete)  # the key works with the button disabled
    assert refused == [ENGLISH_NOTICE] and asked == []
    qtbot.wait(100)  # a delete, had it run, would be back from the database worker by now
    assert not scene.vault.records.get(Interview, scene.interview.id).deleted

    dialog = AttachmentsDialog(scene.ctx, scene.interview, TemporaryCopies(scene.ctx), None)
    qtbot.addWidget(dialog)
    assert not dialog.attach_button.isEnabled()
    assert dialog.read_only.text() == ENGLISH_NOTICE


def test_own_interviews_still_open_and_an_open_editor_closes_when_review_begins(  # type: ignore[no-untyped-def]
    qtbot, scene
) -> None:
    workspace = workspace_of(qtbot, scene)
    page = shown(qtbot, workspace, "interview", scene.interview.id)
    records = page.records
    scene.review(scene.author)  # a reviewer's own interview: the list reloads, gaining columns
    qtbot.waitUntil(
        lambda: records.selected_record() is not None and records.edit_button.isEnabled(),
        timeout=TIMEOUT,
    )
    assert "another attaché" not in records.detail.toPlainText()
    records.table.setFocus()
    qtbot.keyClick(records.table, Qt.Key.Key_Return)
    assert page.editor is not None and page.currentWidget() is page.editor

    # HQ now says someone else wrote it (this device is another reviewer): the editor
    # closes to the interview's details, and Edit is disabled at once.
    scene.review("node-reviewer")
    assert_read_only(page)
    assert not records.edit_button.isEnabled()
    qtbot.waitUntil(lambda: records.selected_record() is not None, timeout=TIMEOUT)
    assert_read_only(page)
    assert not records.edit_button.isEnabled()


def test_whose_interview_it_is_shows_beside_a_readable_pseudonym(qtbot, scene) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_of(qtbot, scene)
    page = shown(qtbot, workspace, "interview", scene.interview.id)
    records = page.records
    plain = records.model.columnCount()
    scene.review("node-reviewer")
    qtbot.waitUntil(lambda: records.selected_record() is not None, timeout=TIMEOUT)
    header = records.table.horizontalHeader()
    # The attaché and the post come right after the pseudonym, not past the list's edge.
    assert [header.visualIndex(plain), header.visualIndex(plain + 1)] == [1, 2]
    # However narrow the list, the pseudonym keeps room to be read; the list scrolls instead.
    workspace.resize(900, 700)
    qtbot.waitUntil(
        lambda: header.sectionSize(0) >= records.table.fontMetrics().horizontalAdvance("M") * 12,
        timeout=TIMEOUT,
    )
