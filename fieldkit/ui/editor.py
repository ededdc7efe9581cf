"""The record editor: a form generated from a record class's FieldSpecs. It collects plain
values and saves them through the records service, so parsing and validation stay in the
domain layer; the problems the domain reports show inline, on their fields.

A record this device may not change (reviewer mode: an interview another attaché wrote, by
`ReviewerView.may_change`) opens in the same form, read-only: every field shown, nothing
editable, no Save, a banner saying who wrote it, and Close (or Escape) to leave. The editor
switches between the two when HQ's answer changes the rule while it is open.

Errors: `ValidationFailed` is shown inline. Any other error goes to `on_unexpected`, by default
the task runner's default handler (the app's one place that renders errors).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.codec import to_plain
from fieldkit.domain.records import Interview, Record
from fieldkit.errors import Problem, ValidationFailed
from fieldkit.i18n import N_, _, format_date
from fieldkit.services.records import Saved
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.editor_form import (
    banner_style,
    bold,
    build_section,
    prominent_style,
    read_only_banner,
    show_problems,
)
from fieldkit.ui.editor_sections import sections_for
from fieldkit.ui.field_widgets import FieldWidget
from fieldkit.ui.tasks import Failed
from fieldkit.ui.theme import muted_style, problem_style

AUTOSAVE_MS = 1500
AUTOSAVE_KINDS = frozenset({Interview.KIND})

NOT_SAVED_YET = N_("Not saved yet")
SAVING = N_("Saving…")
SAVED_AT = N_("Saved {time}")
UNSAVED = N_("Unsaved changes")
CHECK_FIELDS = N_("Not saved: check the marked fields")
NOT_SAVED = N_("Not saved")


class RecordEditor(QWidget):
    """Edit one record (or create one when `record` is None) of `record_class`; read it
    only, when this device may not change it (`read_only`)."""

    sig_saved = Signal(object)  # the stored Record, after a manual or automatic save
    sig_failed = Signal(list)  # the problems of a save the domain rejected
    sig_cancelled = Signal()  # Cancel pressed; the owner decides what to close

    def __init__(
        self,
        ctx: AppContext,
        record_class: type[Record],
        record: Record | None = None,
        parent: QWidget | None = None,
        *,
        on_unexpected: Failed | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record_class = record_class
        self.record = record
        self.on_unexpected: Failed = on_unexpected or ctx.tasks.report_error
        self.fields: dict[str, FieldWidget] = {}
        self._generation = self._saved_generation = 0
        self._saving = False
        self._queued: bool | None = None  # a save asked for during a save: is it automatic?
        self._failure: str | None = None
        self._saved_at = record.updated_at.astimezone() if record is not None else None
        self._autosave_enabled = record_class.KIND in AUTOSAVE_KINDS
        self.read_only = self._rule_says_read_only()
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._on_autosave_timeout)
        ctx.sig_locked.connect(self._autosave.stop)
        ctx.sig_unlocked.connect(self._schedule_autosave)
        ctx.sig_language_changed.connect(self._on_ctx_language_changed)
        ctx.sig_records_changed.connect(self._on_ctx_records_changed)
        ctx.sig_reviewer_changed.connect(self._on_ctx_reviewer_changed)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.request_close)
        self._layout = QVBoxLayout(self)
        self._body = self._build()
        self._layout.addWidget(self._body)
        self._load(to_plain(record if record is not None else record_class()))
        self._baseline = self.values()
        self._refresh()

    # --- building -------------------------------------------------------------------------

    def _build(self) -> QWidget:
        body = QWidget(self)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = read_only_banner(body)
        self.banner.setText(self._read_only_reason())
        self.banner.setVisible(self.read_only)
        self.kind_label = QLabel(_(self.record_class.LABEL).upper(), body)
        self.title_label = bold(QLabel(body), 16)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.form_problem = QLabel(body)
        self.form_problem.setWordWrap(True)
        self.form_problem.hide()
        self.scroll_area = QScrollArea(body)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget(self.scroll_area)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 12, 0)
        self.fields = {}
        self._side_labels: list[QLabel] = []
        for section in sections_for(self.record_class):
            built = build_section(
                section, self.record_class, self.ctx, content, read_only=self.read_only
            )
            column.addWidget(built.frame)
            self.fields.update(built.fields)
            self._side_labels.extend(built.side_labels)
        widest = max((label.sizeHint().width() for label in self._side_labels), default=0)
        for label in self._side_labels:  # one label column across all sections
            label.setMinimumWidth(widest)
        column.addStretch(1)
        self.scroll_area.setWidget(content)
        self.status_label = QLabel(body)
        self.status_label.setAccessibleName(_("Save status"))
        self.required_label = QLabel(_("* required"), body)
        self.cancel_button = QPushButton(_("Close") if self.read_only else _("Cancel"), body)
        self.cancel_button.clicked.connect(self.request_close)
        self.save_button = QPushButton(_("Save"), body)
        keys = QKeySequence(QKeySequence.StandardKey.Save).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        self.save_button.setToolTip(_("Save ({shortcut})").format(shortcut=keys))
        self.save_button.clicked.connect(self.save)
        footer = QHBoxLayout()
        footer.addWidget(self.status_label)
        footer.addStretch(1)
        footer.addWidget(self.required_label)
        footer.addWidget(self.cancel_button)
        footer.addWidget(self.save_button)
        for hidden in (self.required_label, self.save_button):
            hidden.setVisible(not self.read_only)  # no Save here, so no Ctrl+S either
        top = (self.banner, self.kind_label, self.title_label, self.form_problem)
        for widget in (*top, self.scroll_area):
            outer.addWidget(widget, 1 if widget is self.scroll_area else 0)
        outer.addLayout(footer)
        for field in self.fields.values():
            field.sig_edited.connect(self._on_field_edited)
        self._style(body)
        return body

    def _style(self, body: QWidget) -> None:
        """Style sheets for the palette in use; set again on a palette change, which a widget
        with a style sheet of its own is not told of."""
        self.kind_label.setStyleSheet(muted_style() + " font-weight: bold; letter-spacing: 1px;")
        self.form_problem.setStyleSheet(problem_style())
        self.status_label.setStyleSheet(muted_style())
        self.required_label.setStyleSheet(muted_style())
        self.banner.setStyleSheet(banner_style())
        for frame in body.findChildren(QFrame, "prominent"):
            frame.setStyleSheet(prominent_style())

    # --- focus and closing ----------------------------------------------------------------

    def focus_first_field(self) -> None:
        """Put the cursor in the form's first field, so typing goes into the record."""
        first = next(iter(self.fields.values()), None)
        if first is not None:
            self.scroll_area.ensureWidgetVisible(first)
            first.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def take_focus(self) -> None:
        """Where the keyboard starts when the editor opens: the first field, or, read-only,
        the banner that says why (Tab goes on to the fields)."""
        if self.read_only:
            self.banner.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.focus_first_field()

    def request_close(self) -> None:
        """Close (Escape, Cancel): at once when nothing is unsaved, else only if the user
        agrees to discard the changes."""
        if not self.is_dirty() or self.confirm_discard():
            self._autosave.stop()
            self.sig_cancelled.emit()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            _("Unsaved changes"),
            _("Close the editor and discard the unsaved changes?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    # --- values and state -----------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The form's plain values, by field name."""
        return {name: field.plain() for name, field in self.fields.items()}

    def _load(self, values: dict[str, Any]) -> None:
        for name, field in self.fields.items():
            if name in values:
                field.set_plain(values[name])

    def is_dirty(self) -> bool:
        """Whether any field was edited since the record was loaded or last saved."""
        return self._generation != self._saved_generation

    def state(self) -> dict[str, Any]:
        """Unsaved work to keep across lock and unlock: plain values and dirtiness."""
        record_id = self.record.id if self.record is not None else None
        return {"record_id": record_id, "values": self.values(), "dirty": self.is_dirty()}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Put back what `state()` returned (on an editor opened on the same record)."""
        self._load(state.get("values", {}))
        self._generation = self._saved_generation + (1 if state.get("dirty") else 0)
        self._schedule_autosave()
        self._refresh()

    def set_autosave(self, enabled: bool) -> None:
        self._autosave_enabled = enabled
        if not enabled:
            self._autosave.stop()

    # --- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        """Save now (Save button, Ctrl+S): problems show inline, the first one focused."""
        self._submit(auto=False)

    def _submit(self, *, auto: bool) -> None:
        self._autosave.stop()
        if self.read_only:
            return  # Ctrl+S in a read-only form: the record service would refuse it anyway
        if self._saving:
            self._queued = auto if self._queued is None else (self._queued and auto)
            return
        data, record, kind = self.values(), self.record, self.record_class.KIND
        if record is not None:  # send only what changed: never overwrite others' edits
            data = {k: v for k, v in data.items() if v != self._baseline.get(k)}
            if not data:
                self._saved_generation, self._failure = self._generation, None
                self._clear_problems()
                self._refresh()
                if not auto:
                    self.sig_saved.emit(record)
                return
        self._saving, generation = True, self._generation
        self._refresh()
        record_id = record.id if record is not None else None

        def work(vault: Vault) -> Saved:
            return vault.records.save_from(kind, record_id, data)

        self.ctx.call(
            work,
            lambda saved: self._on_save_done(saved, generation, data),
            lambda error: self._on_save_failed(error, auto),
            receiver=self,
        )

    def _on_save_done(self, saved: Saved, generation: int, data: dict[str, Any]) -> None:
        record = saved.record
        self._saving, self._failure = False, None
        self._baseline.update(data)
        self.record = record
        self._saved_generation = generation
        self._saved_at = dt.datetime.now().astimezone()
        self._clear_problems()
        self._refresh()
        self.sig_saved.emit(record)
        # Every kind the save changed: linking a tip to a case changes the tip, so the tips'
        # list (its rows and their sync marks) reads them again now, not at its next reload.
        for kind in saved.kinds:
            self.ctx.notify_changed(kind)
        queued, self._queued = self._queued, None
        if queued is not None and self.is_dirty():
            self._submit(auto=queued)
        else:
            self._schedule_autosave()

    def _on_save_failed(self, error: BaseException, auto: bool) -> None:
        self._saving, self._queued = False, None
        if not isinstance(error, ValidationFailed):
            self._failure = NOT_SAVED
            self._refresh()
            self.on_unexpected(error)
            return
        if auto and self.record is None:  # still being typed: no red marks yet
            self._refresh()
            return
        self._failure = CHECK_FIELDS
        self._show_problems(error.problems, focus=not auto)
        self._refresh()
        self.sig_failed.emit(error.problems)

    def _show_problems(self, problems: list[Problem], *, focus: bool) -> None:
        broken = show_problems(self.fields, self.form_problem, problems)
        if focus and broken is not None:
            self.scroll_area.ensureWidgetVisible(broken)
            broken.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def _clear_problems(self) -> None:
        show_problems(self.fields, self.form_problem, [])

    # --- handlers -------------------------------------------------------------------------

    def _on_field_edited(self) -> None:
        self._generation += 1
        self._schedule_autosave()
        self._refresh()

    def _schedule_autosave(self) -> None:
        # A new record of an autosaving kind is saved too, once what it requires is typed.
        if self._autosave_enabled and not self.read_only and self.is_dirty():
            self._autosave.start()

    def _on_autosave_timeout(self) -> None:
        if self.is_dirty() and self.ctx.vault is not None:
            self._submit(auto=True)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the OS went light or dark
            self._style(self._body)

    def _on_ctx_records_changed(self, kind: str) -> None:
        """Records of this kind changed elsewhere (sync pulled another device's edit)."""
        record = self.record
        if kind != self.record_class.KIND or record is None or self._saving:
            return
        cls, record_id = self.record_class, record.id
        self.ctx.call(
            lambda v: v.records.get(cls, record_id),
            self._on_stored_version,
            lambda _error: None,  # deleted or locked meanwhile: the list says so
            receiver=self,
        )

    def _on_stored_version(self, stored: Record) -> None:
        """Show a newer stored version in every field not being edited here; edits in
        progress stay as typed (a save sends only them)."""
        shown = self.record
        if shown is None or stored.id != shown.id or stored.updated_at == shown.updated_at:
            return
        if self._saving:
            return
        form = self.values()
        untouched = {
            name: value
            for name, value in to_plain(stored).items()
            if name in form and form[name] == self._baseline.get(name)
        }
        self._load(untouched)
        self._baseline.update(untouched)
        self.record = stored
        self._refresh()

    def _on_ctx_language_changed(self) -> None:
        self._rebuild(self.values())

    def _on_ctx_reviewer_changed(self) -> None:
        """HQ's answer changed the rule while the record is open: an editor becomes a reader
        of the stored version (what was typed could not be saved: HQ refuses it), and a
        reader an editor."""
        read_only = self._rule_says_read_only()
        if read_only == self.read_only:
            self.banner.setText(self._read_only_reason())  # the author's name may be new
            return
        self.read_only = read_only
        self._autosave.stop()
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        if read_only:
            self._saved_generation, self._failure = self._generation, None
            self._rebuild(self._baseline)
        else:
            self._rebuild(self.values())
        if had_focus:
            self.take_focus()

    def _rebuild(self, values: dict[str, Any]) -> None:
        old = self._body
        self._body = self._build()
        self._layout.replaceWidget(old, self._body)
        old.deleteLater()
        self._load(values)
        self._refresh()

    def _rule_says_read_only(self) -> bool:
        record = self.record
        return record is not None and not self.ctx.reviewer.may_change(record)

    def _read_only_reason(self) -> str:
        record = self.record
        return (self.ctx.reviewer.why_read_only(record) or "") if record is not None else ""

    def _refresh(self) -> None:
        record = self.record
        title = record.title if record is not None else _("New record")
        self.title_label.setText(title or _("(untitled)"))
        self.status_label.setText(self._status())

    def _status(self) -> str:
        if self.read_only:
            return ""  # nothing is saved here; the banner says why
        if self._saving:
            return _(SAVING)
        if self._failure:
            return _(self._failure)
        if self.record is None:
            return _(NOT_SAVED_YET)
        if self.is_dirty():
            return _(UNSAVED)
        if self._saved_at is None:
            return ""
        today = self._saved_at.date() == dt.date.today()
        when = self._saved_at.strftime("%H:%M") if today else format_date(self._saved_at.date())
        return _(SAVED_AT).format(time=when)
