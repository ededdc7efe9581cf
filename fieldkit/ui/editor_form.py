"""The record editor's form, built from a kind's sections (editor_sections.py): one input per
field under or beside its label, the sections that stand out framed, and for a record this
device may not change, inputs that show their value without letting it change and a banner
that says why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from fieldkit.domain.fields import FieldType
from fieldkit.domain.records import Record
from fieldkit.errors import Problem
from fieldkit.i18n import _
from fieldkit.ui.context import AppContext
from fieldkit.ui.editor_sections import ROOMY, Section
from fieldkit.ui.field_widgets import FieldWidget, LongTextField, split_problems
from fieldkit.ui.items_editor import ItemsEditor
from fieldkit.ui.pickers import field_widget
from fieldkit.ui.theme import NOTICE, PROMINENT, PROMINENT_BORDER, colour

_WIDE = (FieldType.LONGTEXT, FieldType.ITEMS)  # label above, full width
BANNER = "read-only-banner"  # the banner's object name, for its style sheet


def bold(label: QLabel, points: float) -> QLabel:
    # A font, not a style sheet: a label with a style sheet misses palette changes.
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(points)
    label.setFont(font)
    return label


def prominent_style() -> str:
    return (
        f"QFrame#prominent {{ background: {colour(PROMINENT).name()};"
        f" border: 1px solid {colour(PROMINENT_BORDER).name()}; border-radius: 6px; }}"
    )


def banner_style() -> str:
    """The caution colour on the window's own background (its contrast is measured there),
    framed with the consent box's border colour."""
    border = colour(PROMINENT_BORDER).name()
    return (
        f"QLabel#{BANNER} {{ color: {colour(NOTICE).name()}; font-weight: bold;"
        f" border: 1px solid {border}; border-left: 5px solid {border};"
        " border-radius: 4px; padding: 8px 10px; }"
    )


def read_only_banner(parent: QWidget) -> QLabel:
    """The line above a read-only form that says whose record it is and that it cannot be
    changed here. It takes the focus first, so a screen reader says it before any field, and
    Tab goes on to the fields."""
    banner = QLabel(parent)
    banner.setObjectName(BANNER)
    banner.setWordWrap(True)
    banner.setTextFormat(Qt.TextFormat.PlainText)
    banner.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    banner.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return banner


@dataclass
class BuiltSection:
    frame: QFrame
    fields: dict[str, FieldWidget] = field(default_factory=dict)
    side_labels: list[QLabel] = field(default_factory=list)  # labels beside their input


def build_section(
    section: Section,
    record_class: type[Record],
    ctx: AppContext,
    parent: QWidget,
    *,
    read_only: bool,
) -> BuiltSection:
    """One section of the form: its title and note, then each field's label and input."""
    built = BuiltSection(QFrame(parent))
    frame = built.frame
    box = QVBoxLayout(frame)
    box.setContentsMargins(0, 4, 0, 4)
    if section.prominent:
        frame.setObjectName("prominent")  # styled by prominent_style()
        box.setContentsMargins(12, 10, 12, 10)
    if section.title:
        box.addWidget(bold(QLabel(_(section.title), frame), 12))
    if section.note:
        note = QLabel(_(section.note), frame)
        note.setWordWrap(True)
        box.addWidget(note)
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    box.addLayout(form)
    for name in section.names:
        spec = record_class.spec(name)
        if spec.type is FieldType.ITEMS:
            widget: FieldWidget = ItemsEditor(spec, frame)
        else:
            widget = field_widget(spec, ctx, frame)
        if isinstance(widget, LongTextField) and (record_class.KIND, name) in ROOMY:
            widget.make_roomy(ROOMY[record_class.KIND, name])
        if read_only:
            widget.set_read_only(True)
        required = spec.required and not read_only
        label = QLabel(_(spec.label) + (" *" if required else ""), frame)
        label.setBuddy(widget.focus_target())
        if spec.type in _WIDE:
            form.addRow(label)
            form.addRow(widget)
        else:
            form.addRow(label, widget)
            built.side_labels.append(label)
        built.fields[name] = widget
    return built


def show_problems(
    fields: Mapping[str, FieldWidget], form_problem: QLabel, problems: Sequence[Problem]
) -> FieldWidget | None:
    """Each problem under its field (a list's broken cells tinted), any other above the form;
    none clears them. Returns the first field with a problem."""
    messages, cells = split_problems(problems)
    for name, widget in fields.items():
        widget.show_problem("\n".join(messages.pop(name, [])) or None)
        if isinstance(widget, ItemsEditor):
            widget.mark_cells(cells.get(name, []))
    stray = [text for texts in messages.values() for text in texts]
    form_problem.setText("\n".join(stray))
    form_problem.setVisible(bool(stray))
    return next((widget for widget in fields.values() if widget.problem()), None)
