"""Short-field conflicts (a choice, a reference, a date, yes or no) stored in a real vault the
way a pull stores them: shown compactly in the person's language, settled several at once,
and counted with the long-text ones, which keep their merge view."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fieldkit.domain.choices import Consent, MexicanState, VisitStatus
from fieldkit.domain.records import Facility, Interview, Visit
from fieldkit.i18n import set_language
from fieldkit.services.vault import Vault
from fieldkit.store.replica import StoredConflict
from fieldkit.sync.engine import RESOLVED
from fieldkit.ui.conflicts_dialog import ConflictsDialog
from fieldkit.ui.context import AppContext
from fieldkit.ui.field_widgets import DateField
from fieldkit.ui.pickers import ComboField
from tests.ui.scenes import TIMEOUT, make_context

WHEN = int(dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC).timestamp() * 1000) << 16


def side(value: object, name: str, offset: int = 0) -> dict[str, object]:
    return {"value": value, "hlc": WHEN + offset, "node": f"node-{name}", "device_name": name}


def store_conflict(
    vault: Vault,
    conflict_id: str,
    kind: str,
    record_id: str,
    field: str,
    kept: object,
    other: object,
) -> None:
    """Stored as the sync engine stores a conflict HQ sends with a pulled page."""
    store = vault._store
    assert store is not None
    with store.transaction():
        store.sync.save_conflict(
            StoredConflict(
                conflict_id,
                kind,
                record_id,
                field,
                side(kept, "Luis", 5),
                side(other, "Ana"),
                "2026-03-04T15:00:01+00:00",
            )
        )


class Scene:
    def __init__(self, vault: Vault, ctx: AppContext) -> None:
        self.vault, self.ctx = vault, ctx
        self.plant = vault.records.create(Facility(name="Planta Norte", state=MexicanState.SLP))
        self.other_plant = vault.records.create(Facility(name="Planta Sur"))
        self.visit = vault.records.create(
            Visit(facility_id=self.plant.id, start_date=dt.date(2026, 3, 2), summary="Visita")
        )
        self.interview = vault.records.create(
            Interview(
                visit_id=self.visit.id,
                held_on=dt.date(2026, 3, 3),
                pseudonym="Huizache",
                consent=Consent.GIVEN,
                notes="Texto de Luis",
            )
        )
        store_conflict(vault, "c-state", "facility", self.plant.id, "state", "SLP", "NLE")
        store_conflict(vault, "c-status", "visit", self.visit.id, "status", "draft", "final")
        store_conflict(
            vault,
            "c-ref",
            "visit",
            self.visit.id,
            "facility_id",
            self.plant.id,
            self.other_plant.id,
        )
        store_conflict(
            vault,
            "c-notes",
            "interview",
            self.interview.id,
            "notes",
            "Texto de Luis",
            "Texto de Ana",
        )


@pytest.fixture
def scene(qapp, vault: Vault, tmp_path: Path) -> Iterator[Scene]:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    ctx = make_context(vault, tmp_path, errors)
    yield Scene(vault, ctx)
    set_language("en")
    ctx.tasks.shutdown()
    assert errors == []


def open_dialog(qtbot, scene: Scene) -> ConflictsDialog:  # type: ignore[no-untyped-def]
    dialog = ConflictsDialog(scene.ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded and dialog.conflicts.count() == 4, timeout=TIMEOUT)
    return dialog


def rows(dialog: ConflictsDialog) -> dict[str, str]:
    found = {}
    for n in range(dialog.conflicts.count()):
        item = dialog.conflicts.item(n)
        found[item.data(Qt.ItemDataRole.UserRole).conflict.id] = item.text()
    return found


def test_short_fields_show_both_values_as_people_read_them(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    set_language("es")
    dialog = open_dialog(qtbot, scene)
    text = rows(dialog)
    # Choice labels in the current language, linked records by title, who and when.
    assert "Estado" in text["c-state"] and "San Luis Potosí" in text["c-state"]
    assert "Nuevo León" in text["c-state"] and "NLE" not in text["c-state"]
    assert "Luis" in text["c-state"] and "Ana" in text["c-state"]
    assert "Borrador" in text["c-status"] and "Final" in text["c-status"]
    assert "Planta Norte" in text["c-ref"] and "Planta Sur" in text["c-ref"]
    assert scene.other_plant.id not in text["c-ref"]
    # The short one shows compactly; the long text keeps its side-by-side merge view.
    for n in range(dialog.conflicts.count()):
        item = dialog.conflicts.item(n)
        conflict = item.data(Qt.ItemDataRole.UserRole).conflict
        dialog.conflicts.setCurrentItem(item)
        if conflict.id == "c-notes":
            assert dialog.panes.currentWidget() is dialog.pane
            assert not item.flags() & Qt.ItemFlag.ItemIsUserCheckable
            assert dialog.pane.other_text.toPlainText() == "Texto de Ana"
        else:
            assert dialog.panes.currentWidget() is dialog.short_pane
            assert item.flags() & Qt.ItemFlag.ItemIsUserCheckable
        if conflict.id == "c-state":
            assert dialog.short_pane.kept_value.text() == "San Luis Potosí"
            assert dialog.short_pane.other_value.text() == "Nuevo León"
            assert dialog.short_pane.other_by.text().startswith("por Ana, ")


def test_several_short_conflicts_settle_in_one_step(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, scene)
    asked: list[tuple[int, bool]] = []
    dialog.confirm_keep = lambda _parent, count, *, other: asked.append((count, other)) or True
    qtbot.mouseClick(dialog.tick_all, Qt.MouseButton.LeftButton)
    assert dialog.keep_other.text().replace("&", "") == "Keep other (3)"
    # Untick the reference: the current facility stays, the other two take the other value.
    for n in range(dialog.conflicts.count()):
        item = dialog.conflicts.item(n)
        if item.data(Qt.ItemDataRole.UserRole).conflict.id == "c-ref":
            item.setCheckState(Qt.CheckState.Unchecked)
    assert dialog.keep_other.text().replace("&", "") == "Keep other (2)"
    qtbot.mouseClick(dialog.keep_other, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.conflicts.count() == 2, timeout=TIMEOUT)
    assert asked == [(2, True)]
    vault = scene.vault
    assert vault.records.get(Facility, scene.plant.id).state is MexicanState.NLE
    assert vault.records.get(Visit, scene.visit.id).status is VisitStatus.FINAL
    left = {c.id for c in vault.sync.conflicts()}
    assert left == {"c-ref", "c-notes"}
    assert vault.sync.status().conflicts == 2
    # The one left short conflict, current and unticked, is kept as it is with one click.
    remaining = rows(dialog)
    assert set(remaining) == {"c-ref", "c-notes"}
    for n in range(dialog.conflicts.count()):
        item = dialog.conflicts.item(n)
        if item.data(Qt.ItemDataRole.UserRole).conflict.id == "c-ref":
            dialog.conflicts.setCurrentItem(item)
    assert dialog.keep_kept.text().replace("&", "") == "Keep current (1)"
    qtbot.mouseClick(dialog.keep_kept, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.conflicts.count() == 1, timeout=TIMEOUT)
    assert asked[-1] == (1, False)
    assert vault.records.get(Visit, scene.visit.id).facility_id == scene.plant.id
    assert [c.id for c in vault.sync.conflicts()] == ["c-notes"]
    # Headquarters hears of all three at the next round.
    store = vault._store
    assert store is not None
    assert {"c-state", "c-status", "c-ref"} <= set(json.loads(store.get_meta(RESOLVED) or "[]"))


def test_a_refusal_asks_and_changes_nothing(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, scene)
    dialog.confirm_keep = lambda _parent, _count, *, other: False
    qtbot.mouseClick(dialog.tick_all, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.keep_other, Qt.MouseButton.LeftButton)
    assert scene.vault.records.get(Facility, scene.plant.id).state is MexicanState.SLP
    assert len(scene.vault.sync.conflicts()) == 4


def current(dialog: ConflictsDialog, conflict_id: str) -> None:
    for n in range(dialog.conflicts.count()):
        item = dialog.conflicts.item(n)
        if item.data(Qt.ItemDataRole.UserRole).conflict.id == conflict_id:
            dialog.conflicts.setCurrentItem(item)
            return
    raise AssertionError(conflict_id)


def test_a_third_value_chosen_in_the_editor_input_settles_it(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    store_conflict(scene.vault, "c-shared", "interview", scene.interview.id, "shared", False, True)
    dialog = ConflictsDialog(scene.ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded and dialog.conflicts.count() == 5, timeout=TIMEOUT)
    asked: list[str] = []
    dialog.confirm_new = lambda _parent: asked.append("new?") or True
    box = dialog.short_pane.new_value

    # Yes or no has no third value.
    current(dialog, "c-shared")
    assert box.isHidden() and box.field is None

    # A choice: the editor's own input for it, starting at the value now in the record.
    current(dialog, "c-state")
    assert not box.isHidden()
    assert isinstance(box.field, ComboField) and box.field.plain() == "SLP"
    combo = box.field.combo
    combo.setCurrentIndex(combo.findData(MexicanState.JAL.value))
    qtbot.mouseClick(box.keep, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.conflicts.count() == 4, timeout=TIMEOUT)
    assert asked == ["new?"]
    assert scene.vault.records.get(Facility, scene.plant.id).state is MexicanState.JAL
    assert "c-state" not in {c.id for c in scene.vault.sync.conflicts()}
    store = scene.vault._store
    assert store is not None
    assert "c-state" in json.loads(store.get_meta(RESOLVED) or "[]")  # HQ hears of it


def test_a_third_value_is_checked_as_in_the_editor(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    store_conflict(
        scene.vault, "c-date", "visit", scene.visit.id, "start_date", "2026-03-02", "2026-03-01"
    )
    dialog = ConflictsDialog(scene.ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded and dialog.conflicts.count() == 5, timeout=TIMEOUT)
    dialog.confirm_new = lambda _parent: True
    current(dialog, "c-date")
    box = dialog.short_pane.new_value
    assert isinstance(box.field, DateField)  # with its calendar, as in the editor
    box.field.edit.setText("2026-13-45")
    qtbot.mouseClick(box.keep, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(box.field and box.field.problem()), timeout=TIMEOUT)
    # Refused: said on the input, nothing changed, the conflict still waits.
    assert dialog.isEnabled() and dialog.conflicts.count() == 5
    assert scene.vault.records.get(Visit, scene.visit.id).start_date == dt.date(2026, 3, 2)
    box.field.edit.setText("2026-03-03")
    qtbot.mouseClick(box.keep, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.conflicts.count() == 4, timeout=TIMEOUT)
    assert scene.vault.records.get(Visit, scene.visit.id).start_date == dt.date(2026, 3, 3)


def test_a_third_value_by_keyboard_in_spanish(qtbot, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    set_language("es")
    dialog = open_dialog(qtbot, scene)
    dialog.confirm_new = lambda _parent: True
    dialog.show()
    current(dialog, "c-status")
    box = dialog.short_pane.new_value
    assert box.label.text() == "Valor &nuevo" and box.keep.text() == "Conservar el valor nue&vo"
    assert box.note.text().startswith("¿Ninguno de los dos?")
    assert isinstance(box.field, ComboField)
    target = box.field.focus_target()
    assert box.label.buddy() is target  # Alt+N
    assert target.accessibleName() == "Valor nuevo de Estatus"
    # From the list, Tab reaches the new value and then its button; the arrow keys choose.
    dialog.conflicts.setFocus()
    qtbot.waitUntil(dialog.conflicts.hasFocus, timeout=TIMEOUT)
    for _step in range(8):
        if target.hasFocus():
            break
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert target.hasFocus()
    combo = box.field.combo
    combo.setCurrentIndex(combo.findData(VisitStatus.DRAFT.value))
    qtbot.keyClick(target, Qt.Key.Key_Down)
    assert combo.currentData() != VisitStatus.DRAFT.value
    chosen = combo.currentData()
    qtbot.keyClick(target, Qt.Key.Key_Tab)
    assert box.keep.hasFocus()
    qtbot.keyClick(box.keep, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.conflicts.count() == 3, timeout=TIMEOUT)
    assert scene.vault.records.get(Visit, scene.visit.id).status.value == chosen
