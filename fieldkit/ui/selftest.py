"""The Qt parts of `fieldkit --self-test`: the icon, the bundled font, and the real main
window opened (offscreen where there is no display), painted, and closed.

The window runs on a vault folder and a settings file inside the self-test's temporary
folder, so the user's own vault and preferences are never read or written.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from fieldkit.i18n import _
from fieldkit.paths import resource_dir
from fieldkit.services.selftest import Check, CheckFailed, attempt
from fieldkit.ui.controller import AppController
from fieldkit.ui.icons import ICON_SIZES, app_icon
from fieldkit.ui.preferences import Preferences

WINDOW_TIMEOUT_MS = 20_000
FONT_FAMILY = "DejaVu Sans"


def qt_checks(workdir: Path) -> list[Check]:
    """Every check that needs Qt, in the order they are reported."""
    application()
    return [
        attempt("icons", check_icons),
        attempt("fonts", check_fonts),
        attempt("window", lambda: check_window(workdir)),
    ]


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    return QApplication(sys.argv[:1] or ["fieldkit"])


def check_icons() -> str:
    icon = app_icon()
    sizes = sorted(size.width() for size in icon.availableSizes())
    if icon.isNull() or sizes != list(ICON_SIZES):
        found = ", ".join(str(size) for size in sizes) or "-"
        raise CheckFailed(
            _("the application icon is missing sizes: found {sizes}").format(sizes=found)
        )
    if icon.pixmap(32, 32).isNull():
        raise CheckFailed(_("the application icon cannot be drawn"))
    return _("application icon in {count} sizes").format(count=len(sizes))


def check_fonts() -> str:
    path = resource_dir() / "fonts" / "DejaVuSans.ttf"
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0 or FONT_FAMILY not in QFontDatabase.applicationFontFamilies(font_id):
        raise CheckFailed(_("Qt cannot load the bundled font {path}").format(path=path))
    return _("bundled font {family} loaded").format(family=FONT_FAMILY)


class _FirstPaint(QObject):
    """Quits `loop` when the watched widget is first painted."""

    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            self.loop.quit()
        return False


def check_window(workdir: Path) -> str:
    """Open the main window as the app does (on a vault that does not exist yet, so it shows
    first run), wait for its first paint, draw it to an image, and close it."""
    app = application()
    settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    controller = AppController(workdir / "window-vault", Preferences(settings))
    loop = QEventLoop()
    watcher = _FirstPaint(loop)
    controller.window.installEventFilter(watcher)
    try:
        controller.start()
        QTimer.singleShot(WINDOW_TIMEOUT_MS, loop.quit)
        if not watcher.painted:
            loop.exec()
        if not watcher.painted:
            raise CheckFailed(
                _("the main window was not shown within {seconds} s").format(
                    seconds=WINDOW_TIMEOUT_MS // 1000
                )
            )
        if controller.window.grab().isNull():
            raise CheckFailed(_("the main window could not be drawn"))
    finally:
        controller.window.removeEventFilter(watcher)
        controller.shutdown()
        controller.window.close()
        controller.window.deleteLater()
        controller.deleteLater()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
    return _("main window shown and closed (Qt platform: {platform})").format(
        platform=QGuiApplication.platformName()
    )
