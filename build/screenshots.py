"""Screenshots of every main screen, in English and Spanish, with demo data, at 1366x768
(a common agency-laptop size), into docs/screenshots/.

    .venv/bin/python build/screenshots.py        (make screenshots)

Runs Qt offscreen unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from fieldkit.app import application, register_fonts
from fieldkit.crypto.kdf import MIN_MEMORY_KIB, MIN_TIME_COST, new_kdf_params
from fieldkit.domain.records import Interview, Visit
from fieldkit.i18n import ENGLISH, SPANISH, set_language
from fieldkit.services.demo import fill_with_demo_data
from fieldkit.services.vault import create_vault
from fieldkit.ui.controller import AppController

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZE = (1366, 768)
PASSPHRASE = "screenshot passphrase"


def settle(app: QApplication, until: Callable[[], bool] | None = None, rounds: int = 400) -> None:
    """Let queued work (the database worker's callbacks) reach the window."""
    for _ in range(rounds):
        app.processEvents()
        if until is not None and until():
            break
        QApplication.instance().thread().msleep(5)  # type: ignore[union-attr]
    for _ in range(20):
        app.processEvents()


def shoot(app: QApplication, ctrl: AppController, language: str) -> list[Path]:
    w = ctrl.window
    saved = []

    def grab(name: str) -> None:
        settle(app)
        path = OUT / f"{language}-{name}.png"
        w.grab().save(str(path))
        saved.append(path)

    grab("unlock")
    w.unlock.passphrase.setText(PASSPHRASE)
    w.unlock.unlock_button.click()
    settle(app, lambda: w.stack.currentWidget() is w.workspace)
    settle(app, lambda: "·" in w.sync_state.text())
    grab("today")
    for index, name in enumerate(
        ("facilities", "visits", "interviews", "cases", "tips", "grants"), start=1
    ):
        w.workspace.go_to(index)
        page = list(w.workspace.kind_pages.values())[index - 1]
        settle(app, lambda page=page: page.records.model.rowCount() > 0)
        page.records.table.selectRow(0)
        grab(name)
    visits = w.workspace.kind_pages[Visit.KIND]
    w.workspace.go_to(2)
    visits.open_editor(visits.records.model.record_at(0))
    grab("visit-editor")
    interviews = w.workspace.kind_pages[Interview.KIND]
    w.workspace.go_to(3)
    interviews.open_editor(interviews.records.model.record_at(0))
    grab("interview-editor")
    ctrl.lock()
    grab("locked")
    return saved


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = application(sys.argv)
    register_fonts(app)
    made: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="fieldkit-shots-") as tmp:
        root = Path(tmp) / "vault"
        vault, _ = create_vault(root, PASSPHRASE, kdf=new_kdf_params(MIN_MEMORY_KIB, MIN_TIME_COST))
        fill_with_demo_data(vault)
        vault.lock()
        for language in (ENGLISH, SPANISH):
            set_language(language)
            settings = QSettings(str(Path(tmp) / f"{language}.ini"), QSettings.Format.IniFormat)
            ctrl = AppController(root, settings)
            ctrl.window.resize(*SIZE)
            ctrl.start()
            made += shoot(app, ctrl, "en" if language == ENGLISH else "es")
            ctrl.shutdown()
            ctrl.window.close()
    for path in made:
        print(path.relative_to(OUT.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
