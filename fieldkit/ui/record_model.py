"""A table of the records of one kind, fetched from the vault page by page on the database
worker, never on the GUI thread.

Lists show a few short columns per kind and never a long text: an interview row shows its
pseudonym and metadata, never its notes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from fieldkit.domain.choices import label
from fieldkit.domain.fields import FieldSpec, FieldType
from fieldkit.domain.query import Sort, sorted_by
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
from fieldkit.domain.sync_state import RecordSyncState
from fieldkit.errors import RecordNotFound, VaultLocked
from fieldkit.i18n import _, format_date, format_number, format_usd
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.sync_marks import mark_icon

PAGE_SIZE = 200
FILTER_LIMIT = 500
ID_ROLE = Qt.ItemDataRole.UserRole  # the record id of a row, for views that need it
SYNC_ROLE = Qt.ItemDataRole.UserRole + 1  # where the row's record stands with headquarters

AnyIndex = QModelIndex | QPersistentModelIndex
_MARK_ROLES = (
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleDescriptionRole,
    SYNC_ROLE,
)
_SORTABLE = {FieldType.TEXT, FieldType.DATE, FieldType.CHOICE, FieldType.MONEY}


# The list columns of each kind; "*" marks the one that takes the spare width. Never a long
# text: an interview row shows its pseudonym and metadata, never its notes.
COLUMNS: dict[type[Record], tuple[str, ...]] = {
    Facility: ("*name", "sector", "state", "municipality"),
    Organization: ("*name", "org_type", "state", "municipality"),
    Visit: ("start_date", "*summary", "purpose", "status"),
    Interview: ("*pseudonym", "held_on", "role", "consent", "risk"),
    Case: ("*reference", "stage", "received_on"),
    Tip: ("received_on", "*subject", "channel", "triage"),
    Grant: ("award_number", "*name", "grantee", "amount"),
}
_ASC, _DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
# How each list is sorted until someone clicks a header: by name, or the latest first.
DEFAULT_SORT: dict[type[Record], tuple[str, Qt.SortOrder]] = {
    Facility: ("name", _ASC),
    Organization: ("name", _ASC),
    Visit: ("start_date", _DESC),
    Interview: ("held_on", _DESC),
    Case: ("received_on", _DESC),
    Tip: ("received_on", _DESC),
    Grant: ("name", _ASC),
}


@dataclass(frozen=True)
class Column:
    """One list column: a record field the store can sort by."""

    spec: FieldSpec
    stretch: bool = False  # the column that takes the spare width


def columns_for(cls: type[Record]) -> tuple[Column, ...]:
    names = COLUMNS.get(cls)
    if names is None:
        raise ValueError(f"no list columns for {cls.KIND}")
    return tuple(_column(cls.spec(n.lstrip("*")), stretch=n.startswith("*")) for n in names)


def _column(spec: FieldSpec, *, stretch: bool) -> Column:
    if spec.type not in _SORTABLE:
        raise ValueError(f"not a list column: {spec.name}")
    return Column(spec, stretch)


def format_value(spec: FieldSpec, value: Any) -> str:
    """A single field value as people read it, in the active language ("" when empty)."""
    if value is None or value in ("", ()):
        return ""
    if spec.type in (FieldType.CHOICES, FieldType.STRINGS):
        return ", ".join(_scalar(spec.type, member) for member in value)
    return _scalar(spec.type, value)


def _scalar(kind: FieldType, value: Any) -> str:
    if isinstance(value, StrEnum):
        return label(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if kind is FieldType.MONEY and isinstance(value, Decimal | int):
        return format_usd(value)
    if kind is FieldType.BOOL:
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal | int):
        return format_number(value)
    return str(value)


class RecordTableModel(QAbstractTableModel):
    """The records of one class, loaded lazily in pages of PAGE_SIZE rows.

    With a filter the model shows the records full-text search finds (up to FILTER_LIMIT)
    and does not page.
    """

    sig_loaded = Signal()  # a page (or the filtered records) arrived and is shown
    sig_failed = Signal(object)  # a fetch failed with this exception (not VaultLocked)

    def __init__(self, ctx: AppContext, cls: type[Record], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.cls = cls
        self.columns = columns_for(cls)
        self._specs = tuple(c.spec for c in self.columns)
        self._records: list[Record] = []
        self._cells: list[tuple[str, ...]] = []
        self._states: dict[str, RecordSyncState] = {}  # by record id, read with each page
        field, order = DEFAULT_SORT[cls]
        names = [spec.name for spec in self._specs]
        self.default_sort: tuple[int, Qt.SortOrder] = (names.index(field), order)
        self._sort = self.default_sort
        self._order = self._sorts(*self._sort)
        self._filter = ""
        self._generation = 0
        self._fetching = False
        self._exhausted = True
        ctx.sig_records_changed.connect(self._on_ctx_records_changed)
        ctx.sig_locked.connect(self._on_ctx_locked)
        ctx.sig_language_changed.connect(self._on_ctx_language_changed)
        ctx.sig_sync_states_changed.connect(self._on_ctx_sync_states_changed)

    # --- the Qt model -------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        row, column = index.row(), index.column()
        if column == 0 and role in _MARK_ROLES:
            return self._mark(row, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells[row][column]
        if role == ID_ROLE:
            return self._records[row].id
        if role == Qt.ItemDataRole.TextAlignmentRole and self._is_money(column):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_label(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and self._is_money(section):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid():
            return False
        return not (self._exhausted or self._fetching or self._ctx.vault is None)

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        cls, order, offset = self.cls, self._order, len(self._records)

        def work(vault: Vault) -> list[Record]:
            return vault.records.list(cls, limit=PAGE_SIZE, offset=offset, sort=order)

        self._start(work)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reload in the order of `column` (-1: the kind's default order)."""
        self._sort = (column, order) if 0 <= column < len(self.columns) else self.default_sort
        self._order = self._sorts(*self._sort)
        self.reload()

    @property
    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort

    def _sorts(self, column: int, order: Qt.SortOrder) -> tuple[Sort, Sort]:
        """By the column, then by id (so records with the same value keep one order)."""
        descending = order == Qt.SortOrder.DescendingOrder
        return (Sort(self.columns[column].spec.name, descending), Sort("id", descending))

    # --- the FieldKit API ---------------------------------------------------------------

    def column_label(self, column: int) -> str:
        return _(self._specs[column].label)

    def sync_state(self, record_id: str) -> RecordSyncState | None:
        """Where the record stands with headquarters (None: not read yet)."""
        return self._states.get(record_id)

    def _mark(self, row: int, role: int) -> Any:
        state = self._states.get(self._records[row].id)
        if role == SYNC_ROLE:
            return state
        if state is None:
            return self._cells[row][0] if role == Qt.ItemDataRole.ToolTipRole else None
        if role == Qt.ItemDataRole.DecorationRole:
            return mark_icon(state)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{_(state.label)}\n{self._cells[row][0]}".rstrip()
        return _(state.label)  # the accessible description, for screen readers

    def record_at(self, row: int) -> Record | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_of(self, record_id: str) -> int | None:
        for row, record in enumerate(self._records):
            if record.id == record_id:
                return row
        return None

    @property
    def filter_text(self) -> str:
        return self._filter

    @property
    def is_fetching(self) -> bool:
        return self._fetching

    def set_filter(self, text: str) -> None:
        """Show only the records search finds for `text` ("" shows them all, paged)."""
        text = text.strip()
        if text != self._filter:
            self._filter = text
            self.reload()

    def reload(self) -> None:
        """Forget the rows and fetch the first page (or the filtered records) again."""
        self._reset(exhausted=False)
        if self._ctx.vault is None:
            self._exhausted = True
        elif self._filter:
            self._fetch_filtered()
        else:
            self.fetchMore(QModelIndex())

    def clear(self) -> None:
        """Drop every row and the filter, and fetch nothing until `reload()`."""
        self._filter = ""
        self._reset(exhausted=True)

    # --- fetching -----------------------------------------------------------------------

    def _fetch_filtered(self) -> None:
        cls, text = self.cls, self._filter

        def work(vault: Vault) -> list[Record]:
            found = []
            for hit in vault.records.search(text, kinds=[cls.KIND], limit=FILTER_LIMIT):
                try:
                    found.append(vault.records.get(cls, hit.record_id))
                except RecordNotFound:
                    continue
            return found

        self._start(work, last_page=True)

    def _start(self, work: Any, *, last_page: bool = False) -> None:
        generation = self._generation
        self._fetching = True
        kind = self.cls.KIND

        def page(vault: Vault) -> tuple[list[Record], dict[str, RecordSyncState]]:
            records = work(vault)
            return records, vault.sync.record_states(kind, [r.id for r in records])

        def on_done(result: tuple[list[Record], dict[str, RecordSyncState]]) -> None:
            if generation == self._generation:
                records, states = result
                self._states.update(states)
                self._on_page_loaded(records, last_page=last_page)

        def on_error(error: BaseException) -> None:
            if generation != self._generation:
                return
            self._fetching, self._exhausted = False, True
            if not isinstance(error, VaultLocked):
                self.sig_failed.emit(error)

        self._ctx.call(page, on_done, on_error, receiver=self)

    def _on_page_loaded(self, records: list[Record], *, last_page: bool) -> None:
        # Still "fetching" while the rows go in: a view may ask for more from inside the
        # insertion signals, and the next offset is only right once they are in.
        self._exhausted = last_page or len(records) < PAGE_SIZE
        if last_page:  # filtered: search ranks by recency, so sort here
            records = sorted_by(records, self._order[0])
        if records:
            first = len(self._records)
            self.beginInsertRows(QModelIndex(), first, first + len(records) - 1)
            self._records.extend(records)
            self._cells.extend(self._format_row(r) for r in records)
            self.endInsertRows()
        self._fetching = False
        self.sig_loaded.emit()

    def _reset(self, *, exhausted: bool) -> None:
        self._generation += 1  # results of fetches still in flight are dropped
        self.beginResetModel()
        self._records, self._cells, self._states = [], [], {}
        self._fetching, self._exhausted = False, exhausted
        self.endResetModel()

    def _format_row(self, record: Record) -> tuple[str, ...]:
        return tuple(format_value(spec, getattr(record, spec.name)) for spec in self._specs)

    def _is_money(self, column: int) -> bool:
        return 0 <= column < len(self._specs) and self._specs[column].type is FieldType.MONEY

    # --- context signals ----------------------------------------------------------------

    def _on_ctx_records_changed(self, kind: str) -> None:
        if kind == self.cls.KIND and self._ctx.vault is not None:
            self.reload()

    def _on_ctx_locked(self) -> None:
        self.clear()

    def _on_ctx_sync_states_changed(self) -> None:
        """Read the marks of the rows shown again (a round sent them, or brought conflicts)."""
        if not self._records or self._ctx.vault is None:
            return
        generation, kind = self._generation, self.cls.KIND
        ids = [record.id for record in self._records]

        def on_done(states: dict[str, RecordSyncState]) -> None:
            if generation == self._generation and states != self._states:
                self._states.update(states)
                last = self.index(len(self._records) - 1, 0)
                self.dataChanged.emit(self.index(0, 0), last, list(_MARK_ROLES))

        self._ctx.call(
            lambda vault: vault.sync.record_states(kind, ids),
            on_done,
            lambda _error: None,  # the marks stay as they were until the next change
            receiver=self,
        )

    def _on_ctx_language_changed(self) -> None:
        self._cells = [self._format_row(r) for r in self._records]
        if self._records:
            last = self.index(len(self._records) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
