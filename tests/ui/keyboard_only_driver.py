"""Drives the real FieldKit app in a real X window with the keyboard alone, in Spanish from the
first screen; `test_keyboard_only.py` runs it under Xvfb.

    DISPLAY=:N QT_QPA_PLATFORM=xcb LANG=es_MX.UTF-8 FIELDKIT_VAULT=DIR \\
        python tests/ui/keyboard_only_driver.py OUT

Every key goes where the keyboard focus is (`QApplication.focusWidget()`), as a person's
keyboard sends it: no click, no widget reached by reference. "Tab to X" means pressing Tab
until the focus is in X, as a person watching the screen would. Modal dialogs (the report
options, the file dialog, the "report written" box) run their own event loop, so the keys
for them are sent by a timer that watches which dialog is up.

The flow: first run (the passphrase twice, Enter), the recovery key (Tab to the confirmation,
Space, Tab to Continue, Enter), a facility (Ctrl+2, Ctrl+N, type, Ctrl+S), a visit (Ctrl+3,
Ctrl+N, Down for the facility, Tab to the date and title, Ctrl+S), an interview (Ctrl+4,
Ctrl+N, the visit picked with Down; it takes the visit's facility), the visit's PDF (Ctrl+3,
Alt+P, Enter, a path typed in the file dialog, Enter, Escape), Ctrl+L and unlocking with the
passphrase and Enter. Exits 0 when every step passed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from fieldkit.domain.records import Facility, Interview, Record, Visit
from fieldkit.ui.editor import RecordEditor
from fieldkit.ui.field_widgets import TextField
from fieldkit.ui.pickers import ComboField
from fieldkit.ui.report_export import ReportOptionsDialog
from tests.ui.real_window_driver import Driver, StepFailed, main

PASSPHRASE = "teclado solamente 2026"
FACILITY = "Planta Oriente Puebla"
VISIT = "Visita de seguimiento"
VISIT_DATE = "2026-11-20"
PSEUDONYM = "Persona Verde"
INTERVIEW_DATE = "2026-11-21"
WATCHDOG_S = 80
NO_MODIFIER = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier


class KeyboardDriver(Driver):
    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self._modal_guard.stop()  # the dialogs here are answered with keys, not closed
        self._modal_steps: list[tuple[Callable[[QWidget], bool], Callable[[], None]]] = []
        self._modal_timer = QTimer()
        self._modal_timer.setInterval(100)
        self._modal_timer.timeout.connect(self._on_modal_timer)
        self._modal_timer.start()
        self.pdf = Path(os.environ["FIELDKIT_VAULT"]).parent / "informe-visita.pdf"

    # --- the keyboard -----------------------------------------------------------------------

    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        if widget is None:
            raise StepFailed(f"no widget has the keyboard focus (step: {self.step})")
        return widget

    def key(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NO_MODIFIER) -> None:
        QTest.keyClick(self.focus(), key, modifiers)

    def type(self, text: str) -> None:
        QTest.keyClicks(self.focus(), text)

    def focus_in(self, widget: QWidget) -> bool:
        focused = QApplication.focusWidget()
        return focused is not None and (focused is widget or widget.isAncestorOf(focused))

    def tab_to(self, widget: QWidget, what: str, limit: int = 60) -> None:
        """Press Tab until the focus is in `widget`."""
        for _press in range(limit):
            if self.focus_in(widget):
                return
            self.key(Qt.Key.Key_Tab)
            QTest.qWait(10)
        raise StepFailed(f"Tab never reached {what}")

    def down_until(self, combo_field: ComboField, data: str, what: str) -> None:
        """With the focus on a drop-down, press Down until it shows `data`."""
        self.check(self.focus_in(combo_field), f"the focus is not on {what}")
        for _press in range(60):
            if combo_field.combo.currentData() == data:
                return
            self.key(Qt.Key.Key_Down)
        raise StepFailed(f"Down never reached {data!r} in {what}")

    # --- modal dialogs ----------------------------------------------------------------------

    def answer_modals(self, *steps: tuple[Callable[[QWidget], bool], Callable[[], None]]) -> None:
        """Keys for dialogs that open while a key is being handled: each step's keys are sent
        once its dialog is the active window."""
        self._modal_steps = list(steps)

    def _on_modal_timer(self) -> None:
        if not self._modal_steps:
            return
        window = QApplication.activeWindow()
        matches, act = self._modal_steps[0]
        if window is not None and matches(window):
            self._modal_steps.pop(0)
            try:
                act()
            except StepFailed as failure:
                self.errors.append(str(failure))

    # --- the flow ---------------------------------------------------------------------------

    def run(self) -> None:
        w = self.w
        self.begin("la ventana aparece en la pantalla X, en español")
        self.check(QGuiApplication.platformName() == "xcb", "Qt is not on the xcb platform")
        self.check(QTest.qWaitForWindowExposed(w, 10_000), "the window was never exposed")
        w.raise_()
        w.activateWindow()
        self.check(QTest.qWaitForWindowActive(w, 10_000), "the window never became active")
        self.check(w.stack.currentWidget() is w.first_run, "first run is not shown")
        said = w.first_run.create_button.text()
        self.check(said == "Crear la bóveda", f"first run is not in Spanish: {said!r}")
        self.shot("primer-uso")

        self.begin("first run: passphrase, Enter, again, Enter")
        self.tab_to(w.first_run.passphrase, "the passphrase")
        self.type(PASSPHRASE)
        self.key(Qt.Key.Key_Return)
        self.wait_until(lambda: self.focus_in(w.first_run.confirm), "Enter to move on")
        self.type(PASSPHRASE)
        self.key(Qt.Key.Key_Return)
        self.wait_until(lambda: w.stack.currentWidget() is w.recovery_key, "the recovery key")

        self.begin("recovery key: Tab to the confirmation, Space, Tab to Continue, Enter")
        self.shot("clave-de-recuperacion")
        self.tab_to(w.recovery_key.stored, "the confirmation")
        self.key(Qt.Key.Key_Space)
        self.wait_until(w.recovery_key.stored.isChecked, "the confirmation ticked")
        self.tab_to(w.recovery_key.proceed_button, "Continue")
        self.key(Qt.Key.Key_Return)
        self.wait_until(lambda: w.stack.currentWidget() is w.workspace, "the workspace")

        facility = self.make_facility()
        visit = self.make_visit(facility.id)
        self.make_interview(visit.id, facility.id)
        self.export_visit_pdf()
        self.lock_and_unlock()

    def new_editor(self, kind: str, page_key: Qt.Key) -> RecordEditor:
        page = self.page(kind)
        self.key(page_key, CTRL)
        self.wait_until(lambda: self.w.workspace.pages.currentWidget() is page, f"{kind} page")
        self.key(Qt.Key.Key_N, CTRL)
        self.wait_until(lambda: page.editor is not None and page.editor.isVisible(), "editor")
        assert page.editor is not None
        editor = page.editor
        self.wait_until(lambda: self.focus_in(editor), "the focus in the editor")
        return editor

    def text_edit(self, editor: RecordEditor, name: str) -> QWidget:
        field = editor.fields[name]
        self.check(isinstance(field, TextField), f"{name} is not a text field")
        assert isinstance(field, TextField)
        return field.edit

    def combo(self, editor: RecordEditor, name: str) -> ComboField:
        field = editor.fields[name]
        self.check(isinstance(field, ComboField), f"{name} is not a drop-down")
        assert isinstance(field, ComboField)
        return field

    def saved_by_ctrl_s(self, editor: RecordEditor, what: str) -> Record:
        saved: list[Record] = []
        editor.sig_saved.connect(saved.append)
        self.key(Qt.Key.Key_S, CTRL)
        self.wait_until(lambda: bool(saved), f"{what} saved")
        return saved[-1]

    def make_facility(self) -> Record:
        self.begin("facility: Ctrl+2, Ctrl+N, the name in the first field, Ctrl+S")
        editor = self.new_editor("facility", Qt.Key.Key_2)
        self.check(self.focus_in(self.text_edit(editor, "name")), "the name is not first")
        self.type(FACILITY)
        facility = self.saved_by_ctrl_s(editor, "the facility")
        self.check(isinstance(facility, Facility) and facility.name == FACILITY, "name differs")
        return facility

    def make_visit(self, facility_id: str) -> Record:
        self.begin("visit: Ctrl+3, Ctrl+N, Down for the facility, Tab to date and title, Ctrl+S")
        editor = self.new_editor("visit", Qt.Key.Key_3)
        picker = self.combo(editor, "facility_id")
        self.wait_until(lambda: picker.combo.findData(facility_id) >= 0, "the facility listed")
        self.tab_to(picker, "the facility")
        self.down_until(picker, facility_id, "the facility")
        self.tab_to(self.text_edit(editor, "start_date"), "the start date")
        self.type(VISIT_DATE)
        self.tab_to(self.text_edit(editor, "summary"), "the title")
        self.type(VISIT)
        self.shot("visita")
        visit = self.saved_by_ctrl_s(editor, "the visit")
        self.check(isinstance(visit, Visit) and visit.facility_id == facility_id, "wrong place")
        page = self.page("visit")
        self.wait_until(lambda: page.editor is None, "the visit editor to close")
        return visit

    def make_interview(self, visit_id: str, facility_id: str) -> None:
        self.begin("interview: Ctrl+4, Ctrl+N, pseudonym, date, Down for the visit, Ctrl+S")
        editor = self.new_editor("interview", Qt.Key.Key_4)
        self.tab_to(self.text_edit(editor, "pseudonym"), "the pseudonym")
        self.type(PSEUDONYM)
        self.tab_to(self.text_edit(editor, "held_on"), "the date")
        self.type(INTERVIEW_DATE)
        picker = self.combo(editor, "visit_id")
        self.wait_until(lambda: picker.combo.findData(visit_id) >= 0, "the visit listed")
        self.tab_to(picker, "the visit")
        self.down_until(picker, visit_id, "the visit")
        self.shot("entrevista")
        interview = self.saved_by_ctrl_s(editor, "the interview")
        stored: list[Record] = []
        self.ctrl.ctx.call(lambda v: v.records.get(Interview, interview.id), stored.append)
        self.wait_until(lambda: bool(stored), "the interview read back")
        record = stored[0]
        assert isinstance(record, Interview)
        self.check(record.pseudonym == PSEUDONYM, "the pseudonym differs")
        self.check(record.visit_id == visit_id, "the interview is not on the visit")
        self.check(record.facility_id == facility_id, "it did not take the visit's facility")
        self.key(Qt.Key.Key_Escape)  # close the editor (saved: nothing to ask)
        page = self.page("interview")
        self.wait_until(lambda: page.editor is None, "the interview editor to close")

    def export_visit_pdf(self) -> None:
        self.begin("PDF: Ctrl+3, Alt+P, Enter, a path in the file dialog, Enter, Escape")
        page = self.page("visit")
        self.key(Qt.Key.Key_3, CTRL)
        self.wait_until(lambda: page.records.selected_record() is not None, "a visit selected")
        self.tab_to(page.records.table, "the list of visits")

        def in_file_dialog() -> None:
            self.key(Qt.Key.Key_A, CTRL)
            self.type(str(self.pdf))
            self.key(Qt.Key.Key_Return)

        def written(window: QWidget) -> bool:
            return isinstance(window, QMessageBox) and self.pdf.name in window.text()

        self.answer_modals(
            (lambda w: isinstance(w, ReportOptionsDialog), lambda: self.key(Qt.Key.Key_Return)),
            (lambda w: isinstance(w, QFileDialog), in_file_dialog),
            (written, lambda: (self.shot("pdf-escrito"), self.key(Qt.Key.Key_Escape))),
        )
        self.key(Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
        self.wait_until(lambda: not self._modal_steps, "the three export dialogs answered", 20)
        self.wait_until(lambda: QApplication.activeModalWidget() is None, "the dialogs closed")
        if QApplication.focusWidget() is None:
            # Xvfb has no window manager to hand the focus back to the main window when a
            # dialog closes, as every desktop does: do what it would.
            self.w.activateWindow()
            self.wait_until(lambda: QApplication.focusWidget() is not None, "the focus back")
        self.check(self.pdf.exists(), f"no PDF at {self.pdf}")
        self.check(self.pdf.read_bytes()[:5] == b"%PDF-", "the file is not a PDF")

    def lock_and_unlock(self) -> None:
        w = self.w
        self.begin("Ctrl+L locks; the passphrase and Enter unlock")
        self.key(Qt.Key.Key_L, CTRL)
        self.wait_until(lambda: w.stack.currentWidget() is w.unlock, "the lock screen")
        self.wait_until(lambda: self.ctrl.ctx.vault is None, "the vault to close")
        self.wait_until(lambda: self.focus_in(w.unlock.passphrase), "the cursor in the passphrase")
        self.shot("bloqueada")
        self.type(PASSPHRASE)
        self.key(Qt.Key.Key_Return)
        self.wait_until(lambda: w.stack.currentWidget() is w.workspace, "the workspace again")
        self.wait_until(lambda: self.ctrl.ctx.vault is not None, "the vault open again")
        self.shot("desbloqueada")


if __name__ == "__main__":
    sys.exit(main(sys.argv, KeyboardDriver, __doc__ or ""))
