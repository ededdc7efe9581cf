"""Help: F1 lists every shortcut the window has, a guide and About in both languages, all
reachable on the lock screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldkit import __version__
from fieldkit.i18n import ENGLISH, SPANISH, set_language
from fieldkit.ui.help_dialogs import show_about, show_guide
from tests.ui.test_app_flow import first_run


def shown_box(qtbot) -> QMessageBox:  # type: ignore[no-untyped-def]
    boxes: list[QMessageBox] = []

    def find() -> bool:
        boxes[:] = [b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox)]
        return any(b.isVisible() for b in boxes)

    qtbot.waitUntil(find)
    return next(b for b in boxes if b.isVisible())


def test_f1_lists_every_shortcut_of_the_window(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    w = controller.window
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    qtbot.keyClick(w, Qt.Key.Key_F1)
    box = shown_box(qtbot)
    text = box.text()
    assert "Ctrl+Shift+P" in text and "Ctrl+N" in text and "Esc" in text
    for action in w.actions():
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
        if not keys or (keys.startswith("Ctrl+") and keys[-1].isdigit()):
            continue  # Ctrl+1 … Ctrl+7 are listed as one line
        assert keys in text, keys
    box.close()


def test_guide_and_about_in_both_languages(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    controller.start()  # the first-run screen: help is there before any vault exists
    w = controller.window
    menu_texts = [a.text() for a in w.menuBar().actions()]
    assert "&Help" in menu_texts
    guide_actions = [a for a in w.findChildren(type(w.actions()[0])) if a.text() == "&Guide"]
    assert guide_actions and guide_actions[0].isEnabled()
    try:
        for language, guide_word, about_word in (
            (ENGLISH, "encrypted", "Licence"),
            (SPANISH, "cifrados", "Licencia"),
        ):
            set_language(language)
            guide = show_guide(w)
            assert guide_word in guide.text()
            guide.close()
            about = show_about(w, controller.ctx.vault_root)
            assert __version__ in about.text() and about_word in about.text()
            assert str(controller.ctx.vault_root) in about.text()
            about.close()
    finally:
        set_language(ENGLISH)
