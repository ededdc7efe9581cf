"""The composition root: the one module that sees everything. Starts the desktop app."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from fieldkit import __version__
from fieldkit.i18n import language_from_environment, normalize_language, set_language
from fieldkit.log_setup import configure_logging
from fieldkit.paths import APP_AUTHOR, APP_NAME, default_vault_dir, resource_dir
from fieldkit.ui.controller import AppController
from fieldkit.ui.error_reporter import install_excepthook

LANGUAGE_SETTING = "ui/language"


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
    settings = QSettings()
    chosen = settings.value(LANGUAGE_SETTING) or language_from_environment()
    set_language(normalize_language(str(chosen)))
    register_fonts(app)
    controller = AppController(vault_root or default_vault_dir(), settings)
    install_excepthook(controller.reporter)
    app.aboutToQuit.connect(controller.shutdown)
    return app, controller


def main(argv: Sequence[str] | None = None) -> int:
    configure_logging()
    chosen = os.environ.get("FIELDKIT_VAULT")
    app, controller = build(
        list(sys.argv if argv is None else argv), Path(chosen) if chosen else None
    )
    controller.start()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
