"""The list screen: selection and details, the debounced filter, edit and delete requests,
opening a record from search, and nothing left on screen once the vault locks."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QMessageBox, QTextBrowser

from fieldkit.domain.query import Equals
from fieldkit.domain.records import Facility, Interview, Record, Visit
from fieldkit.ui.context import AppContext
from fieldkit.ui.records_screen import RecordsScreen
from tests.ui.scenes import (
    SECRET_CONTACT,
    SECRET_NOTES,
    SECRET_RISK,
    TIMEOUT,
    TIRE_PLANT,
)


def open_screen(qtbot, ctx: AppContext, cls: type[Record]) -> RecordsScreen:  # type: ignore[no-untyped-def]
    screen = RecordsScreen(ctx, cls)
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    wait_idle(qtbot, screen)
    assert screen.model.rowCount() > 0
    return screen


def wait_idle(qtbot, screen: RecordsScreen) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not screen._ctx.tasks.busy, timeout=TIMEOUT)


def select_title(qtbot, screen: RecordsScreen, title: str) -> Record:  # type: ignore[no-untyped-def]
    row = next(
        row
        for row in range(screen.model.rowCount())
        if screen.model.record_at(row).title == title  # type: ignore[union-attr]
    )
    screen.table.selectRow(row)
    record = screen.selected_record()
    assert record is not None and record.title == title
    return record


def screen_texts(screen: RecordsScreen) -> str:
    """Every record text a person could read in the screen's widgets, hidden or not."""
    parts: list[str] = []
    for widget in (screen, *screen.findChildren(QLabel), *screen.findChildren(QLineEdit)):
        if isinstance(widget, QLabel | QLineEdit):
            parts.append(widget.text())
    for browser in screen.findChildren(QTextBrowser):
        parts.extend([browser.toPlainText(), browser.toHtml()])
    for view in screen.findChildren(QAbstractItemView):
        model = view.model()
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                parts.append(str(model.index(row, column).data()))
    return "\n".join(parts)


