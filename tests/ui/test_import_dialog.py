"""Import from the FieldKit menu: the preview shows the first rows and the problems before
anything is written; the import runs on the database worker with progress; both languages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox

from fieldkit.domain.records import Facility
from fieldkit.i18n import SPANISH, set_language
from fieldkit.ui.import_dialog import ImportDialog
from tests.ui.test_app_flow import first_run

DATA = Path(__file__).resolve().parent.parent / "data"


def count_facilities(qtbot, controller) -> int:  # type: ignore[no-untyped-def]
    counted: list[int] = []
    controller.ctx.call(lambda v: v.records.count(Facility), counted.append)
    qtbot.waitUntil(lambda: bool(counted), timeout=5_000)
    return counted[0]


def open_from_menu(controller) -> ImportDialog:  # type: ignore[no-untyped-def]
    menu_actions = controller.window.menuBar().actions()[0].menu().actions()
    action = next(a for a in menu_actions if a.text().startswith(("Import", "Importar")))
    assert action.isEnabled()
    action.trigger()
    (dialog,) = [d for d in controller.window.findChildren(ImportDialog) if d.isVisible()]
    return dialog


def test_preview_then_import_with_progress(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    dialog = open_from_menu(controller)
    assert not dialog.import_button.isEnabled()
    dialog.set_file(DATA / "excel_cp1252_semicolon.csv", "facility")
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 4, timeout=10_000)
    assert "Windows-1252" in dialog.summary.text() and "semicolons" in dialog.summary.text()
    assert "Nothing has been written yet." in dialog.summary.text()
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(6)]
    assert headers[:4] == ["Name", "Employer", "Sector", "State"]
    assert dialog.table.item(0, 3).text() == "San Luis Potosí"
    assert dialog.problems.count() == 0 and count_facilities(qtbot, controller) == 0
    changed: list[str] = []
    controller.ctx.sig_records_changed.connect(changed.append)
    with qtbot.waitSignal(dialog.sig_imported, timeout=20_000) as imported:
        dialog.import_button.click()
    assert imported.args == ["facility", 4] and "facility" in changed
    assert dialog.progress.value() == 100 and "Imported 4 record(s)." in dialog.summary.text()
    assert count_facilities(qtbot, controller) == 4
    dialog.buttons.button(QDialogButtonBox.StandardButton.Close).click()


def test_problems_and_duplicates_show_before_writing(qtbot, controller, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    controller.ctx.call(lambda v: v.records.create(Facility(name="Planta Norte")))
    source = tmp_path / "f.csv"
    source.write_text("name,state\nplanta norte,\n,Pueblo\nOtra,PUE\n", encoding="utf-8")
    dialog = open_from_menu(controller)
    dialog.set_file(source, "facility")
    qtbot.waitUntil(lambda: dialog.problems.count() == 2, timeout=10_000)
    texts = [dialog.problems.item(n).text() for n in range(2)]
    assert texts[0].startswith("line 3: ") and "Did you mean 'Puebla'?" in texts[0]
    assert texts[1].startswith("line 2: ") and "duplicate" in texts[1]
    assert not dialog.import_button.isEnabled()
    dialog.skip_invalid.setChecked(True)
    dialog.skip_duplicates.setChecked(True)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.sig_imported, timeout=20_000) as imported:
        dialog.import_button.click()
    assert imported.args == ["facility", 1]
    assert count_facilities(qtbot, controller) == 2


def test_unreadable_file_is_said_in_the_dialog(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    dialog = open_from_menu(controller)
    dialog.set_file(DATA / "workbook_renamed.csv", "facility")
    qtbot.waitUntil(lambda: "not a text file" in dialog.summary.text(), timeout=10_000)
    assert not dialog.import_button.isEnabled() and controller.errors == []


def test_the_dialog_in_spanish(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    set_language(SPANISH)
    controller.ctx.sig_language_changed.emit()
    dialog = open_from_menu(controller)
    assert dialog.windowTitle() == "Importar registros"
    dialog.set_file(DATA / "excel_utf8_bom.csv", "facility")
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 4, timeout=10_000)
    assert dialog.table.horizontalHeaderItem(0).text() == "Nombre"
    assert "punto y coma" not in dialog.summary.text() and "comas" in dialog.summary.text()
    assert "Todavía no se ha escrito nada." in dialog.summary.text()
