"""Conflicting edits: when two people changed the same field at the same time, both versions
wait here for a person to choose. A long text shows both texts and can be merged; a short
field (a choice, a date, an amount, a list, a link) shows both values compactly, and ticked
short-field conflicts are settled together in one step. Resolving runs on the database
worker (SyncService); the choice reaches headquarters with the next sync round.

The dialog closes, its texts cleared, when the vault locks; its title never names a record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.records import KINDS, Record
from fieldkit.errors import RecordNotFound, ValidationFailed
from fieldkit.i18n import N_, _
from fieldkit.services.vault import Vault
from fieldkit.ui.conflict_pane import ConflictItem, ConflictPane, author, written_at
from fieldkit.ui.context import AppContext
from fieldkit.ui.field_widgets import UNTITLED
from fieldkit.ui.short_conflicts import (
    ShortConflictPane,
    ask_to_keep_many,
    ask_to_keep_new,
    ref_ids,
    value_text,
)

NONE_LEFT = N_(
    "No conflicting edits. When two people change the same field at the same time, both "
    "versions wait here until you keep one (or merge two texts)."
)
ITEM_ROLE = Qt.ItemDataRole.UserRole


def load_conflicts(vault: Vault) -> list[ConflictItem]:
    """Every conflict with its record's title, and the titles of the records a reference
    field's two values name (on the database worker)."""
    items = []
    view = vault.sync.reviewer_view()
    for conflict in vault.sync.conflicts():
        record = _record(vault, conflict.kind, conflict.record_id)
        titles: dict[str, str] = {}
        target = _target(conflict.kind, conflict.field)
        for record_id in ref_ids(conflict) if target else ():
            titles[record_id] = _title(vault, str(target), record_id) or _(UNTITLED)
        read_only = (view.why_read_only(record) or "") if record is not None else ""
        items.append(ConflictItem(conflict, record.title if record else "", titles, read_only))
    return items


def _record(vault: Vault, kind: str, record_id: str) -> Record | None:
    try:
        return vault.records.get(KINDS[kind], record_id)
    except (RecordNotFound, KeyError):
        return None


def _title(vault: Vault, kind: str, record_id: str) -> str:
    record = _record(vault, kind, record_id)
    return record.title if record is not None else ""


