"""The settings dialog through the real window: each setting in its home (QSettings or the
vault), the headquarters connection read from the vault, idle minutes and language applied at
once. (Connecting itself: tests/ui/test_sync_connect.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPushButton,
    QSpinBox,
)

from fieldkit.i18n import ENGLISH, SPANISH, current_language
from fieldkit.ui.connect_dialog import ConnectDialog
from fieldkit.ui.controller import AppController
from fieldkit.ui.hq_address import hq_url_problem
from fieldkit.ui.preferences import (
    IDLE_MINUTES,
    LANGUAGE,
    REPORT_AUTHOR,
    REPORT_MARKING,
    Option,
    Preferences,
)
from fieldkit.ui.settings_dialog import SettingsDialog
from tests.ui.screen_text import visible_texts
from tests.ui.test_app_flow import PASSPHRASE, first_run, unlock


def open_settings(qtbot, ctrl: AppController) -> SettingsDialog:  # type: ignore[no-untyped-def]
    """Open the dialog with its shortcut and wait for the vault's HQ connection to arrive."""
    ctrl.window.activateWindow()  # shortcuts need an active window; a closed dialog was
    qtbot.waitUntil(lambda: QApplication.activeWindow() is ctrl.window)
    qtbot.keyClick(ctrl.window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    shown = [d for d in ctrl.window.findChildren(SettingsDialog) if d.isVisible()]
    assert len(shown) == 1
    dialog = shown[0]
    qtbot.waitUntil(dialog.connect_button.isEnabled, timeout=5_000)
    return dialog


def press_ok(qtbot, dialog: SettingsDialog) -> None:  # type: ignore[no-untyped-def]
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def vault_value(qtbot, ctrl: AppController, name: str) -> str | None:  # type: ignore[no-untyped-def]
    """A vault setting read back on the database worker (after any queued write)."""
    got: list[str | None] = []
    ctrl.ctx.call(lambda v: v.get_setting(name), got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5_000)
    return got[0]


def ini_text(tmp_path: Path) -> str:
    return (tmp_path / "settings.ini").read_text("utf-8")


@pytest.mark.parametrize(
    ("stored", "option", "read"),
    [
        (None, IDLE_MINUTES, 5),
        ("9", IDLE_MINUTES, 9),
        ("99", IDLE_MINUTES, 15),
        ("soon", IDLE_MINUTES, 5),
        (None, LANGUAGE, ""),
        ("es-MX", LANGUAGE, SPANISH),
        ("  ", REPORT_MARKING, "CUI"),
        (" SBU ", REPORT_MARKING, "SBU"),
        (None, REPORT_AUTHOR, ""),
    ],
)
def test_a_stored_preference_reads_as_its_type_or_its_default(
    tmp_path: Path, stored: object, option: Option[object], read: object
) -> None:
    settings = QSettings(str(tmp_path / "p.ini"), QSettings.Format.IniFormat)
    if stored is not None:
        settings.setValue(option.key, stored)
    assert Preferences(settings).get(option) == read


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", None),
        ("https://hq.example.org", None),
        ("  https://hq.example.org/sync  ", None),
        ("HTTPS://HQ.EXAMPLE.ORG", None),
        ("http://localhost:8000", None),
        ("http://127.0.0.1/", None),
        ("http://127.0.0.2:8443", None),  # the rule the sync client applies
        ("hq.example.org", None),  # no scheme means https
        ("http://[::1]:8080", None),
        ("http://example.org", "must start with https://"),
        ("http://localhost.example.org", "must start with https://"),
        ("http://127.0.0.1.example.org", "must start with https://"),
        ("ftp://hq.example.org", "web address"),
        ("https://", "web address"),
        ("https://hq example.org", "web address"),
        ("https://hq.example.org:99999", "web address"),
    ],
)
def test_hq_address_rules(url: str, problem: str | None) -> None:
    found = hq_url_problem(url)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_settings_go_to_the_ini_file_and_not_the_vault(qtbot, controller, tmp_path) -> None:  # type: ignore[no-untyped-def]
    key = first_run(qtbot, controller)
    dialog = open_settings(qtbot, controller)
    assert dialog.idle_minutes.value() == 5
    assert (dialog.idle_minutes.minimum(), dialog.idle_minutes.maximum()) == (1, 15)
    assert dialog.language.currentData() == ENGLISH
    dialog.idle_minutes.setValue(9)
    dialog.marking.setText("SBU")
    dialog.author.setText("Labor Attaché, Mexico City")
    press_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    text = ini_text(tmp_path)
    assert "idle_minutes=9" in text
    assert "marking=SBU" in text
    assert "language=en_US" in text
    preferences = controller.ctx.preferences
    assert preferences.get(REPORT_AUTHOR) == "Labor Attaché, Mexico City"
    assert preferences.get(REPORT_MARKING) == "SBU"
    for secret in (PASSPHRASE, key, "hq_url", "https://"):
        assert secret not in text
    for option in (LANGUAGE, IDLE_MINUTES, REPORT_MARKING, REPORT_AUTHOR):
        assert vault_value(qtbot, controller, option.key) is None
    assert controller.errors == []


