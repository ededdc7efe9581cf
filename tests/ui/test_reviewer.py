"""Reviewer mode in the desktop app: the badge, the attaché and post columns, the filters by
attaché and by post, and the period summary per attaché or post. Outside reviewer mode the
lists are exactly as before.

With FIELDKIT_REVIEWER_SCREENSHOTS=1 the visits list in reviewer mode is saved as
docs/screenshots/{en,es}-reviewer-visits.png.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from fieldkit.domain.records import Interview, Visit
from fieldkit.i18n import ENGLISH, SPANISH, set_language
from fieldkit.reports.model import ReportOptions
from fieldkit.services.reviewing import Author, ReviewerView
from fieldkit.ui.context import AppContext
from fieldkit.ui.record_model import COLUMNS
from fieldkit.ui.records_screen import RecordsScreen
from fieldkit.ui.reviewer import ReviewerBadge, ReviewerTableModel
from tests.ui.scenes import TIMEOUT

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
OTHER = "node-benito"


def _become_reviewer(ctx: AppContext) -> str:
    assert ctx.vault is not None
    own = ctx.vault.records.list(Visit, limit=1)[0].author_device
    ctx.reviewer = ReviewerView(
        True,
        {own: Author("Ana Pérez", "Mexico City"), OTHER: Author("Benito Ruiz", "Monterrey")},
    )
    ctx.sig_reviewer_changed.emit()
    return own


def test_lists_gain_attache_and_post_and_filter_by_them(  # type: ignore[no-untyped-def]
    qtbot, qtmodeltester, qtlog, demo_ctx
) -> None:
    model = ReviewerTableModel(demo_ctx, Visit)
    with qtbot.waitSignal(model.sig_loaded, timeout=TIMEOUT):
        model.reload()
    plain = len(COLUMNS[Visit])
    assert model.columnCount() == plain and model.rowCount() > 0
    visits = model.rowCount()
    qtmodeltester.check(model)

    with qtbot.waitSignal(model.sig_loaded, timeout=TIMEOUT):
        own = _become_reviewer(demo_ctx)
    assert model.columnCount() == plain + 2
    header = model.headerData(plain, Qt.Orientation.Horizontal)
    assert (header, model.headerData(plain + 1, Qt.Orientation.Horizontal)) == ("Attaché", "Post")
    assert {model.index(r, plain).data() for r in range(model.rowCount())} == {"Ana Pérez"}
    assert {model.index(r, plain + 1).data() for r in range(model.rowCount())} == {"Mexico City"}

    with qtbot.waitSignal(model.sig_loaded, timeout=TIMEOUT):
        model.set_authors(frozenset({OTHER}))  # Monterrey: none of these visits
    assert model.rowCount() == 0
    with qtbot.waitSignal(model.sig_loaded, timeout=TIMEOUT):
        model.set_authors(frozenset({own}))
    assert model.rowCount() == visits
    with qtbot.waitSignal(model.sig_loaded, timeout=TIMEOUT):
        model.sort(plain, Qt.SortOrder.AscendingOrder)  # not a stored field: default order
    assert model.rowCount() == visits
    assert [r.message for r in qtlog.records if "FAIL!" in r.message] == []


def test_the_screen_shows_the_badge_and_filters(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    for language in (ENGLISH, SPANISH):
        set_language(language)
        demo_ctx.sig_language_changed.emit()
        window = QWidget()
        layout = QVBoxLayout(window)
        badge = ReviewerBadge(demo_ctx)
        screen = RecordsScreen(demo_ctx, Visit)
        layout.addWidget(badge, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(screen, 1)
        window.resize(1366, 768)
        window.show()
        qtbot.addWidget(window)
        assert badge.isHidden() and screen.reviewer_filters.isHidden()
        with qtbot.waitSignal(screen.model.sig_loaded, timeout=TIMEOUT):
            screen.model.reload()
        with qtbot.waitSignal(screen.model.sig_loaded, timeout=TIMEOUT):
            _become_reviewer(demo_ctx)
        assert not badge.isHidden() and not screen.reviewer_filters.isHidden()
        expected = "Reviewer mode" if language == ENGLISH else "Modo revisor"
        assert badge.text() == expected
        posts = screen.reviewer_filters.post
        assert [posts.itemText(i) for i in range(posts.count())][1:] == ["Mexico City", "Monterrey"]
        with qtbot.waitSignal(screen.model.sig_loaded, timeout=TIMEOUT):
            posts.setCurrentIndex(2)  # Monterrey
        assert screen.model.rowCount() == 0
        with qtbot.waitSignal(screen.model.sig_loaded, timeout=TIMEOUT):
            posts.setCurrentIndex(1)  # Mexico City
        assert screen.model.rowCount() > 0
        if os.environ.get("FIELDKIT_REVIEWER_SCREENSHOTS") == "1":
            qtbot.wait(50)
            short = "en" if language == ENGLISH else "es"
            window.grab().save(str(SCREENSHOTS / f"{short}-reviewer-visits.png"))
        window.close()
        demo_ctx.reviewer = ReviewerView()
        demo_ctx.sig_reviewer_changed.emit()
    set_language(ENGLISH)


def test_period_summary_per_attache_or_post(demo_ctx) -> None:  # type: ignore[no-untyped-def]
    vault = demo_ctx.vault
    own = vault.records.list(Visit, limit=1)[0].author_device
    start, end = dt.date(2000, 1, 1), dt.date(2100, 1, 1)
    options = ReportOptions(language=ENGLISH)
    every = vault.reports.period_report(start, end, options)
    mine = vault.reports.period_report(
        start, end, options, authors=frozenset({own}), scope="Attaché: Ana Pérez"
    )
    none = vault.reports.period_report(start, end, options, authors=frozenset({OTHER}))
    assert len(every.visits) > 0 and mine.visits == every.visits and none.visits == ()
    text = vault.reports.render_pdf(mine)
    assert text.startswith(b"%PDF")


def test_interviews_others_wrote_open_but_cannot_be_edited_or_deleted(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    screen = RecordsScreen(demo_ctx, Interview)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.model.sig_loaded, timeout=TIMEOUT):
        screen.model.reload()
    screen.table.selectRow(0)
    assert screen.edit_button.isEnabled()  # an attaché edits its own interviews
    own = demo_ctx.vault.records.list(Visit, limit=1)[0].author_device
    for node, editable in (("node-someone-else", False), (own, True)):
        with qtbot.waitSignal(screen.model.sig_loaded, timeout=TIMEOUT):
            demo_ctx.reviewer = ReviewerView(True, {own: Author("Ana", None)}, node)
            demo_ctx.sig_reviewer_changed.emit()
        screen.table.selectRow(0)
        assert screen.edit_button.isEnabled() is editable
        assert screen.delete_button.isEnabled() is editable
        # A double click asks to open it either way: the editor opens read-only when it may
        # not be changed here (tests/ui/test_interview_reader.py).
        with qtbot.waitSignal(screen.sig_edit_requested) as opened:
            screen._on_table_double_clicked(screen.model.index(0, 0))
        assert opened.args == [screen.model.record_at(0)]
