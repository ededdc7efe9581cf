"""The main window opens inside the screen's available area, remembers its size and place, and
never starts off-screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication

from fieldkit.ui.controller import AppController
from fieldkit.ui.preferences import WINDOW_MAXIMIZED, WINDOW_RECT, Preferences
from fieldkit.ui.window_place import fitted

LAPTOP = QRect(0, 0, 1366, 740)  # 1366x768 with a 28-pixel taskbar
SMALL = QSize(535, 302)


def test_a_first_start_fits_a_768_pixel_laptop_with_its_frame() -> None:
    rect = fitted(None, LAPTOP, SMALL)
    assert rect.height() + 48 <= LAPTOP.height()  # the title bar and borders fit too
    assert LAPTOP.contains(rect.adjusted(-8, -40, 8, 8))
    assert rect.width() == 1280  # wide enough for the lists, as before


def test_a_saved_place_is_kept_when_it_fits_and_brought_back_when_not() -> None:
    kept = QRect(100, 80, 1000, 600)
    assert fitted(kept, LAPTOP, SMALL) == kept
    away = fitted(QRect(3000, -900, 1000, 600), LAPTOP, SMALL)  # a monitor unplugged since
    assert LAPTOP.contains(away) and away.size() == QSize(1000, 600)
    huge = fitted(QRect(0, 0, 2560, 1400), LAPTOP, SMALL)  # from a larger screen
    assert LAPTOP.contains(huge.adjusted(-8, -40, 8, 8))


def test_the_window_opens_on_screen_and_reopens_where_it_was(qtbot, qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ini = str(tmp_path / "settings.ini")
    settings = QSettings(ini, QSettings.Format.IniFormat)
    ctrl = AppController(tmp_path / "vault", Preferences(settings))
    ctrl.start()
    w = ctrl.window
    available = QGuiApplication.primaryScreen().availableGeometry()
    qtbot.waitUntil(w.isVisible)
    assert available.contains(w.geometry()), (w.geometry(), available)
    assert available.contains(w.statusBar().mapTo(w, w.statusBar().rect().bottomRight()))
    w.setGeometry(QRect(40, 60, 640, 480))
    w.close()
    ctrl.shutdown()
    assert Preferences(settings).get(WINDOW_RECT) == (40, 60, 640, 480)
    assert Preferences(settings).get(WINDOW_MAXIMIZED) is False

    again = AppController(tmp_path / "vault", Preferences(settings))
    again.start()
    qtbot.waitUntil(again.window.isVisible)
    assert again.window.geometry() == QRect(40, 60, 640, 480)
    again.window.close()
    again.shutdown()


def test_unreadable_saved_places_read_as_unset(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    prefs = Preferences(settings)
    for junk in ("", "1,2,3", "a,b,c,d", "0,0,-5,10"):
        settings.setValue(WINDOW_RECT.key, junk)
        assert prefs.get(WINDOW_RECT) is None