def test_every_input_has_an_accessible_name(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    dialog = open_settings(qtbot, controller)
    inputs = [
        widget
        for kind in (QComboBox, QSpinBox, QLineEdit, QPushButton)
        for widget in dialog.findChildren(kind)
        if not isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox)
    ]
    assert len(inputs) >= 7
    assert all(widget.accessibleName() for widget in inputs), [
        type(widget).__name__ for widget in inputs if not widget.accessibleName()
    ]


def test_hq_connection_is_read_from_the_vault(qtbot, controller, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    dialog = open_settings(qtbot, controller)
    assert dialog.hq_summary.text() == "This vault is not connected to headquarters."
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    connect = [d for d in dialog.findChildren(ConnectDialog) if d.isVisible()]
    assert len(connect) == 1  # over the settings, which stay open beneath it
    assert dialog.isVisible()
    connect[0].reject()
    press_ok(qtbot, dialog)
    assert "hq" not in ini_text(tmp_path).lower()
    assert controller.errors == []


def test_idle_minutes_apply_at_once(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    dialog = open_settings(qtbot, controller)
    dialog.idle_minutes.setValue(2)
    press_ok(qtbot, dialog)
    assert controller.idle._timer.interval() == 2 * 60_000
    assert controller.idle._timer.isActive()
    assert controller.ctx.preferences.get(IDLE_MINUTES) == 2


def test_cancel_and_lock_change_nothing(qtbot, controller, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    dialog = open_settings(qtbot, controller)
    dialog.idle_minutes.setValue(12)
    dialog.reject()
    dialog = open_settings(qtbot, controller)
    assert dialog.idle_minutes.value() == 5
    dialog.idle_minutes.setValue(12)
    controller.lock()  # idle lock with the dialog open: it closes, unsaved
    assert not dialog.isVisible()
    assert controller.idle._timer.interval() == 5 * 60_000
    unlock(qtbot, controller)
    assert vault_value(qtbot, controller, "hq_url") is None


def test_spanish_at_once_keeps_the_open_editor(qtbot, controller, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    w = controller.window
    w.workspace.go_to(1)
    page = w.workspace.kind_pages["facility"]
    page.open_editor(None)
    editor = page.editor
    qtbot.keyClicks(editor.fields["name"].edit, "Planta a medio escribir")
    qtbot.waitUntil(lambda: "Not connected" in w.sync_state.text(), timeout=5_000)

    dialog = open_settings(qtbot, controller)
    dialog.language.setCurrentIndex(dialog.language.findData(SPANISH))
    press_ok(qtbot, dialog)

    assert current_language() == SPANISH
    assert "language=es_MX" in ini_text(tmp_path)
    # The editor kept what was typed, unsaved, and speaks Spanish.
    assert page.editor is editor and page.currentWidget() is editor
    assert editor.fields["name"].plain() == "Planta a medio escribir"
    assert editor.is_dirty()
    assert editor.save_button.text() == "Guardar"
    # Navigation, menus, record screens, status bar.
    assert w.workspace.nav.item(0).text() == "Hoy"
    assert w.workspace.nav.item(1).text() == "Centros de trabajo"
    menus = [act.text() for act in w.menuBar().actions()]
    assert menus == ["&FieldKit", "&Ir", "Ay&uda"]
    assert page.records.heading.text() == "Centros de trabajo"
    qtbot.waitUntil(lambda: "Sin conexión" in w.sync_state.text(), timeout=5_000)
    qtbot.waitUntil(lambda: "Hoy ·" in w.workspace.today.heading.text(), timeout=5_000)
    assert "Facilities" not in visible_texts([w])
    shortcuts = {act.shortcut().toString(): act for act in w.actions()}
    assert shortcuts["Ctrl+L"].text() == "Bloquear" and shortcuts["Ctrl+L"].isEnabled()
    assert shortcuts["Ctrl+,"].isEnabled()
    assert len(shortcuts) == len(w.actions())  # the old actions are gone, not doubled

    # The lock views follow, and still work.
    controller.lock()
    assert w.unlock.unlock_button.text() == "Desbloquear"
    assert not shortcuts["Ctrl+L"].isEnabled()
    unlock(qtbot, controller)
    assert page.editor is editor
    assert editor.fields["name"].plain() == "Planta a medio escribir"
    assert controller.errors == []


def test_settings_need_an_unlocked_vault(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    controller.lock()
    controller.open_settings()
    qtbot.keyClick(controller.window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert controller.window.findChild(SettingsDialog) is None
