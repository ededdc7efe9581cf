"""The language is offered on the first screen and the lock screen (what was typed is kept),
remembered, and follows an es_* locale until chosen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fieldkit.i18n import (
    ENGLISH,
    SPANISH,
    current_language,
    language_from_environment,
    set_language,
)
from fieldkit.ui.controller import AppController
from fieldkit.ui.preferences import LANGUAGE
from tests.ui.screen_text import visible_texts
from tests.ui.test_app_flow import PASSPHRASE, first_run


@pytest.fixture
def english_after() -> Iterator[None]:
    yield
    set_language(ENGLISH)


def choose(qtbot, combo, code: str) -> None:  # type: ignore[no-untyped-def]
    """Pick a language with the keyboard, as a person would."""
    combo.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo)
    key = Qt.Key.Key_Down if combo.findData(code) > combo.currentIndex() else Qt.Key.Key_Up
    qtbot.keyClick(combo, key)


def test_spanish_is_chosen_on_the_welcome_screen_keeping_what_was_typed(  # type: ignore[no-untyped-def]
    qtbot, controller: AppController, english_after
) -> None:
    w = controller.window
    controller.start()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    assert "Welcome to FieldKit" in visible_texts([w])
    w.first_run.passphrase.setText(PASSPHRASE)
    choose(qtbot, w.first_run.language.combo, SPANISH)
    qtbot.waitUntil(lambda: "Le damos la bienvenida a FieldKit" in visible_texts([w]))
    assert current_language() == SPANISH
    assert controller.ctx.preferences.get(LANGUAGE) == SPANISH
    assert w.stack.currentWidget() is w.first_run
    assert w.first_run.passphrase.text() == PASSPHRASE  # nothing typed was lost
    assert w.first_run.language.combo.currentData() == SPANISH


def test_the_lock_screen_offers_the_language_too(qtbot, controller, english_after) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    w = controller.window
    controller.lock()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.unlock.passphrase.setText("half typed")
    choose(qtbot, w.unlock.language.combo, SPANISH)
    qtbot.waitUntil(lambda: "FieldKit está bloqueado" in visible_texts([w]))
    assert w.stack.currentWidget() is w.unlock
    assert w.unlock.passphrase.text() == "half typed"
    w.unlock.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(w.unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.workspace, timeout=10_000)
    assert "Hoy" in visible_texts([w])


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "es_MX.UTF-8"}, SPANISH),
        ({"LANG": "C", "LANGUAGE": "es_ES:en"}, SPANISH),
        ({"LC_ALL": "es_AR.UTF-8", "LANG": "en_US.UTF-8"}, SPANISH),
        ({"LANG": "C"}, ENGLISH),
        ({}, SPANISH),  # nothing set: the system's language (given here as Spanish)
    ],
)
def test_an_es_locale_is_followed_until_a_language_is_chosen(  # type: ignore[no-untyped-def]
    monkeypatch, environment, expected
) -> None:
    for var in ("FIELDKIT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in environment.items():
        monkeypatch.setenv(var, value)
    assert language_from_environment("es-MX") == expected
