"""The sync log: how headquarters is connected, the recent rounds (when, how they ended, how
much went each way, and what went wrong in plain words), and the changes headquarters
refused, each with its reason."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.records import KINDS
from fieldkit.errors import RecordNotFound
from fieldkit.i18n import N_, _, format_number, format_timestamp
from fieldkit.services.sync import HqConnection, SyncLogEntry, SyncStatus
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.sync_status import TOKEN_PLACES, refusal_text, state_label

ROUND_COLUMNS = (N_("When"), N_("Outcome"), N_("Sent"), N_("Received"), N_("What happened"))
REFUSED_COLUMNS = (N_("When"), N_("Record"), N_("Field"), N_("Why headquarters refused it"))
ROUNDS_SHOWN = 50
ROUND_OK = N_("Everything waiting was sent and received.")
ROUND_CONFLICT_ONE = N_("It brought 1 conflicting edit to resolve: see “Conflicting edits…”.")
ROUND_CONFLICTS = N_("It brought {count} conflicting edits to resolve: see “Conflicting edits…”.")


def round_text(entry: SyncLogEntry) -> str:
    """What happened in a round, in words: the error, or that all went, and any conflicts."""
    what = entry.error.message if entry.error else _(ROUND_OK)
    if entry.conflicts == 1:
        what = f"{what} {_(ROUND_CONFLICT_ONE)}"
    elif entry.conflicts > 1:
        what = f"{what} {_(ROUND_CONFLICTS).format(count=entry.conflicts)}"
    return what


@dataclass(frozen=True)
class SyncLogData:
    connection: HqConnection | None
    status: SyncStatus
    rounds: list[SyncLogEntry]
    refused: list[dict[str, Any]]  # quarantined changes, each with "title" added


def load_sync_log(vault: Vault) -> SyncLogData:
    """Everything the dialog shows (on the database worker)."""
    refused = []
    for change in vault.sync.quarantined():
        cls = KINDS.get(str(change.get("kind")))
        title = ""
        if cls is not None:
            try:
                title = vault.records.get(cls, str(change.get("record_id"))).title
            except RecordNotFound:
                title = ""
        refused.append({**change, "title": title})
    return SyncLogData(
        vault.sync.connection(), vault.sync.status(), vault.sync.log(ROUNDS_SHOWN), refused
    )


def _moment(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return format_timestamp(value)
    try:
        return format_timestamp(dt.datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def _tree(columns: tuple[str, ...], accessible: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setHeaderLabels([_(title) for title in columns])
    tree.setAccessibleName(accessible)
    return tree


class SyncLogDialog(QDialog):
    sig_sync_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(_("Sync log"))
        self.resize(900, 520)
        self.connection = QLabel()
        self.connection.setWordWrap(True)
        self.connection.setTextFormat(Qt.TextFormat.PlainText)
        self.connection.setAccessibleName(_("Headquarters connection"))
        self.rounds = _tree(ROUND_COLUMNS, _("Recent sync rounds"))
        self.refused = _tree(REFUSED_COLUMNS, _("Changes refused by headquarters"))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.rounds, _("Recent rounds"))
        self.tabs.addTab(self.refused, _("Refused by headquarters"))
        self.tabs.setAccessibleName(_("Sync log sections"))
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setAccessibleName(_("Details of the selected line"))
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setAccessibleName(_("Close"))
        self.sync_button = self.buttons.addButton(
            _("&Sync now"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.sync_button.setAccessibleName(_("Sync with headquarters now"))
        self.sync_button.setEnabled(False)
        layout = QVBoxLayout(self)
        for widget in (self.connection, self.tabs, self.details, self.buttons):
            layout.addWidget(widget)
        layout.setStretchFactor(self.tabs, 1)
        self.buttons.rejected.connect(self.reject)
        self.sync_button.clicked.connect(self.sig_sync_requested)
        for tree in (self.rounds, self.refused):
            tree.currentItemChanged.connect(
                lambda current, _previous, tree=tree: self._on_tree_current_changed(tree, current)
            )
        self.tabs.currentChanged.connect(lambda _index: self._on_tabs_changed())
        ctx.sig_locked.connect(self.reject)
        self.loaded = False
        self.reload()

    def reload(self) -> None:
        self._ctx.call(load_sync_log, self._show, receiver=self)

    def _show(self, data: SyncLogData) -> None:
        self.loaded = True
        self._show_connection(data)
        self.rounds.clear()
        for entry in data.rounds:
            what = round_text(entry)
            row = QTreeWidgetItem(
                [
                    _moment(entry.started_at),
                    state_label(entry.outcome),
                    format_number(entry.pushed),
                    format_number(entry.pulled),
                    what,
                ]
            )
            row.setData(0, Qt.ItemDataRole.UserRole, what)
            row.setToolTip(4, what)
            self.rounds.addTopLevelItem(row)
        self.refused.clear()
        for change in data.refused:
            cls = KINDS.get(str(change.get("kind")))
            kind = _(cls.LABEL) if cls else str(change.get("kind"))
            field = str(change.get("field"))
            if cls is not None:
                with contextlib.suppress(KeyError):
                    field = _(cls.spec(field).label)
            reason = refusal_text(str(change.get("code")))
            record = f"{kind} “{change['title']}”" if change.get("title") else kind
            row = QTreeWidgetItem([_moment(change.get("at")), record, field, reason])
            row.setData(0, Qt.ItemDataRole.UserRole, reason)
            row.setToolTip(3, reason)
            self.refused.addTopLevelItem(row)
        self.tabs.setTabText(
            1, _("Refused by headquarters ({count})").format(count=len(data.refused))
        )
        for tree, widths in ((self.rounds, (190, 200, 60, 80)), (self.refused, (190, 220, 140))):
            for column, width in enumerate(widths):
                tree.setColumnWidth(column, width)
        self._on_tabs_changed()

    def _show_connection(self, data: SyncLogData) -> None:
        connection = data.connection
        if connection is None:
            self.connection.setText(_("This vault is not connected to headquarters."))
            self.sync_button.setEnabled(False)
            return
        lines = [
            _("Connected to {url} as “{name}”.").format(
                url=connection.url, name=connection.device_name
            ),
            _(TOKEN_PLACES.get(connection.token_place, "")),
            _("State: {state}.").format(state=state_label(data.status.state)),
        ]
        self.connection.setText("\n".join(line for line in lines if line))
        self.sync_button.setEnabled(True)

    def _on_tabs_changed(self) -> None:
        tree = self.rounds if self.tabs.currentIndex() == 0 else self.refused
        first = tree.topLevelItem(0)
        if tree.currentItem() is None and first is not None:
            tree.setCurrentItem(first)
        self._on_tree_current_changed(tree, tree.currentItem())

    def _on_tree_current_changed(self, tree: QTreeWidget, current: QTreeWidgetItem | None) -> None:
        if tree is self.tabs.currentWidget():
            self.details.setText(current.data(0, Qt.ItemDataRole.UserRole) if current else "")
