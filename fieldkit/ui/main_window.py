"""The window: it lays out the pages and delegates; the controller decides what shows."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
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
from fieldkit.ui.sync_bar import SyncStatusBar
from fieldkit.ui.today_view import TodayView

NAVIGATION: tuple[type[Record], ...] = (Facility, Visit, Interview, Case, Tip, Grant)
SHORTCUTS = (
    ("Ctrl+K", N_("Search every record")),
    ("Ctrl+L", N_("Lock FieldKit")),
    ("Ctrl+,", N_("Settings")),
    ("Ctrl+S", N_("Save the open record")),
    ("F5", N_("Sync with headquarters now")),
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

    def retranslate(self) -> None:
        """Navigation titles and Today in the active language (record screens follow
        `sig_language_changed` themselves)."""
        self.nav.setAccessibleName(_("Navigation"))
        titles = [_("Today"), *(_(cls.PLURAL) for cls in NAVIGATION)]
        for row, title in enumerate(titles):
            self.nav.item(row).setText(title)
        for page in self.kind_pages.values():  # its bar buttons are set once, when built
            page.attachments_button.setText(_("Attach&ments…"))
            page.attachments_button.setAccessibleName(_("Attachments of the selected record"))
            export = getattr(page, "export_button", None)
            if export is not None:
                export.setText(_("Export &PDF…"))
                export.setAccessibleName(_("Export the selected record as a PDF report"))
        self.today.body.setAccessibleName(_("Today"))
        self.today.refresh()

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
    sig_quarterly_report_requested = Signal()
    sig_settings_requested = Signal()
    sig_sync_requested = Signal()
    sig_connect_requested = Signal()
    sig_conflicts_requested = Signal()
    sig_sync_log_requested = Signal()
    sig_lock_views_rebuilt = Signal()  # new first-run/unlock/recovery views: connect them

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        # The title never names a record: it shows in task switchers even when locked.
        self.setWindowTitle("FieldKit")
        self.resize(1280, 760)
        self.stack = QStackedWidget()
        self._keyring_available = os_keyring().available()
        self._lock_views_stale = False
        self._make_lock_views()
        self.workspace = Workspace(ctx)
        for page in (self.first_run, self.recovery_key, self.unlock, self.recover, self.workspace):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)
        self.sync_bar = SyncStatusBar()
        self.sync_state = self.sync_bar.state  # the sentence: "Synced at 14:02", "Offline · …"
        self.statusBar().addPermanentWidget(self.sync_bar)
        self.sync_bar.sig_sync_requested.connect(self.sig_sync_requested)
        self.sync_bar.sig_conflicts_requested.connect(self.sig_conflicts_requested)
        self.sync_bar.sig_log_requested.connect(self.sig_sync_log_requested)
        self._actions()
        ctx.sig_language_changed.connect(self.retranslate)

    def _make_lock_views(self) -> None:
        self.first_run = FirstRunView()
        self.recovery_key = RecoveryKeyView(keyring_available=self._keyring_available)
        self.unlock = UnlockView()
        self.recover = RecoverView()

    def _actions(self) -> None:
        self._menu_only_actions: list[QAction] = []

        def action(text: str, shortcut: str, slot: object) -> QAction:
            act = QAction(text, self)
            act.triggered.connect(slot)
            if not shortcut:  # menu only; still enabled and disabled with the vault
                self._menu_only_actions.append(act)
                return act
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
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
        menu.addAction(
            action(
                _("Export quarterly report to the ILC (PDF)…"),
                "",
                self.sig_quarterly_report_requested,
            )
        )
        menu.addSeparator()
        menu.addAction(action(_("Sync now"), "F5", self.sig_sync_requested))
        menu.addAction(action(_("Connect to headquarters…"), "", self.sig_connect_requested))
        menu.addAction(action(_("Conflicting edits…"), "", self.sig_conflicts_requested))
        menu.addAction(action(_("Sync log…"), "", self.sig_sync_log_requested))
        menu.addSeparator()
        menu.addAction(action(_("Settings…"), "Ctrl+,", self.sig_settings_requested))
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

    def retranslate(self) -> None:
        """Show the window in the active language without losing anything: menus are
        rebuilt, the workspace re-titled, the lock views rebuilt once they hold nothing."""
        self.menuBar().clear()
        for menu in self.menuBar().findChildren(QMenu):
            menu.deleteLater()
        for act in (*self.actions(), *self._menu_only_actions):
            self.removeAction(act)
            act.deleteLater()
        self._actions()
        self.sync_bar.retranslate()
        self.workspace.retranslate()
        self._lock_views_stale = True
        self.show_page(self.stack.currentWidget() or self.unlock)

    def _rebuild_lock_views(self) -> None:
        # Only while the workspace shows: the lock views are blank then (wiped on unlock).
        old = (self.first_run, self.recovery_key, self.unlock, self.recover)
        self._make_lock_views()
        new = (self.first_run, self.recovery_key, self.unlock, self.recover)
        for before, after in zip(old, new, strict=True):
            self.stack.insertWidget(self.stack.indexOf(before), after)
            self.stack.removeWidget(before)
            before.deleteLater()
        self._lock_views_stale = False
        self.sig_lock_views_rebuilt.emit()

    def show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        unlocked = page is self.workspace
        if unlocked and self._lock_views_stale:
            self._rebuild_lock_views()
        self.menuBar().setEnabled(True)
        for act in (*self.actions(), *self._menu_only_actions):
            if act.shortcut().toString() not in ("Ctrl+Q", "F1"):
                act.setEnabled(unlocked)

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td><b>{keys}</b></td><td>{_(what)}</td></tr>" for keys, what in SHORTCUTS
        )
        QMessageBox.information(self, _("Keyboard shortcuts"), f"<table>{rows}</table>")
