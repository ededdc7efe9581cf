"""Conflicting edits: when two people changed the same long text at the same time, both
versions wait here for a person to keep one or merge them. Resolving runs on the database
worker (SyncService.resolve); the choice reaches headquarters with the next sync round.

The dialog closes, its texts cleared, when the vault locks; its title never names a record."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.records import KINDS
from fieldkit.errors import RecordNotFound
from fieldkit.i18n import N_, _
from fieldkit.services.vault import Vault
from fieldkit.ui.conflict_pane import ConflictItem, ConflictPane, author, written_at
from fieldkit.ui.context import AppContext
from fieldkit.ui.field_widgets import UNTITLED

NONE_LEFT = N_(
    "No conflicting edits. When two people change the same long text at the same time, both "
    "versions wait here until you keep one or merge them."
)


def load_conflicts(vault: Vault) -> list[ConflictItem]:
    """Every conflict with its record's title (on the database worker)."""
    items = []
    for conflict in vault.sync.conflicts():
        cls = KINDS.get(conflict.kind)
        title = ""
        if cls is not None:
            try:
                title = vault.records.get(cls, conflict.record_id).title
            except RecordNotFound:
                title = ""
        items.append(ConflictItem(conflict, title))
    return items


class ConflictsDialog(QDialog):
    sig_resolved = Signal(str)  # the record kind whose text was resolved

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(_("Conflicting edits"))
        self.resize(1000, 600)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.conflicts = QListWidget()
        self.conflicts.setAccessibleName(_("Conflicting edits"))
        self.conflicts.setWordWrap(True)
        self.pane = ConflictPane()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.conflicts)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([280, 720])
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setAccessibleName(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.conflicts.currentItemChanged.connect(self._on_conflicts_current_changed)
        self.pane.sig_resolved.connect(self._on_pane_resolved)
        ctx.sig_locked.connect(self._on_ctx_locked)
        self.loaded = False
        self.reload()

    def reload(self) -> None:
        self._ctx.call(load_conflicts, self._show, receiver=self)

    def _show(self, items: list[ConflictItem]) -> None:
        self.loaded = True
        self.conflicts.clear()
        for entry in items:
            conflict = entry.conflict
            row = QListWidgetItem(
                _("{kind} “{title}” · {field}").format(
                    kind=entry.kind_label, title=entry.title or _(UNTITLED), field=entry.field_label
                )
                + "\n"
                + _("{first}, {first_when}; {second}, {second_when}").format(
                    first=author(conflict.kept),
                    first_when=written_at(conflict.kept),
                    second=author(conflict.other),
                    second_when=written_at(conflict.other),
                )
            )
            row.setData(Qt.ItemDataRole.UserRole, entry)
            self.conflicts.addItem(row)
        count = len(items)
        self.intro.setText(
            _(NONE_LEFT)
            if not count
            else _(
                "Two people changed the same text at the same time. For each conflict, keep one "
                "version or merge both; headquarters hears of it at the next sync."
            )
        )
        self.pane.setVisible(bool(count))
        if count:
            self.conflicts.setCurrentRow(0)
        else:
            self.pane.clear()

    def _on_conflicts_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self.pane.show_item(current.data(Qt.ItemDataRole.UserRole) if current else None)

    def _on_pane_resolved(self, conflict_id: str, text: str) -> None:
        current = self.conflicts.currentItem()
        kind = current.data(Qt.ItemDataRole.UserRole).conflict.kind if current else ""
        self.pane.setEnabled(False)

        def resolve(vault: Vault) -> None:
            vault.sync.resolve(conflict_id, text)

        self._ctx.call(
            resolve,
            lambda _none: self._on_resolved(kind),
            self._on_resolve_failed,
            receiver=self,
        )

    def _on_resolve_failed(self, error: BaseException) -> None:
        self.pane.setEnabled(True)
        self._ctx.tasks.report_error(error)

    def _on_resolved(self, kind: str) -> None:
        self._ctx.notify_changed(kind)
        self.sig_resolved.emit(kind)
        self.reload()

    def _on_ctx_locked(self) -> None:
        self.pane.clear()
        self.conflicts.clear()
        self.reject()
