"""Reviewer mode: an interview another attaché wrote opens read-only, whichever way it is
asked for (Enter, a double click, its details' link, after a link from a case or a visit or a
search result has shown it on its page, a request straight to its page), and is never
deleted nor given attachments. Edit and Delete are disabled saying why, in English and
Spanish. The rule is one: ReviewerView.may_change (what the reader shows: test_interview_reader)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit

from fieldkit.domain.records import Interview
from fieldkit.i18n import SPANISH, set_language
from fieldkit.ui.attachments_dialog import AttachmentsDialog
from fieldkit.ui.editor import AUTOSAVE_MS
from fieldkit.ui.kind_page import KindPage
from fieldkit.ui.search_dialog import SearchDialog
from fieldkit.ui.temporary_copies import TemporaryCopies
from tests.ui.reviewer_scene import (
    ENGLISH_NOTICE,
    NOTES,
    SPANISH_NOTICE,
    scene,
    shown,
    workspace_of,
)
from tests.ui.scenes import TIMEOUT

__all__ = ["scene"]  # the fixture


def assert_reader(page: KindPage, notice: str = ENGLISH_NOTICE) -> None:
    """The interview is open read-only, its banner saying whose it is."""
    editor = page.editor
    assert editor is not None and page.currentWidget() is editor
    assert editor.read_only and editor.banner.text() == notice
    assert editor.save_button.isHidden() and not editor.banner.isHidden()


def close_reader(qtbot, page: KindPage) -> None:  # type: ignore[no-untyped-def]
    editor = page.editor
    assert editor is not None
    qtbot.keyClick(editor.banner, Qt.Key.Key_Escape)
    assert page.editor is None and page.currentWidget() is page.records


def test_every_way_in_opens_the_interview_read_only(qtbot, scene) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_of(qtbot, scene)
    scene.review("node-reviewer")
    interview_id = scene.interview.id

    # A link from the case's linked interviews shows it on its page, as for any record.
    cases = shown(qtbot, workspace, "case", scene.case.id)
    qtbot.waitUntil(lambda: "Huizache" in cases.records.detail.toPlainText(), timeout=TIMEOUT)
    assert f"fieldkit:interview/{interview_id}" in cases.records.detail.toHtml()
    cases.records.detail.sig_link_activated.emit("interview", interview_id)
    page = workspace.kind_pages["interview"]
    qtbot.waitUntil(
        lambda: (r := page.records.selected_record()) is not None and r.id == interview_id,
        timeout=TIMEOUT,
    )
    records = page.records
    assert page.editor is None
    details = records.detail.toPlainText()
    assert ENGLISH_NOTICE in details and "Open the interview to read its notes." in details
    assert NOTES not in details  # the notes only in the reader
    assert not records.edit_button.isEnabled() and not records.delete_button.isEnabled()
    assert records.edit_button.toolTip() == ENGLISH_NOTICE  # Alt+E finds the button disabled

    # Enter on the list (where the link left the focus): the reader, on the stored record.
    qtbot.waitUntil(records.table.hasFocus, timeout=TIMEOUT)
    qtbot.keyClick(records.table, Qt.Key.Key_Return)
    assert_reader(page)
    assert page.editor is not None and page.editor.fields["notes"].plain() == NOTES
    qtbot.waitUntil(lambda: page.editor is not None and page.editor.banner.hasFocus())
    close_reader(qtbot, page)

    # A double click, the details' link (Tab reaches it, Enter follows it), a request
    # straight to the page (a shortcut, another screen).
    records._on_table_double_clicked(records.model.index(0, 0))
    assert_reader(page)
    close_reader(qtbot, page)
    assert "fieldkit:open" in records.detail.toHtml()
    records.detail.anchorClicked.emit(QUrl("fieldkit:open"))
    assert_reader(page)
    close_reader(qtbot, page)
    page.open_editor(scene.interview)
    assert_reader(page)

    # A visit's related link: back on its page, with the reader closed; Enter opens it.
    visits = shown(qtbot, workspace, "visit", scene.visit.id)
    qtbot.waitUntil(lambda: "Huizache" in visits.records.detail.toPlainText(), timeout=TIMEOUT)
    visits.records.detail.sig_link_activated.emit("interview", interview_id)
    qtbot.waitUntil(lambda: workspace.pages.currentWidget() is page, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: (r := records.selected_record()) is not None and r.id == interview_id,
        timeout=TIMEOUT,
    )
    assert page.editor is None
    qtbot.keyClick(records.table, Qt.Key.Key_Return)
    assert_reader(page)

    # A search result, chosen with Enter, then Enter on its row.
    close_reader(qtbot, page)
    workspace.go_to(0)  # Today: the search result brings the interview's page back
    dialog = SearchDialog(scene.ctx)
    qtbot.addWidget(dialog)
    dialog.sig_record_chosen.connect(workspace.show_record)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=TIMEOUT)
    dialog.query.setText("Huizache")
    qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() == 1, timeout=TIMEOUT)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: workspace.pages.currentWidget() is page, timeout=TIMEOUT)
    assert page.editor is None and records.selected_record() is not None
    workspace.activateWindow()  # as the window manager does when the dialog closes
    qtbot.waitUntil(lambda: QApplication.activeWindow() is workspace, timeout=TIMEOUT)
    qtbot.keyClick(records.table, Qt.Key.Key_Return)
    assert_reader(page)

    # In Spanish too: the banner and the disabled buttons' reason.
    set_language(SPANISH)
    scene.ctx.sig_language_changed.emit()
    assert_reader(page, SPANISH_NOTICE)
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


def test_own_interviews_still_open_to_edit_and_an_open_editor_turns_read_only(  # type: ignore[no-untyped-def]
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
    editor = page.editor
    assert editor is not None and page.currentWidget() is editor and not editor.read_only
    assert not editor.save_button.isHidden() and editor.banner.isHidden()
    notes = editor.fields["notes"].focus_target()
    assert isinstance(notes, QPlainTextEdit) and not notes.isReadOnly()
    notes.setFocus()
    qtbot.keyClicks(notes, " y algo mas")  # typed, not saved yet

    # HQ now says someone else wrote it (this device is another reviewer): the same editor
    # shows the stored version read-only (what was typed could not be saved: HQ refuses it),
    # and Edit is disabled at once.
    scene.review("node-reviewer")
    assert page.editor is editor and page.currentWidget() is editor
    assert_reader(page)
    assert editor.fields["notes"].plain() == NOTES and not editor.is_dirty()
    qtbot.waitUntil(editor.banner.hasFocus, timeout=TIMEOUT)
    assert not records.edit_button.isEnabled()
    qtbot.wait(AUTOSAVE_MS + 300)  # an autosave, had one been left waiting, would run now
    assert scene.vault.records.get(Interview, scene.interview.id).notes == NOTES

    # And back: its own again, it is editable again, in place.
    scene.review(scene.author)
    assert page.editor is editor and not editor.read_only and not editor.save_button.isHidden()


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