def _target(kind: str, field: str) -> str | None:
    try:
        return KINDS[kind].spec(field).target
    except KeyError:
        return None


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
        self.conflicts.setSpacing(3)
        self.pane = ConflictPane()
        self.short_pane = ShortConflictPane(ctx)
        self.panes = QStackedWidget()
        self.panes.addWidget(self.pane)
        self.panes.addWidget(self.short_pane)
        self.confirm_keep: Callable[..., bool] = ask_to_keep_many
        self.confirm_new: Callable[[QWidget], bool] = ask_to_keep_new
        self.tick_all = QPushButton(_("&Tick every short field"))
        self.tick_all.setAccessibleName(_("Tick every short field"))
        self.keep_kept = QPushButton()
        self.keep_kept.setAccessibleName(
            _("Keep the values now in the records for the chosen short fields")
        )
        self.keep_other = QPushButton()
        self.keep_other.setAccessibleName(_("Keep the other values for the chosen short fields"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._list_side())
        splitter.addWidget(self.panes)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([400, 600])
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
        self._connect()
        self.loaded = False
        self.reload()

    def _connect(self) -> None:
        self.conflicts.currentItemChanged.connect(self._on_conflicts_current_changed)
        self.conflicts.itemChanged.connect(lambda _item: self._update_keep_buttons())
        self.pane.sig_resolved.connect(self._on_pane_resolved)
        self.short_pane.new_value.sig_chosen.connect(self.keep_new_value)
        self.tick_all.clicked.connect(self._on_tick_all_clicked)
        self.keep_kept.clicked.connect(lambda: self.keep_chosen(other=False))
        self.keep_other.clicked.connect(lambda: self.keep_chosen(other=True))
        self._ctx.sig_locked.connect(self._on_ctx_locked)

    def _list_side(self) -> QWidget:
        """The list, with the buttons that settle its ticked short fields under it."""
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.conflicts, 1)
        keep_row = QHBoxLayout()
        keep_row.addWidget(self.keep_kept)
        keep_row.addWidget(self.keep_other)
        layout.addWidget(self.tick_all, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(keep_row)
        return side

    def reload(self) -> None:
        self._ctx.call(load_conflicts, self._show, receiver=self)

    def _show(self, items: list[ConflictItem]) -> None:
        self.loaded = True
        self.conflicts.blockSignals(True)
        self.conflicts.clear()
        for entry in items:
            row = QListWidgetItem(_row_text(entry))
            row.setData(ITEM_ROLE, entry)
            if entry.tickable:
                row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                row.setCheckState(Qt.CheckState.Unchecked)
            else:
                row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
            self.conflicts.addItem(row)
        self.conflicts.blockSignals(False)
        count = len(items)
        self.intro.setText(
            _(NONE_LEFT)
            if not count
            else _(
                "Two people changed the same field at the same time. Keep one version of each "
                "(two texts can also be merged); tick several short fields to settle them "
                "together. Headquarters hears of it at the next sync."
            )
        )
        self.panes.setVisible(bool(count))
        if count:
            self.conflicts.setCurrentRow(0)
        else:
            self.pane.clear()
            self.short_pane.clear()
        self._update_keep_buttons()

    def _on_conflicts_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        entry: ConflictItem | None = current.data(ITEM_ROLE) if current else None
        if entry is not None and not entry.conflict.long_text:
            self.pane.show_item(None)
            self.short_pane.show_item(entry)
            self.panes.setCurrentWidget(self.short_pane)
        else:
            self.short_pane.clear()
            self.pane.show_item(entry)
            self.panes.setCurrentWidget(self.pane)
        self._update_keep_buttons()

    # --- short fields, several at once --------------------------------------------------------

    def chosen_short(self) -> list[ConflictItem]:
        """The ticked short-field conflicts, or else the current one if it is short and may
        be settled here."""
        rows = [self.conflicts.item(n) for n in range(self.conflicts.count())]
        ticked = [r.data(ITEM_ROLE) for r in rows if r.checkState() == Qt.CheckState.Checked]
        if ticked:
            return ticked
        current = self.conflicts.currentItem()
        entry = current.data(ITEM_ROLE) if current is not None else None
        return [entry] if entry is not None and entry.tickable else []

    def keep_chosen(self, *, other: bool) -> None:
        """Keep, for every chosen short-field conflict, the value now in the record or the
        other one: one question, one transaction."""
        chosen = self.chosen_short()
        if not chosen or not self.confirm_keep(self, len(chosen), other=other):
            return
        ids = [entry.conflict.id for entry in chosen]
        kinds = sorted({entry.conflict.kind for entry in chosen})
        self.setEnabled(False)

        def keep(vault: Vault) -> None:
            vault.sync.keep(ids, other=other)

        self._ctx.call(
            keep, lambda _none: self._on_resolved(*kinds), self._on_resolve_failed, receiver=self
        )

    def keep_new_value(self, conflict_id: str, value: Any) -> None:
        """Settle one short-field conflict with a third value, checked by the domain as an
        editor's save is: a refused value keeps the dialog open with its problems shown."""
        current = self.conflicts.currentItem()
        entry = current.data(ITEM_ROLE) if current is not None else None
        if entry is None or entry.conflict.id != conflict_id or not self.confirm_new(self):
            return
        kind = entry.conflict.kind
        self.setEnabled(False)

        def resolve(vault: Vault) -> None:
            vault.sync.resolve(conflict_id, value)

        self._ctx.call(
            resolve, lambda _none: self._on_resolved(kind), self._on_new_value_failed, self
        )

    def _on_new_value_failed(self, error: BaseException) -> None:
        if not isinstance(error, ValidationFailed):
            self._on_resolve_failed(error)
            return
        self.setEnabled(True)
        self.short_pane.new_value.show_problems(error.problems)

    def _on_tick_all_clicked(self) -> None:
        for n in range(self.conflicts.count()):
            row = self.conflicts.item(n)
            if row.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                row.setCheckState(Qt.CheckState.Checked)

    def _update_keep_buttons(self) -> None:
        count = len(self.chosen_short())
        self.keep_kept.setText(_("Keep c&urrent ({count})").format(count=count))
        self.keep_other.setText(_("Keep &other ({count})").format(count=count))
        for button in (self.keep_kept, self.keep_other):
            button.setEnabled(count > 0)
        has_short = any(
            self.conflicts.item(n).flags() & Qt.ItemFlag.ItemIsUserCheckable
            for n in range(self.conflicts.count())
        )
        self.tick_all.setEnabled(has_short)

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
        self.setEnabled(True)
        self._ctx.tasks.report_error(error)

    def _on_resolved(self, *kinds: str) -> None:
        self.setEnabled(True)
        for kind in kinds:
            self._ctx.notify_changed(kind)
            self.sig_resolved.emit(kind)
        self.reload()

    def _on_ctx_locked(self) -> None:
        self.pane.clear()
        self.short_pane.clear()
        self.conflicts.clear()
        self.reject()


def _row_text(entry: ConflictItem) -> str:
    text = _row_values(entry)
    return f"{text}\n{entry.read_only}" if entry.read_only else text


def _row_values(entry: ConflictItem) -> str:
    conflict = entry.conflict
    head = _("{kind} “{title}” · {field}").format(
        kind=entry.kind_label, title=entry.title or _(UNTITLED), field=entry.field_label
    )
    if conflict.long_text:
        return (
            head
            + "\n"
            + _("{first}, {first_when}; {second}, {second_when}").format(
                first=author(conflict.kept),
                first_when=written_at(conflict.kept),
                second=author(conflict.other),
                second_when=written_at(conflict.other),
            )
        )
    # A short value is shown in the list itself: both values, who and when, at a glance.
    return (
        head
        + "\n"
        + _(
            "{first_value} ({first}, {first_when}) or {second_value} ({second}, {second_when})"
        ).format(
            first_value=value_text(conflict, conflict.kept, entry.titles),
            first=author(conflict.kept),
            first_when=written_at(conflict.kept),
            second_value=value_text(conflict, conflict.other, entry.titles),
            second=author(conflict.other),
            second_when=written_at(conflict.other),
        )
    )
