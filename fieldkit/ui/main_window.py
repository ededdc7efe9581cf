"""The window: it lays out the pages and delegates; the controller decides what shows."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from fieldkit.domain.records import Case, Facility, Grant, Interview, Record, Tip, Visit
from fieldkit.i18n import N_, _
from fieldkit.services.vault import os_keyring
from fieldkit.ui.context import AppContext
from fieldkit.ui.kind_page import KindPage
from fieldkit.ui.lock_views import FirstRunView, RecoverView, RecoveryKeyView, UnlockView
from fieldkit.ui.today_view import TodayView

NAVIGATION: tuple[type[Record], ...] = (Facility, Visit, Interview, Case, Tip, Grant)
SHORTCUTS = (
    ("Ctrl+K", N_("Search every record")),
    ("Ctrl+L", N_("Lock FieldKit")),
    ("Ctrl+S", N_("Save the open record")),
    ("Ctrl+1 … Ctrl+7", N_("Go to Today, Facilities, Visits, Interviews, Cases, Tips, Grants")),
    ("F1", N_("Keyboard shortcuts")),
)


class Workspace(QWidget):
    """Navigation on the left, the chosen page on the right."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.nav = QListWidget()
        self.nav.setAccessibleName(_("Navigation"))
        self.nav.setMaximumWidth(190)
        self.pages = QStackedWidget()
        self.today = TodayView(ctx)
        self.kind_pages = {cls.KIND: KindPage(ctx, cls) for cls in NAVIGATION}
        self._add(_("Today"), self.today)
        for cls in NAVIGATION:
            self._add(_(cls.PLURAL), self.kind_pages[cls.KIND])
        layout = QHBoxLayout(self)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)

    def _add(self, title: str, page: QWidget) -> None:
        self.nav.addItem(QListWidgetItem(title))
        self.pages.addWidget(page)

    def go_to(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def show_record(self, kind: str, record_id: str) -> None:
        page = self.kind_pages.get(kind)
        if page is not None:
            self.pages.setCurrentWidget(page)
            self.nav.setCurrentRow(self.pages.indexOf(page))
            page.show_record(record_id)


class MainWindow(QMainWindow):
    sig_lock_requested = Signal()
    sig_search_requested = Signal()
    sig_period_report_requested = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        # The title never names a record: it shows in task switchers even when locked.
        self.setWindowTitle("FieldKit")
        self.resize(1280, 760)
        self.stack = QStackedWidget()
        self.first_run = FirstRunView()
        self.recovery_key = RecoveryKeyView(keyring_available=os_keyring().available())
        self.unlock = UnlockView()
        self.recover = RecoverView()
        self.workspace = Workspace(ctx)
        for page in (self.first_run, self.recovery_key, self.unlock, self.recover, self.workspace):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)
        self.sync_state = QLabel()
        self.sync_state.setAccessibleName(_("Sync state"))
        self.statusBar().addPermanentWidget(self.sync_state)
        self._actions()

    def _actions(self) -> None:
        def action(text: str, shortcut: str, slot: object) -> QAction:
            act = QAction(text, self)
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        menu = self.menuBar().addMenu(_("&FieldKit"))
        menu.addAction(action(_("Search…"), "Ctrl+K", self.sig_search_requested))
        menu.addAction(action(_("Lock"), "Ctrl+L", self.sig_lock_requested))
        menu.addAction(
            action(
                _("Export period summary (PDF)…"), "Ctrl+Shift+P", self.sig_period_report_requested
            )
        )
        menu.addSeparator()
        menu.addAction(action(_("Quit"), "Ctrl+Q", self.close))
        go = self.menuBar().addMenu(_("&Go"))
        titles = [_("Today"), *(_(cls.PLURAL) for cls in NAVIGATION)]
        for index, title in enumerate(titles):
            go.addAction(
                action(
                    title,
                    f"Ctrl+{index + 1}",
                    lambda _checked=False, i=index: self.workspace.go_to(i),
                )
            )
        help_menu = self.menuBar().addMenu(_("&Help"))
        help_menu.addAction(action(_("Keyboard shortcuts"), "F1", self.show_shortcuts))

    def show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        unlocked = page is self.workspace
        self.menuBar().setEnabled(True)
        for act in self.actions():
            if act.shortcut().toString() not in ("Ctrl+Q", "F1"):
                act.setEnabled(unlocked)

    def set_sync_state(self, text: str) -> None:
        self.sync_state.setText(text)

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td><b>{keys}</b></td><td>{_(what)}</td></tr>" for keys, what in SHORTCUTS
        )
        QMessageBox.information(self, _("Keyboard shortcuts"), f"<table>{rows}</table>")
