"""Drives the real FieldKit app in a real X window; `test_real_window.py` runs it under Xvfb.

    DISPLAY=:N QT_QPA_PLATFORM=xcb FIELDKIT_VAULT=DIR python tests/ui/real_window_driver.py OUT

Starts the app as `fieldkit.app.main` does (logging, `build`, `controller.start()`), then goes
through first run (passphrase typed with QTest.keyClicks), the recovery key, a facility and a
visit made in their page's editors, an interview on that visit (visit picker, consent Given,
notes), and Ctrl+L; then checks that the lock screen shows and no record text is on screen.
A screenshot of the whole X screen (`QScreen.grabWindow(0)`) goes into OUT after each step.

Exits 0 when every step passed; otherwise prints the step that failed and exits 1. Keys are
ASCII only: QTest.keyClicks aborts the process on other characters.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import faulthandler
import os
import re
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from fieldkit.app import build
from fieldkit.domain.choices import Consent
from fieldkit.domain.records import Interview, Record
from fieldkit.log_setup import configure_logging
from fieldkit.ui.controller import AppController
from fieldkit.ui.editor import RecordEditor
from fieldkit.ui.field_widgets import LongTextField, TextField
from fieldkit.ui.kind_page import KindPage
from fieldkit.ui.pickers import ComboField
from tests.ui.screen_text import visible_texts

PASSPHRASE = "real window passphrase"
FACILITY = "Planta Norte Saltillo"
VISIT = "Monitoring visit Saltillo"
VISIT_DATE = "2026-11-20"
PSEUDONYM = "Persona Azul"
INTERVIEW_DATE = "2026-11-21"
NOTES = "The workers said overtime on the night shift is not paid."
SECRETS = (FACILITY, VISIT, PSEUDONYM, NOTES, "overtime", "Saltillo")
WAIT_S = 10.0
WATCHDOG_S = 50  # the test kills the driver first; this dumps the stacks if it ever hangs


class StepFailed(Exception):
    pass


class Driver:
    def __init__(self, app: QApplication, ctrl: AppController, out: Path) -> None:
        self.app = app
        self.ctrl = ctrl
        self.w = ctrl.window
        self.out = out
        self.errors: list[str] = []
        self.shots = 0
        self.step = "start"
        self.started = time.monotonic()
        ctrl.reporter.show_dialog = self._on_crash_dialog  # type: ignore[method-assign]
        # A user-facing error opens a modal QMessageBox, which would block this script:
        # record its text and close it, so the step fails with the message instead of hanging.
        self._modal_guard = QTimer()
        self._modal_guard.setInterval(100)
        self._modal_guard.timeout.connect(self._close_modal_boxes)
        self._modal_guard.start()

    # --- plumbing -------------------------------------------------------------------------

    def _on_crash_dialog(self, dialog: QDialog) -> None:
        details = dialog.findChild(QPlainTextEdit)
        self.errors.append("crash dialog: " + (details.toPlainText() if details else "?"))

    def _close_modal_boxes(self) -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QMessageBox):
            self.errors.append(f"message box: {modal.text()}")
            modal.reject()

    def log(self, message: str) -> None:
        print(f"[{time.monotonic() - self.started:6.2f}s] {message}", flush=True)

    def begin(self, step: str) -> None:
        self.step = step
        self.log(step)

    def check(self, condition: bool, what: str) -> None:
        if not condition:
            raise StepFailed(what)

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.errors:
                raise StepFailed(f"the app reported an error while waiting for {what}")
            if condition():
                return
            if time.monotonic() > deadline:
                raise StepFailed(f"timed out after {timeout:g} s waiting for {what}")
            QTest.qWait(20)

    def shot(self, name: str) -> Path:
        """The whole X screen, as a person would see it, into OUT/NN-name.png."""
        QTest.qWait(120)  # let the last paint reach the X server
        screen = QGuiApplication.primaryScreen()
        pixmap = screen.grabWindow(0)
        self.shots += 1
        path = self.out / f"{self.shots:02d}-{name}.png"
        if pixmap.isNull() or not pixmap.save(str(path)):
            raise StepFailed(f"could not grab or save the screen for {name}")
        return path

    def click(self, widget: QWidget, at: QPoint | None = None) -> None:
        self.check(widget.isVisible(), f"{widget.accessibleName() or widget} is not visible")
        self.check(widget.isEnabled(), f"{widget.accessibleName() or widget} is disabled")
        modifiers = Qt.KeyboardModifier.NoModifier
        if at is None:
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton, modifiers)
        else:
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton, modifiers, at)

    def type_into(self, widget: QWidget, text: str) -> None:
        """Click into the field, then type `text` key by key (ASCII only)."""
        self.click(widget)
        self.wait_until(widget.hasFocus, f"focus in {widget.accessibleName()}")
        QTest.keyClicks(widget, text)

    def shortcut(self, key: Qt.Key) -> None:
        """Ctrl+key, sent where the keyboard focus is, as a keyboard would."""
        target = QApplication.focusWidget() or self.w
        QTest.keyClick(target, key, Qt.KeyboardModifier.ControlModifier)

    def tick(self, box: QCheckBox) -> None:
        option = QStyleOptionButton()
        option.initFrom(box)
        indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        self.click(box, indicator.center())
        self.wait_until(box.isChecked, f"'{box.text()}' checked")

    def choose(self, field: ComboField, data: str, name: str) -> None:
        """Open the drop-down with the mouse and pick the entry with the keyboard."""
        combo = field.combo
        row = combo.findData(data)
        self.check(row >= 0, f"{data!r} is not among the choices of {field.spec.name}")
        self.click(combo)
        view = combo.view()
        self.wait_until(view.isVisible, f"the {field.spec.name} drop-down")
        self.shot(name)
        current = view.currentIndex().row()
        key = Qt.Key.Key_Down if row > current else Qt.Key.Key_Up
        for _ in range(abs(row - current)):
            QTest.keyClick(view, key)
        QTest.keyClick(view, Qt.Key.Key_Return)
        self.wait_until(lambda: not view.isVisible(), f"the {field.spec.name} drop-down to close")
        self.check(combo.currentData() == data, f"{field.spec.name} is not {data!r}")

    def page(self, kind: str) -> KindPage:
        return self.w.workspace.kind_pages[kind]

    def open_new_editor(self, kind: str, go_key: Qt.Key) -> RecordEditor:
        page = self.page(kind)
        self.shortcut(go_key)
        self.wait_until(lambda: self.w.workspace.pages.currentWidget() is page, f"{kind} page")
        self.click(page.records.new_button)
        self.wait_until(lambda: page.editor is not None and page.editor.isVisible(), "editor")
        assert page.editor is not None
        return page.editor

    def save(self, editor: RecordEditor, what: str) -> Record:
        saved: list[Record] = []
        editor.sig_saved.connect(saved.append)
        self.click(editor.save_button)
        self.wait_until(lambda: bool(saved), f"{what} saved")
        return saved[0]

    def text_field(self, editor: RecordEditor, name: str) -> QLineEdit:
        field = editor.fields[name]
        self.check(isinstance(field, TextField), f"{name} is not a text field")
        assert isinstance(field, TextField)
        return field.edit

    def combo_field(self, editor: RecordEditor, name: str) -> ComboField:
        field = editor.fields[name]
        self.check(isinstance(field, ComboField), f"{name} is not a drop-down")
        assert isinstance(field, ComboField)
        return field

    # --- the flow -------------------------------------------------------------------------

    def run(self) -> None:
        w = self.w
        self.begin("the window appears on the X screen")
        self.check(QGuiApplication.platformName() == "xcb", "Qt is not on the xcb platform")
        size = QGuiApplication.primaryScreen().size()
        self.log(f"platform xcb, screen {size.width()}x{size.height()}")
        self.check(QTest.qWaitForWindowExposed(w, 10_000), "the window was never exposed")
        w.raise_()
        w.activateWindow()
        self.check(QTest.qWaitForWindowActive(w, 10_000), "the window never became active")
        self.check(w.stack.currentWidget() is w.first_run, "first run is not shown")
        self.shot("first-run")

        self.begin("first run: type the passphrase twice and create the vault")
        self.type_into(w.first_run.passphrase, PASSPHRASE)
        self.type_into(w.first_run.confirm, PASSPHRASE)
        self.check(w.first_run.passphrase.text() == PASSPHRASE, "the passphrase was not typed")
        self.shot("passphrase-typed")
        self.click(w.first_run.create_button)
        self.wait_until(lambda: w.stack.currentWidget() is w.recovery_key, "the recovery key")

        self.begin("recovery key: confirm it was stored, continue")
        key = w.recovery_key.key.text()
        self.check(bool(re.fullmatch(r"([0-9A-Z]{5}-){7}[0-9A-Z]{5}", key)), "no recovery key")
        self.check(not w.recovery_key.proceed_button.isEnabled(), "Continue before confirming")
        self.shot("recovery-key")
        self.tick(w.recovery_key.stored)
        self.click(w.recovery_key.proceed_button)
        self.wait_until(lambda: w.stack.currentWidget() is w.workspace, "the workspace")
        self.check(self.ctrl.ctx.vault is not None, "the vault is not open")
        self.check(w.recovery_key.key.text() == "", "the recovery key is still in the window")
        self.shot("workspace")

        facility = self.make_facility()
        visit = self.make_visit(facility.id)
        self.make_interview(visit.id)
        self.lock()

    def make_facility(self) -> Record:
        self.begin("facilities page (Ctrl+2): New, type the name, Save")
        editor = self.open_new_editor("facility", Qt.Key.Key_2)
        self.type_into(self.text_field(editor, "name"), FACILITY)
        self.type_into(self.text_field(editor, "municipality"), "Saltillo")
        self.shot("facility-editor")
        facility = self.save(editor, "the facility")
        page = self.page("facility")
        self.wait_until(lambda: page.editor is None, "the facility editor to close")
        self.wait_until(lambda: FACILITY in visible_texts([self.w]), "the facility in the list")
        self.shot("facility-saved")
        return facility

    def make_visit(self, facility_id: str) -> Record:
        self.begin("visits page (Ctrl+3): New, pick the facility, date, title, Save")
        editor = self.open_new_editor("visit", Qt.Key.Key_3)
        picker = self.combo_field(editor, "facility_id")
        self.wait_until(
            lambda: picker.loaded and picker.combo.findData(facility_id) >= 0,
            "the facility among the visit's choices",
        )
        self.choose(picker, facility_id, "visit-facility-picker")
        self.check(picker.combo.currentText() == FACILITY, "the picker shows another facility")
        self.type_into(self.text_field(editor, "start_date"), VISIT_DATE)
        self.type_into(self.text_field(editor, "summary"), VISIT)
        self.shot("visit-editor")
        visit = self.save(editor, "the visit")
        page = self.page("visit")
        self.wait_until(lambda: page.editor is None, "the visit editor to close")
        self.wait_until(lambda: VISIT in visible_texts([self.w]), "the visit in the list")
        self.shot("visit-saved")
        return visit

    def make_interview(self, visit_id: str) -> None:
        self.begin("interviews page (Ctrl+4): New, consent Given, visit, pseudonym, notes, Save")
        editor = self.open_new_editor("interview", Qt.Key.Key_4)
        self.choose(self.combo_field(editor, "consent"), Consent.GIVEN.value, "consent-picker")
        self.type_into(self.text_field(editor, "pseudonym"), PSEUDONYM)
        self.type_into(self.text_field(editor, "held_on"), INTERVIEW_DATE)
        picker = self.combo_field(editor, "visit_id")
        self.wait_until(
            lambda: picker.loaded and picker.combo.findData(visit_id) >= 0,
            "the visit among the interview's choices",
        )
        self.choose(picker, visit_id, "interview-visit-picker")
        notes = editor.fields["notes"]
        self.check(isinstance(notes, LongTextField), "notes is not a long text field")
        assert isinstance(notes, LongTextField)
        editor.scroll_area.ensureWidgetVisible(notes)
        self.type_into(notes.edit, NOTES)
        interview = self.save(editor, "the interview")
        self.wait_until(lambda: not editor.is_dirty(), "the interview editor to be clean")
        self.check(editor.status_label.text().startswith("Saved"), "no 'Saved' status")
        self.check(self.page("interview").editor is editor, "the interview editor closed")
        self.shot("interview-saved")

        self.begin("the interview as stored in the vault")
        stored: list[Record] = []
        self.ctrl.ctx.call(lambda v: v.records.get(Interview, interview.id), stored.append)
        self.wait_until(lambda: bool(stored), "the interview read back")
        record = stored[0]
        assert isinstance(record, Interview)
        self.check(record.visit_id == visit_id, f"visit_id is {record.visit_id!r}")
        self.check(record.consent is Consent.GIVEN, f"consent is {record.consent!r}")
        self.check(record.notes == NOTES, "the notes differ from what was typed")
        self.check(record.pseudonym == PSEUDONYM, "the pseudonym differs")
        self.check(record.held_on == dt.date.fromisoformat(INTERVIEW_DATE), "wrong date")

    def lock(self) -> None:
        w = self.w
        self.begin("Ctrl+L locks: lock screen shown, no record text anywhere on screen")
        self.check(NOTES in visible_texts([w]), "the notes were not on screen before locking")
        self.shortcut(Qt.Key.Key_L)
        self.wait_until(lambda: w.stack.currentWidget() is w.unlock, "the lock screen")
        self.wait_until(lambda: self.ctrl.ctx.vault is None, "the vault to close")
        self.check(w.unlock.isVisible() and w.unlock.passphrase.isVisible(), "no unlock field")
        self.check(w.windowTitle() == "FieldKit", f"window title {w.windowTitle()!r}")
        shown = visible_texts(QApplication.topLevelWidgets())
        self.check("FieldKit is locked" in shown, "the lock screen's title is not visible")
        leaked = [secret for secret in SECRETS if secret.lower() in shown.lower()]
        self.check(not leaked, f"record text still visible after locking: {leaked}")
        path = self.shot("locked")
        self.check(distinct_colours(path) > 3, "the locked screenshot is blank")


def distinct_colours(path: Path) -> int:
    """How many colours a coarse grid of the image holds (a blank screen has one)."""
    image = QImage(str(path))
    seen = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    return len(seen)


def main(argv: list[str], make_driver: type[Driver] = Driver, usage: str = __doc__ or "") -> int:
    """Run `make_driver`'s steps in this process's app; 0 when every step passed."""
    if len(argv) != 2:
        print(usage)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    faulthandler.dump_traceback_later(WATCHDOG_S, exit=True)
    configure_logging()
    app, ctrl = build(["fieldkit-app"])
    driver = make_driver(app, ctrl, out)
    print(f"vault: {os.environ.get('FIELDKIT_VAULT')}", flush=True)
    ctrl.start()
    try:
        driver.run()
    except StepFailed as failure:
        print(f"FAILED at '{driver.step}': {failure}", flush=True)
    except Exception:
        print(f"FAILED at '{driver.step}' with an exception:", flush=True)
        traceback.print_exc(file=sys.stdout)
    else:
        if not driver.errors:
            driver.log(f"all steps passed; {driver.shots} screenshots in {out}")
            ctrl.shutdown()
            return 0
    for error in driver.errors:
        print(f"  app error: {error}", flush=True)
    print(f"  focus: {QApplication.focusWidget()!r}", flush=True)
    with contextlib.suppress(StepFailed):
        driver.shot("failure")
    ctrl.shutdown()
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
