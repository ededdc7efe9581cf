"""Text copied out of an interview's editor leaves the clipboard after a while or on lock;
anything else on the clipboard is left alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from fieldkit.ui.clipboard_guard import (
    CLEAR_AFTER_MS,
    SECRET_HINT_FORMAT,
    ClipboardGuard,
    interview_editor_around,
)
from fieldkit.ui.controller import AppController
from fieldkit.ui.main_window import NAVIGATION
from tests.ui.test_app_flow import first_run

SHORT_MS = 150


@pytest.fixture
def clipboard(qapp):  # type: ignore[no-untyped-def]
    board = QApplication.clipboard()
    board.clear()
    yield board
    board.clear()


@pytest.fixture
def guard(qtbot, controller: AppController, clipboard) -> Iterator[ClipboardGuard]:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    guard = controller.clipboard_guard
    guard.CLEAR_AFTER_MS = SHORT_MS
    yield guard


def editor_field(qtbot, ctrl: AppController, kind: str, name: str) -> QLineEdit:  # type: ignore[no-untyped-def]
    """A text field of a new record's editor, focused."""
    page = ctrl.window.workspace.kind_pages[kind]
    ctrl.window.workspace.go_to(1 + [cls.KIND for cls in NAVIGATION].index(kind))
    page.open_editor(None)
    assert page.editor is not None
    edit = page.editor.fields[name].focus_target()
    assert isinstance(edit, QLineEdit)
    edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    return edit


def copy(edit: QLineEdit, text: str) -> None:
    edit.setText(text)
    edit.selectAll()
    edit.copy()


def quiet_spell(qtbot, ms: int = 3 * SHORT_MS) -> None:  # type: ignore[no-untyped-def]
    """Let the event loop run for longer than the guard's delay (a timer's signal)."""
    timer = QTimer()
    timer.setSingleShot(True)
    with qtbot.waitSignal(timer.timeout, timeout=ms + 5_000):
        timer.start(ms)


def test_default_delay_is_thirty_seconds() -> None:
    assert CLEAR_AFTER_MS == ClipboardGuard.CLEAR_AFTER_MS == 30_000


def test_interview_copy_is_cleared_after_the_delay(qtbot, controller, guard, clipboard) -> None:  # type: ignore[no-untyped-def]
    edit = editor_field(qtbot, controller, "interview", "pseudonym")
    assert (
        interview_editor_around(edit) is controller.window.workspace.kind_pages["interview"].editor
    )
    copy(edit, "Trabajadora R-17")
    assert clipboard.text() == "Trabajadora R-17"
    assert guard.guarded_text == "Trabajadora R-17"
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=5_000)
    assert guard.guarded_text is None
    assert edit.text() == "Trabajadora R-17"  # only the clipboard, never the field


def test_interview_copy_is_marked_secret_for_clipboard_managers(  # type: ignore[no-untyped-def]
    qtbot, controller, guard, clipboard
) -> None:
    guard.CLEAR_AFTER_MS = 60_000
    edit = editor_field(qtbot, controller, "interview", "pseudonym")
    copy(edit, "Trabajador S-04")

    def marked() -> bool:
        mime = clipboard.mimeData()
        return mime is not None and mime.hasFormat(SECRET_HINT_FORMAT)

    qtbot.waitUntil(marked, timeout=5_000)
    assert bytes(clipboard.mimeData().data(SECRET_HINT_FORMAT).data()) == b"secret"
    assert clipboard.text() == "Trabajador S-04"
    assert guard.guarded_text == "Trabajador S-04"  # re-marking is not a new copy


def test_something_copied_meanwhile_is_left_alone(qtbot, controller, guard, clipboard) -> None:  # type: ignore[no-untyped-def]
    edit = editor_field(qtbot, controller, "interview", "pseudonym")
    copy(edit, "Trabajador T-22")
    controller.window.workspace.nav.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is controller.window.workspace.nav)
    clipboard.setText("a facility address")
    quiet_spell(qtbot)
    assert clipboard.text() == "a facility address"
    controller.lock()
    assert clipboard.text() == "a facility address"


def test_another_application_replacing_the_text_is_left_alone(  # type: ignore[no-untyped-def]
    qtbot, controller, guard, clipboard
) -> None:
    edit = editor_field(qtbot, controller, "interview", "pseudonym")
    copy(edit, "Trabajador U-31")
    # Another program takes the clipboard while FieldKit still has the focus there: the guard
    # hears nothing it can attribute, so only the final comparison protects the new text.
    clipboard.blockSignals(True)
    try:
        clipboard.setText("from another program")
    finally:
        clipboard.blockSignals(False)
    quiet_spell(qtbot)
    assert clipboard.text() == "from another program"


def test_lock_clears_guarded_text_at_once(qtbot, controller, guard, clipboard) -> None:  # type: ignore[no-untyped-def]
    guard.CLEAR_AFTER_MS = 60_000
    edit = editor_field(qtbot, controller, "interview", "pseudonym")
    copy(edit, "Trabajadora V-08")
    controller.lock()
    assert clipboard.text() == ""
    assert guard.guarded_text is None


def test_copies_outside_an_interview_are_never_touched(qtbot, controller, guard, clipboard) -> None:  # type: ignore[no-untyped-def]
    edit = editor_field(qtbot, controller, "facility", "name")
    copy(edit, "Planta Silao")
    assert guard.guarded_text is None
    quiet_spell(qtbot)
    assert clipboard.text() == "Planta Silao"
    mime = clipboard.mimeData()
    assert mime is not None and not mime.hasFormat(SECRET_HINT_FORMAT)
    controller.window.workspace.nav.setFocus()
    clipboard.setText("copied from the navigation")
    controller.lock()
    assert clipboard.text() == "copied from the navigation"
