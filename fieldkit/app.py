"""The composition root: the one module that sees everything. Starts the desktop app."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, QObject, QSettings, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from fieldkit import __version__
from fieldkit.gc_pace import pace_garbage_collector
from fieldkit.i18n import language_from_environment, set_language
from fieldkit.log_setup import configure_logging
from fieldkit.paths import APP_AUTHOR, APP_NAME, default_vault_dir, resource_dir
from fieldkit.private_files import restrict_umask
from fieldkit.ui.controller import AppController
from fieldkit.ui.error_reporter import install_excepthook
from fieldkit.ui.icons import app_icon
from fieldkit.ui.preferences import LANGUAGE, Preferences

# Set to 1 to print "FIELDKIT_WINDOW_SHOWN <time.monotonic()>" when the main window is first
# painted, then quit: bench/bundle.py times a frozen start with it.
EXIT_AFTER_SHOW_ENV = "FIELDKIT_EXIT_AFTER_SHOW"
SHOWN_MARK = "FIELDKIT_WINDOW_SHOWN"
DESKTOP_FILE = "fieldkit"  # fieldkit.desktop: Wayland matches the window to its icon by this


def application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    return QApplication(list(argv))


def register_fonts(app: QApplication) -> None:
    """Ship our own font so a bare machine (or the frozen app) never draws empty boxes; the
    system's font stays the default wherever it exists."""
    ours: set[str] = set()
    for path in sorted((resource_dir() / "fonts").glob("DejaVuSans*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        ours.update(QFontDatabase.applicationFontFamilies(font_id))
    if "DejaVu Sans" in ours and QFont().family() not in QFontDatabase.families():
        app.setFont(QFont("DejaVu Sans"))


def build(
    argv: Sequence[str], vault_root: Path | None = None
) -> tuple[QApplication, AppController]:
    app = application(argv)
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    QGuiApplication.setDesktopFileName(DESKTOP_FILE)
    preferences = Preferences(QSettings())
    # Until chosen (on the first screen or in Settings): the environment's, else the system's.
    system = next(iter(QLocale.system().uiLanguages()), "")
    set_language(preferences.get(LANGUAGE) or language_from_environment(system))
    register_fonts(app)
    controller = AppController(vault_root or default_vault_dir(), preferences)
    install_excepthook(controller.reporter)
    app.aboutToQuit.connect(controller.shutdown)
    return app, controller


class ExitAfterShow(QObject):
    """Prints when the watched window is first painted, then quits the app."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.done = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            if sys.stdout is not None:  # a windowed Windows build has no stdout
                print(f"{SHOWN_MARK} {time.monotonic():.6f}", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False


def main(argv: Sequence[str] | None = None) -> int:
    restrict_umask()  # the vault, logs and exports: the user's alone
    pace_garbage_collector()
    configure_logging()
    chosen = os.environ.get("FIELDKIT_VAULT")
    app, controller = build(
        list(sys.argv if argv is None else argv), Path(chosen) if chosen else None
    )
    if os.environ.get(EXIT_AFTER_SHOW_ENV) == "1":
        ExitAfterShow(controller.window)
    controller.start()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
