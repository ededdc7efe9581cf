"""A save that links records the work keeps on both sides (a case's linked tips, a tip's case)
changes the other record too, in the same transaction, and the other kind's list shows it at
once: its row and its sync mark (waiting to be sent), without waiting for its next reload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fieldkit.domain.choices import TriageStatus
from fieldkit.domain.records import Case, Facility, Record, Tip
from fieldkit.domain.sync_state import RecordSyncState
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.editor import RecordEditor
from fieldkit.ui.pickers import ChecklistField, ComboField
from fieldkit.ui.record_model import SYNC_ROLE, RecordTableModel
from tests.ui.scenes import TIMEOUT, make_context
from tests.ui.test_record_sync_marks import send_everything

DAY = dt.date(2026, 3, 10)


class Scene:
    def __init__(self, vault: Vault) -> None:
        plant = vault.records.create(Facility(name="Planta Norte"))
        self.case = vault.records.create(
            Case(reference="RRM-2026-07", facility_id=plant.id, received_on=DAY)
        )
        self.tip = vault.records.create(Tip(received_on=DAY, subject="Horas extra sin pago"))
        self.other_tip = vault.records.create(Tip(received_on=DAY, subject="Despidos"))
        send_everything(vault)  # every record reached headquarters: all marked sent


@pytest.fixture
def scene(qapp, vault: Vault, tmp_path: Path) -> Iterator[tuple[Scene, AppContext]]:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    made = Scene(vault)
    ctx = make_context(vault, tmp_path, errors)
    yield made, ctx
    ctx.tasks.shutdown()
    assert errors == []


def loaded(qtbot, ctx: AppContext, cls: type[Record]) -> RecordTableModel:  # type: ignore[no-untyped-def]
    model = RecordTableModel(ctx, cls)
    with qtbot.waitSignal(model.sig_loaded, timeout=TIMEOUT):
        model.reload()
    return model


def mark(model: RecordTableModel, record_id: str) -> RecordSyncState | None:
    row = model.row_of(record_id)
    return None if row is None else model.index(row, 0).data(SYNC_ROLE)


def editor_of(qtbot, ctx: AppContext, record: Record) -> RecordEditor:  # type: ignore[no-untyped-def]
    editor = RecordEditor(ctx, type(record), record)
    qtbot.addWidget(editor)
    return editor


def save(qtbot, editor: RecordEditor) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(editor.sig_saved, timeout=TIMEOUT):
        editor.save()


def test_linking_a_tip_from_its_case_marks_the_tip_at_once(qtbot, scene, vault) -> None:  # type: ignore[no-untyped-def]
    made, ctx = scene
    tips = loaded(qtbot, ctx, Tip)
    assert mark(tips, made.tip.id) == RecordSyncState.SENT

    editor = editor_of(qtbot, ctx, made.case)
    picker = editor.fields["tip_ids"]
    assert isinstance(picker, ChecklistField)
    qtbot.waitUntil(lambda: picker.loaded, timeout=TIMEOUT)
    for row in range(picker.list.count()):
        item = picker.list.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == made.tip.id:
            item.setCheckState(Qt.CheckState.Checked)
    save(qtbot, editor)

    # The tip names the case and is marked linked, in the vault and in its list, whose mark
    # says a change waits to be sent, without anyone reloading the tips' list.
    stored = vault.records.get(Tip, made.tip.id)
    assert stored.case_id == made.case.id and stored.triage is TriageStatus.LINKED_TO_CASE
    qtbot.waitUntil(lambda: mark(tips, made.tip.id) == RecordSyncState.WAITING, timeout=TIMEOUT)
    row = tips.row_of(made.tip.id)
    assert row is not None
    cells = [tips.index(row, c).data() for c in range(tips.columnCount())]
    assert "Linked to a case" in cells
    assert mark(tips, made.other_tip.id) == RecordSyncState.SENT  # untouched, still sent


def test_naming_a_case_on_a_tip_marks_the_case_at_once(qtbot, scene, vault) -> None:  # type: ignore[no-untyped-def]
    made, ctx = scene
    cases = loaded(qtbot, ctx, Case)
    assert mark(cases, made.case.id) == RecordSyncState.SENT

    editor = editor_of(qtbot, ctx, made.other_tip)
    picker = editor.fields["case_id"]
    assert isinstance(picker, ComboField)
    qtbot.waitUntil(lambda: picker.loaded, timeout=TIMEOUT)
    picker.combo.setCurrentIndex(picker.combo.findData(made.case.id))
    save(qtbot, editor)

    assert vault.records.get(Case, made.case.id).tip_ids == (made.other_tip.id,)
    qtbot.waitUntil(lambda: mark(cases, made.case.id) == RecordSyncState.WAITING, timeout=TIMEOUT)
