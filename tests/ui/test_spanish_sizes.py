"""Sizes follow the text in both languages: column titles never clipped, the calendar speaks
the interface language, the fingerprint keeps its four lines when a message shows under it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, QSettings
from PySide6.QtWidgets import QToolButton, QWidget

from fieldkit.domain.fields import FieldType
from fieldkit.domain.records import Case, Grant, Interview, Record, Tip, Visit
from fieldkit.i18n import ENGLISH, SPANISH, set_language
from fieldkit.services.hq_connection import CertificatePreview
from fieldkit.services.vault import Vault
from fieldkit.sync.pinning import parse_address
from fieldkit.ui.connect_dialog import ConnectDialog
from fieldkit.ui.context import AppContext
from fieldkit.ui.field_widgets import DateField
from fieldkit.ui.preferences import Preferences
from fieldkit.ui.records_screen import RecordsScreen
from fieldkit.ui.report_export import ReportOptionsDialog
from fieldkit.ui.tasks import TaskRunner
from tests.ui.scenes import make_context


@pytest.fixture
def spanish() -> Iterator[None]:
    set_language(SPANISH)
    yield
    set_language(ENGLISH)


@pytest.fixture
def empty_ctx(qapp, vault: Vault, tmp_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    ctx = make_context(vault, tmp_path, errors)
    yield ctx
    ctx.tasks.shutdown()
    assert errors == []


def clipped_titles(screen: RecordsScreen) -> list[str]:
    header = screen.table.horizontalHeader()
    return [
        screen.model.column_label(column)
        for column, spec in enumerate(screen.model.columns)
        if not spec.stretch and screen.table.columnWidth(column) < header.sectionSizeHint(column)
    ]


@pytest.mark.parametrize("cls", [Visit, Interview, Case, Tip, Grant])
def test_spanish_column_titles_fit_an_empty_list(
    qtbot, spanish, empty_ctx, cls: type[Record]
) -> None:  # type: ignore[no-untyped-def]
    screen = RecordsScreen(empty_ctx, cls)
    qtbot.addWidget(screen)
    screen.resize(1150, 600)
    screen.show()
    assert clipped_titles(screen) == []


def test_spanish_column_titles_fit_a_filled_list(qtbot, spanish, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    for cls in (Interview, Tip, Grant):
        screen = RecordsScreen(demo_ctx, cls)
        qtbot.addWidget(screen)
        screen.resize(1150, 600)
        screen.show()
        screen.model.reload()
        qtbot.waitUntil(lambda s=screen: s.model.rowCount() > 0, timeout=5_000)
        assert clipped_titles(screen) == [], cls.KIND


def test_the_calendar_speaks_the_interface_language(qtbot, spanish) -> None:  # type: ignore[no-untyped-def]
    field = DateField(Visit.spec("start_date"))
    qtbot.addWidget(field)
    assert Visit.spec("start_date").type is FieldType.DATE
    calendar = field.calendar
    calendar.setSelectedDate(QDate(2026, 3, 10))
    calendar.setCurrentPage(2026, 3)
    month = calendar.findChild(QToolButton, "qt_calendar_monthbutton")
    assert month is not None and month.text() == "marzo"
    assert calendar.locale().name() == "es_MX"


def test_the_report_dates_speak_the_interface_language(qtbot, spanish, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tasks = TaskRunner(default_error_handler=lambda error: None)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(tmp_path, Preferences(settings), tasks)
    dialog = ReportOptionsDialog(ctx, period=True)
    qtbot.addWidget(dialog)
    calendar = dialog.start.calendarWidget()
    assert calendar.locale().language() is QLocale.Language.Spanish
    assert dialog.start.locale().monthName(dt.date(2026, 1, 1).month) == "enero"
    tasks.shutdown()


def test_the_fingerprint_keeps_four_lines_under_a_message(qtbot, spanish, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tasks = TaskRunner(default_error_handler=lambda error: None)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(tmp_path, Preferences(settings), tasks)
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = ConnectDialog(ctx, lambda *args: None, parent)
    dialog.show()
    fingerprint = ":".join(["AB"] * 32)
    address = parse_address("https://hq.example.org")
    dialog._on_preview_done(CertificatePreview(address, "PEM", fingerprint))  # as HQ answered
    box = dialog.fingerprint
    four_lines = 4 * box.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: box.contentsRect().height() >= four_lines)
    dialog.given.setText("AA:BB")  # a different one: the warning shows under it
    assert dialog.given_result.isVisible()
    qtbot.waitUntil(lambda: dialog.given_result.height() > 0)
    assert box.contentsRect().height() >= four_lines
    dialog.close()
    tasks.shutdown()
