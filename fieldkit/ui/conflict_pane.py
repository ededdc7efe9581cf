"""One conflict: the two versions of a long text side by side (read-only), a "Keep this one"
under each, and "Merge…", an editor holding both texts between clear marker lines.

Interview text is sensitive: it appears in these read-only boxes and the merge editor only,
never in a window title, a tooltip or a log line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.records import KINDS
from fieldkit.i18n import N_, _, format_date
from fieldkit.services.sync import ConflictView
from fieldkit.ui.sync_status import moment_of
from fieldkit.ui.theme import problem_style

MARK = "====="
VERSION_BY = N_("Version by {name}, {when}")
END_OF_VERSIONS = N_("End of both versions: keep what you need above, then delete these lines")
MARKERS_LEFT = N_("Delete the marker lines (those starting with =====) before saving.")
UNKNOWN_AUTHOR = N_("another device")
NOW_IN_RECORD = N_("Now in the record")
OTHER_VERSION = N_("Other version")


@dataclass(frozen=True)
class ConflictItem:
    """A conflict with the title of its record (read on the database worker)."""

    conflict: ConflictView
    title: str
    titles: dict[str, str] = field(default_factory=dict)  # a reference's records, by id
    read_only: str = ""  # why this device may not settle it (another's interview); "" if it may

    @property
    def tickable(self) -> bool:
        """Whether it may be settled with others, ticked: a short field this device may settle
        (a text is merged or kept on its own)."""
        return not self.conflict.long_text and not self.read_only

    @property
    def kind_label(self) -> str:
        cls = KINDS.get(self.conflict.kind)
        return _(cls.LABEL) if cls else self.conflict.kind

    @property
    def field_label(self) -> str:
        cls = KINDS.get(self.conflict.kind)
        try:
            return _(cls.spec(self.conflict.field).label) if cls else self.conflict.field
        except KeyError:
            return self.conflict.field


def heading(item: ConflictItem) -> str:
    """What the conflict is about, and why it cannot be settled here when it cannot."""
    text = _("{kind} “{title}”, field “{field}”: two people changed it at the same time.").format(
        kind=item.kind_label, title=item.title, field=item.field_label
    )
    return f"{text}\n{item.read_only}" if item.read_only else text


def author(side: dict[str, Any]) -> str:
    return str(side.get("device_name") or _(UNKNOWN_AUTHOR))


def written_at(side: dict[str, Any]) -> str:
    """When that version was written, to the minute, in local time ("Nov 21, 2026 14:02")."""
    local = moment_of(int(side.get("hlc") or 0)).astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


def text_of(side: dict[str, Any]) -> str:
    value = side.get("value")
    return "" if value is None else str(value)


def merge_draft(conflict: ConflictView) -> str:
    """Both texts, each under a marker line naming its author and time, then an end marker."""
    parts = []
    for side in (conflict.kept, conflict.other):
        heading = _(VERSION_BY).format(name=author(side), when=written_at(side))
        parts += [f"{MARK} {heading} {MARK}", text_of(side)]
    parts.append(f"{MARK} {_(END_OF_VERSIONS)} {MARK}")
    return "\n".join(parts)


def has_markers(text: str) -> bool:
    return any(line.lstrip().startswith(MARK) for line in text.splitlines())


def _read_only_box(accessible: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setReadOnly(True)
    box.setAccessibleName(accessible)
    box.setTabChangesFocus(True)
    return box


def ask_to_keep(parent: QWidget, name: str) -> bool:
    answer = QMessageBox.question(
        parent,
        _("Keep one version"),
        _("Keep the version by {name}? The other version will be discarded.").format(name=name),
    )
    return answer == QMessageBox.StandardButton.Yes


class ConflictPane(QWidget):
    sig_resolved = Signal(str, str)  # conflict id, the text to keep

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._item: ConflictItem | None = None
        self.confirm_keep: Callable[[QWidget, str], bool] = ask_to_keep
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._compare_page())
        self.stack.addWidget(self._merge_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.stack, 1)

    def _compare_page(self) -> QWidget:
        page = QWidget()
        self.kept_label = QLabel()
        self.other_label = QLabel()
        for label in (self.kept_label, self.other_label):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.kept_text = _read_only_box(_("The version now in the record"))
        self.other_text = _read_only_box(_("The other version"))
        self.keep_kept = QPushButton(_("&Keep this one"))
        self.keep_kept.setAccessibleName(_("Keep the version now in the record"))
        self.keep_other = QPushButton(_("K&eep this one"))
        self.keep_other.setAccessibleName(_("Keep the other version"))
        self.merge_button = QPushButton(_("&Merge…"))
        self.merge_button.setAccessibleName(_("Merge both versions in an editor"))
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.kept_label, 0, 0)
        grid.addWidget(self.other_label, 0, 1)
        grid.addWidget(self.kept_text, 1, 0)
        grid.addWidget(self.other_text, 1, 1)
        grid.addWidget(self.keep_kept, 2, 0, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.keep_other, 2, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.merge_button, 3, 0, 1, 2, Qt.AlignmentFlag.AlignRight)
        grid.setRowStretch(1, 1)
        self.keep_kept.clicked.connect(lambda: self._on_keep_clicked(kept=True))
        self.keep_other.clicked.connect(lambda: self._on_keep_clicked(kept=False))
        self.merge_button.clicked.connect(self._on_merge_button_clicked)
        return page

    def _merge_page(self) -> QWidget:
        page = QWidget()
        hint = QLabel(
            _(
                "Both versions are below, each under a line naming who wrote it. Edit them "
                "into one text, delete the marker lines, then save."
            )
        )
        hint.setWordWrap(True)
        self.merge_text = QPlainTextEdit()
        self.merge_text.setAccessibleName(_("Merged text"))
        self.merge_text.setTabChangesFocus(True)
        self.merge_problem = QLabel(_(MARKERS_LEFT))
        self.merge_problem.setStyleSheet(problem_style())
        self.merge_problem.setWordWrap(True)
        self.save_merge = QPushButton(_("&Save merged text"))
        self.save_merge.setAccessibleName(_("Save the merged text"))
        self.cancel_merge = QPushButton(_("Back to &both versions"))
        self.cancel_merge.setAccessibleName(_("Back to both versions"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.merge_problem, 1)
        buttons.addWidget(self.cancel_merge)
        buttons.addWidget(self.save_merge)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(hint)
        layout.addWidget(self.merge_text, 1)
        layout.addLayout(buttons)
        self.merge_text.textChanged.connect(self._on_merge_text_changed)
        self.save_merge.clicked.connect(self._on_save_merge_clicked)
        self.cancel_merge.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        return page

    # --- showing a conflict -----------------------------------------------------------------

    def show_item(self, item: ConflictItem | None) -> None:
        self._item = item
        self.stack.setCurrentIndex(0)
        self.merge_text.clear()
        self.setEnabled(item is not None)
        if item is None:
            self.heading.clear()
            for box in (self.kept_text, self.other_text):
                box.clear()
            return
        conflict = item.conflict
        self.heading.setText(heading(item))
        for button in (self.keep_kept, self.keep_other, self.merge_button):
            button.setEnabled(not item.read_only)
        sides = (
            (self.kept_label, self.kept_text, self.keep_kept, conflict.kept, NOW_IN_RECORD),
            (self.other_label, self.other_text, self.keep_other, conflict.other, OTHER_VERSION),
        )
        for label, box, button, side, which in sides:
            label.setText(
                _("{which}: by {name}, {when}").format(
                    which=_(which), name=author(side), when=written_at(side)
                )
            )
            box.setPlainText(text_of(side))
            button.setAccessibleName(_("Keep the version by {name}").format(name=author(side)))

    def clear(self) -> None:
        """Take every text off the screen (the vault locks)."""
        self.show_item(None)

    # --- resolving --------------------------------------------------------------------------

    def _on_keep_clicked(self, *, kept: bool) -> None:
        item = self._item
        if item is None:
            return
        side = item.conflict.kept if kept else item.conflict.other
        if self.confirm_keep(self, author(side)):
            self.sig_resolved.emit(item.conflict.id, text_of(side))

    def _on_merge_button_clicked(self) -> None:
        item = self._item
        if item is None:
            return
        self.merge_text.setPlainText(merge_draft(item.conflict))
        self.stack.setCurrentIndex(1)
        self.merge_text.setFocus()

    def _on_merge_text_changed(self) -> None:
        left = has_markers(self.merge_text.toPlainText())
        self.merge_problem.setVisible(left)
        self.save_merge.setEnabled(not left)

    def _on_save_merge_clicked(self) -> None:
        item = self._item
        text = self.merge_text.toPlainText()
        if item is None or has_markers(text):
            return
        self.sig_resolved.emit(item.conflict.id, text)
