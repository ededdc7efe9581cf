"""The list screen of one record kind: a filter, a sortable table, the selected record's
details beside it, and New / Edit / Delete. Editing happens elsewhere: the screen asks for
it through its signals."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.records import Record
from fieldkit.i18n import _
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.detail_view import DetailView
from fieldkit.ui.reviewer import ReviewerFilters, ReviewerTableModel
from fieldkit.ui.undo_bar import UndoBar

FILTER_DELAY_MS = 250
MAX_COLUMN_EMS = 14  # a fitted column is never wider than this; longer text is elided
MIN_MAIN_EMS = 12  # the column that takes the spare width is never narrower than this


def tell_refused(parent: QWidget, title: str, reason: str) -> None:
    QMessageBox.information(parent, title, reason)


class RecordsScreen(QWidget):
    """Lists the records of one class and shows the selected one."""

    sig_new_requested = Signal(object)  # the record class to create
    sig_edit_requested = Signal(object)  # the record to edit
    sig_failed = Signal(object)  # loading the list failed with this exception

    def __init__(self, ctx: AppContext, cls: type[Record], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.cls = cls
        self._selected_id: str | None = None  # the record the detail pane shows
        self._pending_id: str | None = None  # a record to select once it is loaded
        self._columns_fitted = False
        self.tell_refused: Callable[[QWidget, str, str], None] = tell_refused

        self.model = ReviewerTableModel(ctx, cls, self)  # the plain list unless a reviewer
        self.reviewer_filters = ReviewerFilters(ctx)
        self.heading = QLabel()
        self.filter_edit = QLineEdit()
        self.filter_edit.setClearButtonEnabled(True)
        self.status_label = QLabel()
        self._selection_buttons: list[QPushButton] = []
        self.undo_bar = UndoBar(ctx)
        self.new_button = QPushButton()
        self.edit_button = QPushButton()
        self.delete_button = QPushButton()
        self.table = QTableView()
        self.detail = DetailView(ctx)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)

        self._build_layout()
        self._setup_table()
        self._connect()
        self.retranslate()
        self._update_actions()

    # --- building -----------------------------------------------------------------------

    def _build_layout(self) -> None:
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        bar = QHBoxLayout()
        bar.addWidget(self.heading)
        bar.addSpacing(12)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.reviewer_filters)
        bar.addWidget(self.status_label)
        bar.addSpacing(12)
        for button in (self.new_button, self.edit_button, self.delete_button):
            bar.addWidget(button)
        self._bar = bar
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.undo_bar)
        layout.addWidget(splitter, 1)

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(*self.model.default_sort)
        for column, spec in enumerate(self.model.columns):
            if spec.stretch:  # the others fit the first rows, then the user may resize them
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        table.setSortingEnabled(True)

    def _connect(self) -> None:
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.reviewer_filters.sig_changed.connect(self.model.set_authors)
        self._filter_timer.timeout.connect(self._on_filter_timer_timeout)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.detail.sig_open_requested.connect(self.request_edit)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._on_edit_button_clicked)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_delete_button_clicked)
        self.model.sig_loaded.connect(self._on_model_loaded)
        self.model.sig_failed.connect(self.sig_failed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self._ctx.sig_language_changed.connect(self.retranslate)
        self._ctx.sig_locked.connect(self.clear_for_lock)
        self._ctx.sig_reviewer_changed.connect(self._on_ctx_reviewer_changed)
        self.table.viewport().installEventFilter(self)  # its width is the room to share

    def retranslate(self) -> None:
        plural = _(self.cls.PLURAL)
        self.heading.setText(plural)
        self.filter_edit.setPlaceholderText(_("Filter…"))
        self.filter_edit.setAccessibleName(_("Filter {kinds}").format(kinds=plural))
        self.table.setAccessibleName(_("List of {kinds}").format(kinds=plural))
        self.new_button.setText(_("&New"))
        self.new_button.setAccessibleName(_("New {kind}").format(kind=_(self.cls.LABEL)))
        self.edit_button.setText(_("&Edit"))
        self.edit_button.setAccessibleName(_("Edit the selected record"))
        self.delete_button.setText(_("&Delete"))
        self.delete_button.setAccessibleName(_("Delete the selected record"))
        self.detail.setAccessibleName(_("Details of the selected record"))
        self._fit_headers()
        self._update_status()
        self._update_actions()  # a read-only record's reason, in the language shown

    # --- public API ---------------------------------------------------------------------

    def add_bar_button(self, button: QPushButton, *, needs_selection: bool = True) -> None:
        """Add a page-specific action (Export PDF) after Delete; enabled with a selection."""
        self._bar.addWidget(button)
        if needs_selection:
            self._selection_buttons.append(button)
            button.setEnabled(self.selected_record() is not None)

    def selected_record(self) -> Record | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def select_record(self, record_id: str) -> None:
        """Select the record (used by global search), loading the list as far as needed."""
        self._pending_id = record_id
        if self.filter_edit.text() or self.model.filter_text:
            self._set_filter_now("")  # reloads if a filter was applied
        if self.model.is_fetching:
            return  # selected when its page arrives
        if self.model.row_of(record_id) is None and not self.model.canFetchMore(QModelIndex()):
            self.model.reload()  # all was loaded, so the record is newer than the list
        else:
            self._select_pending()

    def clear_for_lock(self) -> None:
        """Take every record off the screen (the vault is being locked)."""
        self._filter_timer.stop()
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self._pending_id = self._selected_id = None
        self.model.clear()
        self.detail.clear()
        self._update_actions()
        self._update_status()

    def restore_after_unlock(self) -> None:
        self.model.reload()

    # --- handlers -----------------------------------------------------------------------

    def _on_filter_edit_text_changed(self, _text: str) -> None:
        self._filter_timer.start()

    def _on_filter_timer_timeout(self) -> None:
        self.model.set_filter(self.filter_edit.text())
        self._update_status()

    def _on_new_button_clicked(self) -> None:
        self.sig_new_requested.emit(self.cls)

    def _on_edit_button_clicked(self) -> None:
        record = self.selected_record()
        if record is not None:
            self.request_edit(record)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        record = self.model.record_at(index.row())
        if record is not None:
            self.request_edit(record)

    def request_edit(self, record: Record) -> None:
        """Open `record` (Edit, Alt+E, Enter, a double click, its details' link): in the
        editor, which is read-only for a record that may not be changed here (reviewer mode:
        an interview another attaché wrote; Edit is disabled for it, saying why)."""
        self.sig_edit_requested.emit(record)

    def _on_delete_button_clicked(self) -> None:
        record = self.selected_record()
        if record is None:
            return
        refusal = self._ctx.reviewer.why_read_only(record)
        if refusal is not None:  # the Delete key reaches here even with the button disabled
            self.tell_refused(self, _("Delete {kind}").format(kind=_(record.LABEL)), refusal)
            return
        question = _("Delete “{title}”?").format(title=record.title or _(record.LABEL))
        detail = _("The record is kept as deleted; you can undo this right afterwards.")
        answer = QMessageBox.question(
            self,
            _("Delete {kind}").format(kind=_(record.LABEL)),
            f"{question}\n\n{detail}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        cls, record_id, kind = type(record), record.id, record.KIND

        def work(vault: Vault) -> Record:
            return vault.records.delete(cls, record_id)

        def on_done(deleted: Record) -> None:
            if self._selected_id == record_id:
                self._selected_id = None
                self.detail.clear()
            self._ctx.notify_changed(kind)
            self.undo_bar.offer(deleted)

        self._ctx.call(work, on_done, receiver=self)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        record = self.selected_record()
        self._selected_id = record.id if record else None
        self.detail.show_record(record)
        self._update_actions()

    def _on_model_about_to_be_reset(self) -> None:
        # Keep the selected record selected across the reload (an edit saved, a sort).
        if self._pending_id is None:
            self._pending_id = self._selected_id

    def _on_model_loaded(self) -> None:
        if not self._columns_fitted and self.model.rowCount() > 0:
            self._fit_columns()
        self._select_pending()
        self._update_actions()
        self._update_status()

    # --- helpers ------------------------------------------------------------------------

    def _select_pending(self) -> None:
        record_id = self._pending_id
        if record_id is None:
            return
        row = self.model.row_of(record_id)
        if row is not None:
            self._pending_id = None
            if self.selected_record() is self.model.record_at(row):
                self._on_selection_changed(QItemSelection(), QItemSelection())
            else:
                self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        elif self.model.is_fetching:
            return  # wait for the next page
        elif self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        else:
            self._pending_id = None  # gone (deleted, or filtered out)
            if self._selected_id == record_id:
                self._selected_id = None
                self.detail.clear()
            self._update_actions()

    def _fit_columns(self) -> None:
        # Once, to the first rows: later pages and filters do not make the columns jump.
        self._columns_fitted = True
        header = self.table.horizontalHeader()
        main = next((c for c, spec in enumerate(self.model.columns) if spec.stretch), 0)
        extra = range(len(self.model.columns), self.model.columnCount())
        for place, column in enumerate(extra, start=1):  # who wrote it, beside what it is
            header.moveSection(header.visualIndex(column), header.visualIndex(main) + place)
        widest = self.table.fontMetrics().horizontalAdvance("M") * MAX_COLUMN_EMS
        for column in self._fitted_columns():
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))
        self._fit_headers()

    def _fit_headers(self) -> None:
        # A column is never narrower than its title in the language shown (Spanish titles
        # are longer): content may be elided, a title may not.
        header = self.table.horizontalHeader()
        for column in self._fitted_columns():
            title = header.sectionSizeHint(column)
            if self.table.columnWidth(column) < title:
                self.table.setColumnWidth(column, title)
        self._keep_main_column_readable()

    def _fitted_columns(self) -> list[int]:
        """Every column but the one that takes the spare width (reviewer mode's attaché and
        post columns included)."""
        stretch = {c for c, spec in enumerate(self.model.columns) if spec.stretch}
        return [c for c in range(self.model.columnCount()) if c not in stretch]

    def _keep_main_column_readable(self) -> None:
        """The column that takes the spare width (a name, a pseudonym) keeps at least
        MIN_MAIN_EMS when the others leave less (reviewer mode adds two): the list then
        scrolls sideways instead of squeezing it to an ellipsis."""
        main = next((c for c, spec in enumerate(self.model.columns) if spec.stretch), None)
        if main is None:
            return
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in self._fitted_columns())
        least = self.table.fontMetrics().horizontalAdvance("M") * MIN_MAIN_EMS
        roomy = self.table.viewport().width() - others >= least
        mode = QHeaderView.ResizeMode.Stretch if roomy else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(main) != mode:
            header.setSectionResizeMode(main, mode)
        if not roomy:
            header.resizeSection(main, least)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._keep_main_column_readable()
        return super().eventFilter(watched, event)

    def _on_ctx_reviewer_changed(self) -> None:
        self._columns_fitted = False  # the attaché and post columns came or went: fit again
        self._update_actions()

    def _set_filter_now(self, text: str) -> None:
        self._filter_timer.stop()
        self.filter_edit.blockSignals(True)
        self.filter_edit.setText(text)
        self.filter_edit.blockSignals(False)
        self.model.set_filter(text)

    def _update_actions(self) -> None:
        record = self.selected_record()
        has_selection = record is not None
        # Reviewer mode: interviews others wrote are read-only (HQ would refuse the change).
        refusal = self._ctx.reviewer.why_read_only(record) if record is not None else None
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(has_selection and refusal is None)
            button.setToolTip(refusal or "")
        for button in self._selection_buttons:
            button.setEnabled(has_selection)

    def _update_status(self) -> None:
        if not self.model.filter_text or self.model.is_fetching:
            self.status_label.clear()
            return
        count = self.model.rowCount()
        text = _("No matches") if count == 0 else _("{count} found").format(count=count)
        self.status_label.setText(text)
