"""Reading an interview another attaché wrote (reviewer mode): the editor's own form, every
field shown with its value, nothing editable or saved, a banner saying whose it is in English
and Spanish, Close and Escape, the keyboard alone (Tab through the fields, the form scrolling
to each), copying guarded as in the editor, and nothing left on screen once the vault locks."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)

from fieldkit.domain.records import Interview
from fieldkit.i18n import SPANISH, set_language
from fieldkit.ui.clipboard_guard import ClipboardGuard
from fieldkit.ui.editor import RecordEditor
from fieldkit.ui.field_widgets import DateField
from fieldkit.ui.items_editor import ItemsEditor
from fieldkit.ui.kind_page import KindPage
from fieldkit.ui.main_window import Workspace
from fieldkit.ui.pickers import ComboField
from tests.ui.reviewer_scene import (
    ENGLISH_NOTICE,
    NOTES,
    RISK_NOTES,
    SAFE_CONTACT,
    SPANISH_NOTICE,
    Scene,
    scene,
    shown,
    workspace_of,
)
from tests.ui.scenes import TIMEOUT

__all__ = ["scene"]  # the fixture

SHORT_MS = 150


def open_reader(qtbot, scene: Scene) -> tuple[Workspace, KindPage, RecordEditor]:  # type: ignore[no-untyped-def]
    workspace = workspace_of(qtbot, scene)
    scene.review("node-reviewer")
    page = shown(qtbot, workspace, "interview", scene.interview.id)
    page.records.table.setFocus()
    qtbot.keyClick(page.records.table, Qt.Key.Key_Return)
    editor = page.editor
    assert editor is not None and editor.read_only and page.currentWidget() is editor
    return workspace, page, editor


def text_of(editor: RecordEditor, name: str) -> QLineEdit | QPlainTextEdit:
    target = editor.fields[name].focus_target()
    assert isinstance(target, QLineEdit | QPlainTextEdit)
    return target


def test_every_field_shows_and_none_changes(qtbot, scene) -> None:  # type: ignore[no-untyped-def]
    _workspace, page, editor = open_reader(qtbot, scene)
    stored = scene.interview
    assert editor.banner.text() == ENGLISH_NOTICE and not editor.banner.isHidden()
    # The editor's fields, all of them, with the stored values (the notes above all).
    assert set(editor.fields) == {s.name for s in Interview.specs()}
    for name, value in (
        ("notes", NOTES),
        ("risk_notes", RISK_NOTES),
        ("safe_contact", SAFE_CONTACT),
    ):
        box = text_of(editor, name)
        assert isinstance(box, QPlainTextEdit) and box.isReadOnly()
        assert box.toPlainText() == value
        flags = box.textInteractionFlags()
        assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard  # read by keyboard too
    for name, value in (("place", stored.place), ("role_details", stored.role_details)):
        line = text_of(editor, name)
        assert isinstance(line, QLineEdit) and line.isReadOnly() and line.text() == value
    held_on = editor.fields["held_on"]
    assert isinstance(held_on, DateField) and held_on.edit.isReadOnly()
    assert held_on.edit.text() == "2026-03-02" and held_on.button.isHidden()
    # Choices and links as read-only text in place of a drop-down.
    for name, label in (("consent", "Given"), ("risk", "High"), ("role", "Worker")):
        combo = editor.fields[name]
        assert isinstance(combo, ComboField) and combo.combo.isHidden()
        assert combo.shown is not None and combo.shown.isReadOnly()
        assert combo.focus_target() is combo.shown and combo.shown.text() == label
    visit = editor.fields["visit_id"]
    assert isinstance(visit, ComboField) and visit.shown is not None
    qtbot.waitUntil(lambda: visit.shown is not None and "Recorrido" in visit.shown.text())
    # The follow-ups: rows to read, no row added, removed or edited.
    follow_ups = editor.fields["follow_ups"]
    assert isinstance(follow_ups, ItemsEditor)
    table = follow_ups.table
    assert table.editTriggers() == QTableWidget.EditTrigger.NoEditTriggers
    assert follow_ups.add_button.isHidden() and follow_ups.remove_button.isHidden()
    cells = [table.item(0, c).text() for c in range(table.columnCount())]
    assert cells == ["Llamar al sindicato", "Ana", "2026-03-20", "Open"]
    assert follow_ups.plain() == [
        {"action": "Llamar al sindicato", "owner": "Ana", "due": "2026-03-20", "status": "open"}
    ]
    # The one button is Close: no Save, no attaching; no "* required" to fill in.
    buttons = [b.text() for b in editor.findChildren(QPushButton) if not b.isHidden()]
    assert buttons == ["Close"] and editor.required_label.isHidden()
    assert editor.status_label.text() == ""

    # Typing, Space on the flag, Ctrl+S: nothing changes, nothing is saved.
    notes = text_of(editor, "notes")
    notes.setFocus()
    qtbot.keyClicks(notes, "reescrito")
    qtbot.keyClick(notes, Qt.Key.Key_Delete)
    shared = editor.fields["shared"].focus_target()
    assert isinstance(shared, QCheckBox) and not shared.isChecked()
    shared.setFocus()
    qtbot.keyClick(shared, Qt.Key.Key_Space)
    qtbot.mouseClick(shared, Qt.MouseButton.LeftButton)
    qtbot.keyClick(notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert notes.toPlainText() == NOTES and not shared.isChecked() and not editor.is_dirty()
    qtbot.wait(300)  # a save, had one started, would be back from the database worker
    assert scene.vault.records.get(Interview, stored.id).updated_at == stored.updated_at

    # In Spanish: the banner and Close.
    set_language(SPANISH)
    scene.ctx.sig_language_changed.emit()
    assert page.editor is editor and editor.read_only
    assert editor.banner.text() == SPANISH_NOTICE and editor.cancel_button.text() == "Cerrar"
    assert text_of(editor, "notes").isReadOnly() and text_of(editor, "notes").toPlainText() == NOTES


def test_the_keyboard_alone_reads_it_and_closes_it(qtbot, scene) -> None:  # type: ignore[no-untyped-def]
    workspace, page, editor = open_reader(qtbot, scene)
    workspace.resize(1000, 520)  # the form is taller than its room: it must scroll
    qtbot.waitUntil(editor.banner.hasFocus, timeout=TIMEOUT)  # said first, before any field

    # The form itself first (arrows and Page Down scroll it), then each field, then Close.
    expected: list[QWidget] = [editor.scroll_area]
    expected += [field.focus_target() for field in editor.fields.values()]
    expected.append(editor.cancel_button)
    scroll = editor.scroll_area.verticalScrollBar()
    qtbot.keyClick(editor.banner, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.scroll_area and scroll.value() == 0
    qtbot.keyClick(editor.scroll_area, Qt.Key.Key_PageDown)
    assert scroll.value() > 0
    qtbot.keyClick(editor.scroll_area, Qt.Key.Key_PageUp)
    assert scroll.value() == 0
    reached: list[QWidget] = [editor.scroll_area]
    viewport = editor.scroll_area.viewport()
    for _step in expected[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        assert focus is not None
        reached.append(focus)
        if viewport.isAncestorOf(focus):  # the form scrolls to the field reached
            top = focus.mapTo(viewport, QPoint(0, 0)).y()
            assert -1 <= top < viewport.height(), focus.accessibleName()
    assert reached == expected
    assert scroll.value() > 0  # the last fields are far down the form

    # Shift+Tab back into the notes; the keyboard selects and copies there.
    notes = text_of(editor, "notes")
    while QApplication.focusWidget() is not notes:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    qtbot.keyClick(notes, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    assert isinstance(notes, QPlainTextEdit) and notes.textCursor().selectedText() == NOTES
    qtbot.keyClick(notes, Qt.Key.Key_Escape)  # Escape closes: nothing to ask
    assert page.editor is None and page.currentWidget() is page.records

    # And Close, reached with the keyboard.
    page.records.table.setFocus()
    qtbot.keyClick(page.records.table, Qt.Key.Key_Return)
    reader = page.editor
    assert reader is not None and reader.read_only
    reader.cancel_button.setFocus()
    qtbot.keyClick(reader.cancel_button, Qt.Key.Key_Space)
    assert page.editor is None


def test_copying_is_guarded_and_locking_closes_it(qtbot, scene) -> None:  # type: ignore[no-untyped-def]
    clipboard = QApplication.clipboard()
    clipboard.clear()
    guard = ClipboardGuard(scene.ctx)
    guard.CLEAR_AFTER_MS = SHORT_MS
    workspace, page, editor = open_reader(qtbot, scene)
    notes = text_of(editor, "notes")
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus, timeout=TIMEOUT)
    qtbot.keyClick(notes, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(notes, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == NOTES and guard.guarded_text == NOTES
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=TIMEOUT)  # cleared, as in the editor

    qtbot.keyClick(notes, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == NOTES
    # Locking (what the controller does): the reader closes, and the copy is cleared.
    for kind_page in workspace.kind_pages.values():
        kind_page.clear_for_lock()
    scene.ctx.set_vault(None)
    assert page.editor is None and clipboard.text() == ""
    qtbot.waitUntil(  # the closed reader is deleted: no widget holds the notes
        lambda: all(NOTES not in w.toPlainText() for w in workspace.findChildren(QPlainTextEdit)),
        timeout=TIMEOUT,
    )
    scene.ctx.set_vault(scene.vault)  # back, for the fixture's own checks
