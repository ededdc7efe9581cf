"""Keyboard and focus in the real window, offscreen: New, Edit and Ctrl+N put the cursor in the
editor's first field, Tab follows the form, Escape closes (asking only when something is
unsaved)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fieldkit.domain.records import Facility
from fieldkit.ui.controller import AppController
from fieldkit.ui.editor import RecordEditor
from fieldkit.ui.kind_page import KindPage
from tests.ui.test_app_flow import first_run

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
VISITS = 2


def active_workspace(qtbot, ctrl: AppController, index: int) -> KindPage:  # type: ignore[no-untyped-def]
    first_run(qtbot, ctrl)
    w = ctrl.window
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.workspace.go_to(index)
    w.workspace.nav.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.workspace.nav)
    page = w.workspace.pages.currentWidget()
    assert isinstance(page, KindPage)
    return page


def first_target(editor: RecordEditor):  # type: ignore[no-untyped-def]
    return next(iter(editor.fields.values())).focus_target()


def test_new_puts_typing_into_the_first_field_not_the_sidebar(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    page = active_workspace(qtbot, controller, VISITS)
    qtbot.keyClick(controller.window, Qt.Key.Key_N, ALT)
    qtbot.waitUntil(lambda: page.editor is not None and page.currentWidget() is page.editor)
    editor = page.editor
    assert editor is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first_target(editor))
    qtbot.keyClicks(QApplication.focusWidget(), "TEST")
    assert controller.window.workspace.nav.currentRow() == VISITS  # the sidebar did not move


def test_ctrl_n_opens_a_new_record_of_the_page_in_view(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    page = active_workspace(qtbot, controller, 1)
    qtbot.keyClick(controller.window.workspace.nav, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: page.editor is not None)
    assert page.editor is not None and page.editor.record is None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first_target(page.editor))


def test_edit_focuses_the_form_and_tab_follows_it(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    page = active_workspace(qtbot, controller, 1)
    controller.ctx.call(lambda v: v.records.create(Facility(name="Planta Silao")))
    controller.ctx.notify_changed("facility")
    qtbot.waitUntil(lambda: page.records.model.rowCount() == 1, timeout=5_000)
    page.records.table.selectRow(0)
    qtbot.keyClick(controller.window, Qt.Key.Key_E, ALT)
    qtbot.waitUntil(lambda: page.editor is not None)
    editor = page.editor
    assert editor is not None and editor.record is not None
    targets = [field.focus_target() for field in editor.fields.values()]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is targets[0])
    visited = [targets[0]]
    for _step in range(60):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if focused in targets and focused not in visited:
            visited.append(focused)
        if focused is editor.save_button or focused is editor.cancel_button:
            break
    assert visited == targets  # every field, in the form's order, before the buttons


def test_escape_closes_a_clean_editor_and_asks_about_unsaved_work(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    page = active_workspace(qtbot, controller, VISITS)
    page.new_record()
    editor = page.editor
    assert editor is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first_target(editor))
    asked: list[bool] = []
    editor.confirm_discard = lambda: asked.append(True) or False  # type: ignore[method-assign]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert asked == [] and page.editor is None  # nothing typed: closed without a question
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.records.table)

    page.new_record()
    editor = page.editor
    assert editor is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first_target(editor))
    editor.fields["observations"].edit.setPlainText("Notas sin guardar")
    editor.confirm_discard = lambda: asked.append(True) or False  # type: ignore[method-assign]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert asked == [True] and page.editor is editor  # kept: the user said no
    editor.confirm_discard = lambda: True  # type: ignore[method-assign]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert page.editor is None


# --- the lock screen ----------------------------------------------------------------------------


def test_lock_and_back_from_recovery_put_the_cursor_in_the_passphrase(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    w = controller.window
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    qtbot.keyClick(w, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.unlock)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.unlock.passphrase)
    qtbot.keyClicks(QApplication.focusWidget(), "half")
    qtbot.mouseClick(w.unlock.forgot, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.recover.key)
    qtbot.mouseClick(w.recover.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.unlock.passphrase)
    qtbot.keyClicks(QApplication.focusWidget(), " typed")
    assert w.unlock.passphrase.text() == "half typed"  # nothing typed was lost


def test_the_wait_after_wrong_passphrases_counts_down_live(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    w = controller.window
    controller.lock()
    for _attempt in range(3):  # the third wrong one starts a five-second wait
        w.unlock.passphrase.setText("wrong passphrase")
        qtbot.mouseClick(w.unlock.unlock_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(w.unlock.unlock_button.isEnabled, timeout=10_000)
    w.unlock.passphrase.setText("wrong passphrase")
    qtbot.mouseClick(w.unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "try again in 0:0" in w.unlock.error.text(), timeout=10_000)
    first = w.unlock.error.text()
    assert not w.unlock.unlock_button.isEnabled() and w.unlock.passphrase.isEnabled()
    qtbot.waitUntil(lambda: w.unlock.error.text() not in ("", first), timeout=2_500)  # ticks
    qtbot.waitUntil(w.unlock.unlock_button.isEnabled, timeout=7_000)  # then a try again
    assert not w.unlock.error.isVisible()