def test_selecting_a_row_shows_its_details(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen(qtbot, demo_ctx, Facility)
    assert not screen.edit_button.isEnabled() and not screen.delete_button.isEnabled()
    select_title(qtbot, screen, TIRE_PLANT)
    text = screen.detail.toPlainText()
    assert TIRE_PLANT in text
    assert "Rubber and tires" in text and "San Luis Potosí" in text
    assert screen.edit_button.isEnabled() and screen.delete_button.isEnabled()
    assert screen.filter_edit.placeholderText() == "Filter…"
    for widget in (screen.filter_edit, screen.table, screen.detail, screen.new_button):
        assert widget.accessibleName()


def test_visit_details_resolve_linked_records(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen(qtbot, demo_ctx, Visit)
    visit = screen.model.record_at(0)
    assert isinstance(visit, Visit)
    screen.table.selectRow(0)
    qtbot.waitUntil(lambda: "(loading…)" not in screen.detail.toPlainText(), timeout=TIMEOUT)
    text = screen.detail.toPlainText()
    venue, venue_id = (
        ("Organization", visit.organization_id)
        if visit.organization_id
        else ("Facility", visit.facility_id)
    )
    assert venue in text and venue_id and venue_id not in text  # a name, not an id
    assert "Follow-up actions" in text or not visit.follow_ups


def test_filter_waits_for_typing_to_pause(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen(qtbot, demo_ctx, Facility)
    assert screen.model.rowCount() == 15
    qtbot.keyClicks(screen.filter_edit, "potosi")
    assert screen.model.filter_text == ""  # debounced: nothing asked yet
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=TIMEOUT)
    assert screen.model.record_at(0).title == TIRE_PLANT  # type: ignore[union-attr]
    assert screen.status_label.text() == "1 found"
    screen.filter_edit.clear()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 15, timeout=TIMEOUT)
    assert screen.status_label.text() == ""


def test_interview_details_never_show_the_notes(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen(qtbot, demo_ctx, Interview)
    select_title(qtbot, screen, "Huizache")
    wait_idle(qtbot, screen)
    shown = screen_texts(screen)
    assert "Huizache" in shown and "High" in shown
    assert "Open the interview to read its notes." in shown
    for secret in (SECRET_NOTES, SECRET_RISK, SECRET_CONTACT, "ZQX"):
        assert secret not in shown


def test_edit_and_new_are_requested_not_done_here(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen(qtbot, demo_ctx, Facility)
    with qtbot.waitSignal(screen.sig_new_requested) as new:
        qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    assert new.args == [Facility]
    record = select_title(qtbot, screen, TIRE_PLANT)
    with qtbot.waitSignal(screen.sig_edit_requested) as edit:
        qtbot.mouseClick(screen.edit_button, Qt.MouseButton.LeftButton)
    assert edit.args == [record]
    screen.table.setFocus()
    with qtbot.waitSignal(screen.sig_edit_requested) as enter:
        qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert enter.args == [record]
    row = screen.model.row_of(record.id)
    assert row is not None
    cell = screen.table.visualRect(screen.model.index(row, 0)).center()
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    with qtbot.waitSignal(screen.sig_edit_requested) as double:
        qtbot.mouseDClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert double.args == [record]


def test_delete_asks_then_removes_the_row(qtbot, demo_ctx, vault, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen(qtbot, demo_ctx, Facility)
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def question(parent, title, text, *args):  # type: ignore[no-untyped-def]
            asked.append(text)
            return reply

        return question

    record = select_title(qtbot, screen, TIRE_PLANT)
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    qtbot.mouseClick(screen.delete_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, screen)
    assert screen.model.row_of(record.id) is not None
    assert not vault.records.get(Facility, record.id).deleted

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(screen.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.model.row_of(record.id) is None, timeout=TIMEOUT)
    wait_idle(qtbot, screen)
    assert screen.model.rowCount() == 14
    assert vault.records.get(Facility, record.id).deleted
    assert TIRE_PLANT not in screen.detail.toPlainText()
    assert "undo" in asked[-1] and TIRE_PLANT in asked[-1]

    # Undo restores it.
    assert screen.undo_bar.isVisibleTo(screen) and TIRE_PLANT in screen.undo_bar.message.text()
    qtbot.mouseClick(screen.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.model.row_of(record.id) is not None, timeout=TIMEOUT)
    assert not vault.records.get(Facility, record.id).deleted
    assert not screen.undo_bar.isVisibleTo(screen)


def test_select_record_loads_pages_until_it_is_there(qtbot, many_ctx, vault) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen(qtbot, many_ctx, Facility)
    assert screen.model.rowCount() == 200
    last = vault.records.list(Facility, filters=[Equals("name", "Plant 449")])[0]
    screen.select_record(last.id)
    qtbot.waitUntil(lambda: screen.selected_record() == last, timeout=TIMEOUT)
    assert screen.model.rowCount() == 450  # last by name: on the last page
    assert "Plant 449" in screen.detail.toPlainText()


def test_select_record_clears_the_filter(qtbot, demo_ctx, vault) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen(qtbot, demo_ctx, Facility)
    screen.filter_edit.setText("potosi")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=TIMEOUT)
    other = next(f for f in vault.records.list(Facility) if f.title != TIRE_PLANT)
    screen.select_record(other.id)
    qtbot.waitUntil(lambda: screen.selected_record() == other, timeout=TIMEOUT)
    assert screen.filter_edit.text() == "" and screen.model.rowCount() == 15


def test_clear_for_lock_leaves_no_record_on_screen(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen(qtbot, demo_ctx, Facility)
    screen.filter_edit.setText("Neumaticos")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=TIMEOUT)
    select_title(qtbot, screen, TIRE_PLANT)
    wait_idle(qtbot, screen)
    assert TIRE_PLANT in screen_texts(screen)

    screen.clear_for_lock()
    shown = screen_texts(screen)
    for text in (TIRE_PLANT, "Neumáticos", "Neumaticos", "Tangamanga"):
        assert text not in shown
    assert screen.model.rowCount() == 0 and not screen.edit_button.isEnabled()

    screen.restore_after_unlock()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 15, timeout=TIMEOUT)
    assert screen.detail.toPlainText() == ""  # nothing reselected from before the lock


def test_locking_the_context_clears_the_screen(qtbot, demo_ctx, vault) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen(qtbot, demo_ctx, Facility)
    select_title(qtbot, screen, TIRE_PLANT)
    demo_ctx.set_vault(None)
    assert TIRE_PLANT not in screen_texts(screen)
    demo_ctx.set_vault(vault)
    screen.restore_after_unlock()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 15, timeout=TIMEOUT)


def test_sorting_by_a_header_keeps_the_selection(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    screen = open_screen(qtbot, demo_ctx, Facility)
    record = select_title(qtbot, screen, TIRE_PLANT)
    screen.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    wait_idle(qtbot, screen)
    names = [screen.model.index(r, 0).data() for r in range(screen.model.rowCount())]
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert screen.selected_record() == record
