"""The window: it lays out the pages and delegates; the controller decides what shows."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from fieldkit.domain.records import (
    Case,
    Facility,
    Grant,
    Interview,
    Organization,
    Record,
    Tip,
    Visit,
)
from fieldkit.i18n import _, set_language
from fieldkit.services.vault import os_keyring
from fieldkit.ui.context import AppContext
from fieldkit.ui.help_dialogs import show_about, show_guide, show_shortcuts
from fieldkit.ui.kind_page import KindPage
from fieldkit.ui.lock_views import FirstRunView, RecoverView, RecoveryKeyView, UnlockView
from fieldkit.ui.preferences import LANGUAGE
from fieldkit.ui.reviewer import ReviewerBadge
from fieldkit.ui.sync_bar import SyncStatusBar
from fieldkit.ui.today_view import TodayView
from fieldkit.ui.travel_flow import travel_badge_text
from fieldkit.ui.vault_dialogs import ChangePassphraseDialog, ExportRecordsDialog
from fieldkit.ui.window_place import place_window, remember_window

NAVIGATION: tuple[type[Record], ...] = (
    Facility,
    Visit,
    Interview,
    Case,
    Tip,
    Grant,
    Organization,
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
        for page in self.kind_pages.values():  # a link in a record's details opens that record
            page.records.detail.sig_link_activated.connect(self.show_record)
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

    def new_record(self) -> None:
        """A new record of the kind in view (Ctrl+N); nothing on Today."""
        page = self.pages.currentWidget()
        if isinstance(page, KindPage):
            page.new_record()

    def go_to(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def show_record(self, kind: str, record_id: str) -> None:
        page = self.kind_pages.get(kind)
        if page is not None:
            self.pages.setCurrentWidget(page)
            self.nav.setCurrentRow(self.pages.indexOf(page))
            page.show_record(record_id)
            page.records.table.setFocus(Qt.FocusReason.OtherFocusReason)


class MainWindow(QMainWindow):
    sig_lock_requested = Signal()
    sig_search_requested = Signal()
    sig_period_report_requested = Signal()
    sig_import_requested = Signal()
    sig_quarterly_report_requested = Signal()
    sig_settings_requested = Signal()
    sig_sync_requested = Signal()
    sig_connect_requested = Signal()
    sig_conflicts_requested = Signal()
    sig_sync_log_requested = Signal()
    sig_travel_prepare_requested = Signal()
    sig_travel_return_requested = Signal()
    sig_lock_views_rebuilt = Signal()  # new first-run/unlock/recovery views: connect them

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        # The title never names a record: it shows in task switchers even when locked.
        self.setWindowTitle("FieldKit")
        self._ctx = ctx
        self._preferences = ctx.preferences
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
        self.travel_badge = QLabel(travel_badge_text())
        self.travel_badge.setObjectName("travelBadge")
        self.travel_badge.setStyleSheet(
            "#travelBadge { background: #b45309; color: white; font-weight: bold;"
            " padding: 2px 8px; border-radius: 4px; }"
        )
        self.travel_badge.setAccessibleName(travel_badge_text())
        self.travel_badge.hide()
        self.statusBar().addPermanentWidget(self.travel_badge)
        self.statusBar().addPermanentWidget(self.sync_bar)
        self.reviewer_badge = ReviewerBadge(ctx)  # only in reviewer mode
        self.statusBar().addWidget(self.reviewer_badge)
        self.sync_bar.sig_sync_requested.connect(self.sig_sync_requested)
        self.sync_bar.sig_conflicts_requested.connect(self.sig_conflicts_requested)
        self.sync_bar.sig_log_requested.connect(self.sig_sync_log_requested)
        self._actions()
        ctx.sig_language_changed.connect(self.retranslate)
        self.open_maximized = place_window(self, ctx.preferences)

    def show_placed(self) -> None:
        """Show the window where `place_window` put it (maximized if it was last time)."""
        self.showMaximized() if self.open_maximized else self.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        remember_window(self, self._preferences)
        super().closeEvent(event)

    def _make_lock_views(self) -> None:
        self.first_run = FirstRunView()
        self.recovery_key = RecoveryKeyView(keyring_available=self._keyring_available)
        self.unlock = UnlockView()
        self.recover = RecoverView()
        for chooser in (self.first_run.language, self.unlock.language):
            chooser.sig_language_chosen.connect(self._on_language_chosen)

    def _lock_views(self) -> tuple[FirstRunView, RecoveryKeyView, UnlockView, RecoverView]:
        return self.first_run, self.recovery_key, self.unlock, self.recover

    def _on_language_chosen(self, code: str) -> None:
        """The language chosen before the vault is open: kept as the preference, shown now."""
        self._preferences.set(LANGUAGE, code)
        self._preferences.save()
        set_language(code)
        self._ctx.sig_language_changed.emit()

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
        menu.addAction(action(_("New record"), "Ctrl+N", self.workspace.new_record))
        menu.addAction(action(_("Search…"), "Ctrl+K", self.sig_search_requested))
        menu.addAction(action(_("Lock"), "Ctrl+L", self.sig_lock_requested))
        menu.addAction(
            action(
                _("Export period summary (PDF)…"), "Ctrl+Shift+P", self.sig_period_report_requested
            )
        )
        menu.addAction(action(_("Import records…"), "", self.sig_import_requested))
        menu.addAction(action(_("Export records (JSON, CSV)…"), "", self.open_export_records))
        menu.addSeparator()
        menu.addAction(action(_("Change the passphrase…"), "", self.open_change_passphrase))
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
        menu.addAction(action(_("Prepare for travel…"), "", self.sig_travel_prepare_requested))
        menu.addAction(action(_("Return from travel"), "", self.sig_travel_return_requested))
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
        guide = action(_("&Guide"), "", lambda: show_guide(self))
        about = action(_("&About FieldKit"), "", lambda: show_about(self, self._ctx.vault_root))
        self._always_enabled = [guide, about]
        help_menu.addAction(guide)
        help_menu.addAction(action(_("Keyboard shortcuts"), "F1", self.show_shortcuts))
        help_menu.addAction(about)

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
        self.travel_badge.setText(travel_badge_text())
        self.travel_badge.setAccessibleName(travel_badge_text())
        self.workspace.retranslate()
        current = self.stack.currentWidget()
        if current in self._lock_views():  # rebuilt now, keeping what was typed
            index = self._lock_views().index(current)
            self._rebuild_lock_views()
            self.show_page(self._lock_views()[index])
            return
        self._lock_views_stale = True
        self.show_page(current or self.unlock)

    def _rebuild_lock_views(self) -> None:
        old = self._lock_views()
        self._make_lock_views()
        for before, after in zip(old, self._lock_views(), strict=True):
            after.keep_from(before)  # type: ignore[attr-defined]
            self.stack.insertWidget(self.stack.indexOf(before), after)
            self.stack.removeWidget(before)
            before.deleteLater()
        self._lock_views_stale = False
        self.sig_lock_views_rebuilt.emit()

    def show_travel(self, travelling: bool) -> None:
        """The status bar says so while the vault is in travel mode."""
        self.travel_badge.setVisible(travelling)

    def show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        unlocked = page is self.workspace
        if unlocked and self._lock_views_stale:
            self._rebuild_lock_views()
        self.menuBar().setEnabled(True)
        for act in (*self.actions(), *self._menu_only_actions):
            if act.shortcut().toString() not in ("Ctrl+Q", "F1"):
                act.setEnabled(unlocked or act in self._always_enabled)
        initial_focus = getattr(page, "initial_focus", None)
        if initial_focus is not None:  # typing goes into the screen's first field at once
            initial_focus().setFocus(Qt.FocusReason.OtherFocusReason)

    def open_change_passphrase(self) -> ChangePassphraseDialog | None:
        if self._ctx.vault is None:
            return None
        dialog = ChangePassphraseDialog(self._ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_changed.connect(
            lambda: self.statusBar().showMessage(_("The passphrase was changed."), 15_000)
        )
        dialog.open()
        return dialog

    def open_export_records(self) -> ExportRecordsDialog | None:
        if self._ctx.vault is None:
            return None
        page = self.workspace.pages.currentWidget()
        kind = page.cls.KIND if isinstance(page, KindPage) else "facility"
        dialog = ExportRecordsDialog(self._ctx, kind, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_exported.connect(self._on_records_exported)
        dialog.open()
        return dialog

    def _on_records_exported(self, path: str, count: int) -> None:
        many = _("{count} records exported to {path}.").format(count=count, path=path)
        one = _("1 record exported to {path}.").format(path=path)
        self.statusBar().showMessage(one if count == 1 else many, 15_000)

    def show_shortcuts(self) -> None:
        show_shortcuts(self)
