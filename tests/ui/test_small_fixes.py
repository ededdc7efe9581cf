"""Small things people expect: the report language is remembered, one conflicting edit reads
as one (a new interview's autosave and unset risk: test_editor.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from fieldkit.cli.sync_commands import _report_lines
from fieldkit.i18n import ENGLISH, SPANISH, set_language
from fieldkit.services.sync import RoundReport, SyncStatus
from fieldkit.ui.context import AppContext
from fieldkit.ui.preferences import REPORT_LANGUAGE, Preferences
from fieldkit.ui.report_export import ReportOptionsDialog
from fieldkit.ui.tasks import TaskRunner


def test_the_report_language_is_remembered(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tasks = TaskRunner(default_error_handler=lambda error: None)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(tmp_path, Preferences(settings), tasks)
    first = ReportOptionsDialog(ctx, period=False)
    qtbot.addWidget(first)
    assert first.language.currentData() == ENGLISH  # the interface's, until chosen
    first.language.setCurrentIndex(first.language.findData(SPANISH))
    assert first.options().language == SPANISH
    assert ctx.preferences.get(REPORT_LANGUAGE) == SPANISH
    second = ReportOptionsDialog(ctx, period=False)
    qtbot.addWidget(second)
    assert second.language.currentData() == SPANISH
    tasks.shutdown()


def test_one_conflicting_edit_reads_as_one_in_both_languages() -> None:
    status = SyncStatus("ok", unsent=0, conflicts=1, quarantined=0, last_synced=None)
    try:
        for language, expected in (
            (ENGLISH, "1 conflicting edit waits"),
            (SPANISH, "1 edición en conflicto espera"),
        ):
            set_language(language)
            lines = _report_lines(RoundReport(conflicts=1), status)
            assert any(line.startswith(expected) for line in lines), lines
    finally:
        set_language(ENGLISH)
