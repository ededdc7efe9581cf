"""The generated record editor against a real vault, offscreen: create, edit, inline problems,
consent, interview autosave, follow-up tables, record pickers and kept unsaved work."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from fieldkit.crypto.kdf import MIN_MEMORY_KIB, MIN_TIME_COST, new_kdf_params
from fieldkit.domain.choices import ActionStatus, Consent, MexicanState, Sector, VisitStatus
from fieldkit.domain.records import Case, Facility, Grant, Interview, Visit
from fieldkit.domain.values import FollowUp
from fieldkit.i18n import SPANISH, set_language
from fieldkit.services.vault import Vault, create_vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.editor import RecordEditor
from fieldkit.ui.field_widgets import FieldWidget
from fieldkit.ui.items_editor import ItemsEditor
from fieldkit.ui.pickers import ComboField
from fieldkit.ui.preferences import Preferences
from fieldkit.ui.tasks import TaskRunner

DAY = dt.date(2026, 3, 10)
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def editor_vault(tmp_path: Path) -> Iterator[Vault]:
    kdf = new_kdf_params(MIN_MEMORY_KIB, MIN_TIME_COST)
    vault, _recovery = create_vault(tmp_path / "v", "correct horse battery staple", kdf=kdf)
    yield vault
    vault.lock()


@pytest.fixture
def editor_ctx(qtbot, tmp_path: Path, editor_vault: Vault) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    tasks = TaskRunner(default_error_handler=errors.append)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(tmp_path / "v", Preferences(settings), tasks)
    ctx.set_vault(editor_vault)
    yield ctx
    tasks.shutdown()
    assert errors == [], errors  # nothing went to the crash dialog


def open_editor(qtbot, ctx: AppContext, cls, record=None) -> RecordEditor:  # type: ignore[no-untyped-def]
    editor = RecordEditor(ctx, cls, record)
    qtbot.addWidget(editor)
    editor.resize(900, 700)
    return editor


def save(qtbot, editor: RecordEditor):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(editor.sig_saved, timeout=5000) as blocker:
        qtbot.mouseClick(editor.save_button, LEFT)
    return blocker.args[0]


def fail(qtbot, editor: RecordEditor) -> list:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(editor.sig_failed, timeout=5000) as blocker:
        qtbot.mouseClick(editor.save_button, LEFT)
    return blocker.args[0]


def choose(field: FieldWidget, value: str) -> None:
    combo = field.combo  # type: ignore[attr-defined]
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


def wait_loaded(qtbot, field: FieldWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: field.loaded, timeout=4000)  # type: ignore[attr-defined]


def test_create_a_facility_with_spanish_text(qtbot, editor_ctx, editor_vault) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, editor_ctx, Facility)
    assert editor.status_label.text() == "Not saved yet"
    editor.fields["name"].edit.setText("Llantas de San Luis Potosí, Ñandú y Cía.")
    editor.fields["municipality"].edit.setText("Villa de Reyes")
    editor.fields["unions"].edit.setText("Sindicato Independiente; Liga Minera ;")
    choose(editor.fields["state"], MexicanState.SLP.value)
    choose(editor.fields["sector"], Sector.RUBBER_TIRES.value)
    editor.fields["priority_sector"].check.setChecked(True)
    with qtbot.waitSignal(editor_ctx.sig_records_changed) as changed:
        record = save(qtbot, editor)
    assert changed.args == ["facility"]
    [stored] = editor_vault.records.list(Facility)
    assert stored.id == record.id == editor.record.id
    assert stored.name == "Llantas de San Luis Potosí, Ñandú y Cía."
    assert stored.state is MexicanState.SLP and stored.sector is Sector.RUBBER_TIRES
    assert stored.unions == ("Sindicato Independiente", "Liga Minera")
    assert stored.priority_sector is True
    assert not editor.is_dirty()
    assert editor.status_label.text().startswith("Saved ")
    assert editor.title_label.text() == stored.name


def test_state_field_starts_empty_and_ctrl_s_saves(qtbot, editor_ctx, editor_vault) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, editor_ctx, Facility)
    state = editor.fields["state"]
    assert state.combo.itemText(0) == "—" and state.plain() is None
    editor.fields["name"].edit.setText("Planta Silao")
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    with qtbot.waitSignal(editor.sig_saved, timeout=5000):
        qtbot.keyClick(
            editor.fields["name"].edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
        )
    assert editor_vault.records.list(Facility)[0].state is None


def test_editing_a_visit_changes_only_what_was_edited(qtbot, editor_ctx, editor_vault) -> None:  # type: ignore[no-untyped-def]
    plant = editor_vault.records.create(Facility(name="Planta Silao"))
    follow_up = FollowUp(action="Enviar minuta", due=DAY)
    visit = editor_vault.records.create(
        Visit(facility_id=plant.id, start_date=DAY, findings="Hallazgos", follow_ups=(follow_up,))
    )
    editor = open_editor(qtbot, editor_ctx, Visit, visit)
    wait_loaded(qtbot, editor.fields["facility_id"])
    assert editor.fields["facility_id"].combo.currentText() == "Planta Silao"
    assert not editor.is_dirty()
    # Meanwhile someone else finalizes the visit: the editor must not undo that.
    editor_vault.records.update_from("visit", visit.id, {"status": "final"})
    editor.fields["observations"].edit.setPlainText("Se reunió con el comité de huelga.")
    assert editor.is_dirty() and editor.status_label.text() == "Unsaved changes"
    save(qtbot, editor)
    stored = editor_vault.records.get(Visit, visit.id)
    assert stored.observations == "Se reunió con el comité de huelga."
    assert stored.status is VisitStatus.FINAL
    assert (stored.findings, stored.follow_ups, stored.start_date) == (
        "Hallazgos",
        (follow_up,),
        DAY,
    )


def test_required_fields_and_date_order_show_inline(qtbot, editor_ctx, editor_vault) -> None:  # type: ignore[no-untyped-def]
    plant = editor_vault.records.create(Facility(name="Planta Silao"))
    editor = open_editor(qtbot, editor_ctx, Visit)
    problems = fail(qtbot, editor)
    assert {p.field for p in problems} == {"facility_id", "start_date"}
    venue = "Facility is required: a visit is held at a facility or an organization."
    assert editor.fields["facility_id"].problem() == venue
    assert editor.fields["start_date"].problem() == "Start date is required."
    assert editor.fields["end_date"].problem() == ""
    target = editor.fields["facility_id"].focus_target()
    assert target.accessibleDescription() == venue
    qtbot.waitUntil(lambda: editor.focusWidget() is target)  # the first broken field
    assert editor.status_label.text() == "Not saved: check the marked fields"

    wait_loaded(qtbot, editor.fields["facility_id"])
    choose(editor.fields["facility_id"], plant.id)
    editor.fields["start_date"].edit.setText("2026-03-10")
    editor.fields["end_date"].edit.setText("2026-03-01")
    fail(qtbot, editor)
    assert editor.fields["facility_id"].problem() == ""
    assert editor.fields["start_date"].problem() == ""
    assert editor.fields["end_date"].problem() == "End date must be on or after 2026-03-10."
    assert not editor.fields["end_date"]._problem.isHidden()

    editor.fields["end_date"].edit.setText("2026-13-45")
    fail(qtbot, editor)
    assert "YYYY-MM-DD" in editor.fields["end_date"].problem()
    assert editor_vault.records.count(Visit) == 0


def test_interview_needs_consent_before_notes(qtbot, editor_ctx, editor_vault) -> None:  # type: ignore[no-untyped-def]
    plant = editor_vault.records.create(Facility(name="Planta Silao"))
    editor = open_editor(qtbot, editor_ctx, Interview)
    order = list(editor.fields)
    assert order.index("consent") < order.index("risk") < order.index("notes")
    assert order[0] == "consent"
    wait_loaded(qtbot, editor.fields["facility_id"])
    choose(editor.fields["facility_id"], plant.id)
    editor.fields["held_on"].edit.setText("2026-03-10")
    editor.fields["pseudonym"].edit.setText("Garza-7781")
    editor.fields["notes"].edit.setPlainText("Relata despidos por afiliación sindical.")
    fail(qtbot, editor)
    assert "consent" in editor.fields["notes"].problem()
    assert editor.fields["consent"].problem() == ""
    assert editor_vault.records.count(Interview) == 0

    choose(editor.fields["consent"], Consent.GIVEN.value)
    saved = save(qtbot, editor)
    assert editor.fields["notes"].problem() == ""
    stored = editor_vault.records.get(Interview, saved.id)
    assert stored.consent is Consent.GIVEN
    assert stored.notes == "Relata despidos por afiliación sindical."


def test_interview_autosaves_after_typing(qtbot, editor_ctx, editor_vault) -> None:  # type: ignore[no-untyped-def]
    plant = editor_vault.records.create(Facility(name="Planta Silao"))
    interview = editor_vault.records.create(
        Interview(
            facility_id=plant.id,
            held_on=DAY,
            pseudonym="Garza-7781",
            consent=Consent.GIVEN,
            notes="Primera parte. ",
        )
    )
    editor = open_editor(qtbot, editor_ctx, Interview, interview)
    saved: list = []
    editor.sig_saved.connect(saved.append)
    notes = editor.fields["notes"].edit
    notes.moveCursor(notes.textCursor().MoveOperation.End)
    qtbot.keyClicks(notes, "More words")
    assert editor.is_dirty() and editor._autosave.isActive()
    qtbot.waitUntil(lambda: bool(saved), timeout=4000)
    assert editor_vault.records.get(Interview, interview.id).notes == "Primera parte. More words"
    assert editor.status_label.text().startswith("Saved ")
    assert not editor.is_dirty()

    # A rejected autosave shows the problem inline and opens no dialog.
    failed: list = []
    editor.sig_failed.connect(failed.append)
    choose(editor.fields["consent"], Consent.WITHDRAWN.value)
    qtbot.waitUntil(lambda: bool(failed), timeout=4000)
    assert "consent" in editor.fields["notes"].problem()


def test_follow_up_actions_round_trip(qtbot, editor_ctx, editor_vault) -> None:  # type: ignore[no-untyped-def]
    plant = editor_vault.records.create(Facility(name="Planta Silao"))
    editor = open_editor(qtbot, editor_ctx, Visit)
    wait_loaded(qtbot, editor.fields["facility_id"])
    choose(editor.fields["facility_id"], plant.id)
    editor.fields["start_date"].edit.setText("2026-03-10")
    items: ItemsEditor = editor.fields["follow_ups"]  # type: ignore[assignment]
    column = {spec.name: index for index, spec in enumerate(items.columns)}
    qtbot.mouseClick(items.add_button, LEFT)
    qtbot.mouseClick(items.add_button, LEFT)
    qtbot.mouseClick(items.add_button, LEFT)
    items.table.selectRow(2)
    qtbot.mouseClick(items.remove_button, LEFT)
    assert items.table.rowCount() == 2
    items.table.item(0, column["action"]).setText("Enviar la minuta al sindicato")
    items.table.item(0, column["owner"]).setText("Agregada laboral")
    items.table.item(0, column["due"]).setText("2026-04-01")
    items.table.item(1, column["due"]).setText("2026-04-15")
    problems = fail(qtbot, editor)  # row 2 has no action yet
    assert [p.field for p in problems] == ["follow_ups[2].action"]
    assert items.problem() == "Row 2: Action is required."
    assert items.table.item(1, column["action"]).background().color().name() == "#fde7e4"

    items.table.item(1, column["action"]).setText("Revisar la consulta de legitimación")
    items.table.cellWidget(1, column["status"]).setCurrentIndex(
        items.table.cellWidget(1, column["status"]).findData(ActionStatus.DONE.value)
    )
    saved = save(qtbot, editor)
    stored = editor_vault.records.get(Visit, saved.id)
    assert stored.follow_ups == (
        FollowUp(
            action="Enviar la minuta al sindicato",
            owner="Agregada laboral",
            due=dt.date(2026, 4, 1),
        ),
        FollowUp(
            action="Revisar la consulta de legitimación",
            due=dt.date(2026, 4, 15),
            status=ActionStatus.DONE,
        ),
    )
    reopened = open_editor(qtbot, editor_ctx, Visit, stored)
    assert reopened.fields["follow_ups"].plain() == items.plain()
    assert items.problem() == ""


def test_record_pickers_load_and_follow_changes(qtbot, editor_ctx, editor_vault) -> None:  # type: ignore[no-untyped-def]
    for name in ("Planta Silao", "Llantas del Centro"):
        editor_vault.records.create(Facility(name=name))
    editor = open_editor(qtbot, editor_ctx, Visit)
    combo = editor.fields["facility_id"].combo
    qtbot.waitUntil(lambda: combo.count() > 1, timeout=4000)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "—",
        "Llantas del Centro",
        "Planta Silao",
    ]
    assert not editor.is_dirty()  # loading is not an edit
    other = open_editor(qtbot, editor_ctx, Facility)
    other.fields["name"].edit.setText("Autopartes del Bajío")
    save(qtbot, other)
    qtbot.waitUntil(lambda: combo.count() == 4, timeout=4000)
    assert combo.itemText(1) == "Autopartes del Bajío"


def test_case_links_and_grant_amounts(qtbot, editor_ctx, editor_vault) -> None:  # type: ignore[no-untyped-def]
    plant = editor_vault.records.create(Facility(name="Planta Silao"))
    visit = editor_vault.records.create(Visit(facility_id=plant.id, start_date=DAY))
    case = open_editor(qtbot, editor_ctx, Case)
    links = case.fields["visit_ids"]
    wait_loaded(qtbot, links)
    wait_loaded(qtbot, case.fields["facility_id"])
    links.list.item(0).setCheckState(Qt.CheckState.Checked)
    case.fields["allegations"].list.item(3).setCheckState(Qt.CheckState.Checked)
    case.fields["reference"].edit.setText("RRM-2026-01")
    case.fields["received_on"].edit.setText("2026-03-01")
    choose(case.fields["facility_id"], plant.id)
    stored = save(qtbot, case)
    assert stored.visit_ids == (visit.id,)
    assert [a.value for a in stored.allegations] == ["sector_agreement_not_applied"]

    grant = open_editor(qtbot, editor_ctx, Grant)
    grant.fields["award_number"].edit.setText("IL-35000")
    grant.fields["grantee"].edit.setText("Centro de Investigación Laboral")
    grant.fields["amount"].edit.setText("1,250,000.5")
    assert grant.fields["amount"].edit.alignment() & Qt.AlignmentFlag.AlignRight
    assert save(qtbot, grant).amount == Decimal("1250000.50")


def test_state_round_trip_keeps_unsaved_text(qtbot, editor_ctx, editor_vault) -> None:  # type: ignore[no-untyped-def]
    plant = editor_vault.records.create(Facility(name="Planta Silao"))
    editor = open_editor(qtbot, editor_ctx, Facility, plant)
    editor.fields["address"].edit.setText("Carretera León–Silao km 3.5")
    kept = editor.state()
    assert kept["dirty"] and kept["record_id"] == plant.id

    again = open_editor(qtbot, editor_ctx, Facility, plant)
    assert not again.is_dirty()
    again.restore_state(kept)
    assert again.fields["address"].plain() == "Carretera León–Silao km 3.5"
    assert again.is_dirty() and again.state() == kept
    save(qtbot, again)
    assert editor_vault.records.get(Facility, plant.id).address == "Carretera León–Silao km 3.5"

    clean = open_editor(qtbot, editor_ctx, Facility, plant)
    clean.restore_state(clean.state())
    assert not clean.is_dirty()


def test_labels_buddies_and_tab_order_follow_the_form(qtbot, editor_ctx) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, editor_ctx, Interview)
    buddies = {label.buddy(): label for label in editor.findChildren(QLabel) if label.buddy()}
    for name, field in editor.fields.items():
        target = field.focus_target()
        spec = Interview.spec(name)
        assert target.accessibleName() == spec.label, name
        assert buddies[target].text().removesuffix(" *") == spec.label
    chain: list[QWidget] = []
    widget = editor.fields["consent"].focus_target()
    for _step in range(200):
        chain.append(widget)
        widget = widget.nextInFocusChain()
    targets = [field.focus_target() for field in editor.fields.values()]
    positions = [chain.index(target) for target in targets]
    assert positions == sorted(positions)
    assert chain.index(editor.save_button) > positions[-1]


def test_spanish_labels_and_switching_keeps_typed_text(qtbot, editor_ctx) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, editor_ctx, Facility)
    editor.fields["name"].edit.setText("Planta Querétaro")
    set_language(SPANISH)
    editor_ctx.sig_language_changed.emit()
    assert editor.kind_label.text() == "CENTRO DE TRABAJO"
    assert editor.fields["name"].plain() == "Planta Querétaro" and editor.is_dirty()
    assert isinstance(editor.fields["sector"], ComboField)
    combo = editor.fields["sector"].combo
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "Autopartes" in texts
    assert texts[:3] == ["Acero y aluminio", "Aeroespacial", "Agricultura"]  # by Spanish label


def test_an_edit_pulled_meanwhile_shows_in_untouched_fields_only(
    qtbot, editor_ctx, editor_vault
) -> None:  # type: ignore[no-untyped-def]
    facility = editor_vault.records.create(Facility(name="Planta", municipality="Apodaca"))
    editor = open_editor(qtbot, editor_ctx, Facility, facility)
    editor.fields["name"].edit.setText("Planta Norte")  # being edited here, not saved
    editor.fields["name"].edit.textEdited.emit("Planta Norte")
    assert editor.is_dirty()
    # Another attaché's edit arrives through sync: the vault changes, then lists are told.
    editor_vault.records.update_from(
        "facility", facility.id, {"name": "Planta (HQ)", "municipality": "Escobedo"}
    )
    editor_ctx.notify_changed("facility")
    qtbot.waitUntil(lambda: editor.fields["municipality"].edit.text() == "Escobedo", timeout=4000)
    assert editor.fields["name"].edit.text() == "Planta Norte"  # the edit in progress stays
    assert editor.is_dirty()
    save(qtbot, editor)
    stored = editor_vault.records.get(Facility, facility.id)
    assert (stored.name, stored.municipality) == ("Planta Norte", "Escobedo")


def test_a_new_interview_autosaves_once_its_required_fields_are_typed(  # type: ignore[no-untyped-def]
    qtbot, editor_ctx, editor_vault
) -> None:
    plant = editor_vault.records.create(Facility(name="Planta Silao"))
    editor = open_editor(qtbot, editor_ctx, Interview)
    assert editor.fields["risk"].plain() is None  # unset, not "Medium"
    assert Interview().risk is None
    wait_loaded(qtbot, editor.fields["facility_id"])
    choose(editor.fields["facility_id"], plant.id)
    editor.fields["pseudonym"].edit.setText("Persona Azul")  # not enough yet: no red marks
    assert editor._autosave.isActive()
    qtbot.waitUntil(lambda: not editor._autosave.isActive() and not editor._saving, timeout=5_000)
    assert editor_vault.records.list(Interview) == []
    assert all(not field.problem() for field in editor.fields.values())
    with qtbot.waitSignal(editor.sig_saved, timeout=5_000):  # no Save pressed
        editor.fields["held_on"].edit.setText("2026-03-10")
    [saved] = editor_vault.records.list(Interview)
    assert saved.pseudonym == "Persona Azul" and saved.risk is None


def test_interview_summary_for_sharing_and_no_quotes(qtbot, editor_ctx, editor_vault) -> None:  # type: ignore[no-untyped-def]
    plant = editor_vault.records.create(Facility(name="Planta Silao"))
    editor = open_editor(qtbot, editor_ctx, Interview)
    order = list(editor.fields)
    assert order.index("notes") < order.index("sharing_summary")
    labels = [label.text() for label in editor.findChildren(QLabel)]
    assert "For sharing" in labels and "Summary for sharing" in labels
    assert any(text.startswith("The only words about this interview") for text in labels)
    wait_loaded(qtbot, editor.fields["facility_id"])
    choose(editor.fields["facility_id"], plant.id)
    editor.fields["held_on"].edit.setText("2026-03-10")
    editor.fields["pseudonym"].edit.setText("Garza-7781")
    editor.fields["sharing_summary"].edit.setPlainText("Overtime is announced the same day.")
    choose(editor.fields["consent"], Consent.GIVEN_NO_QUOTES.value)
    saved = save(qtbot, editor)
    stored = editor_vault.records.get(Interview, saved.id)
    assert stored.consent is Consent.GIVEN_NO_QUOTES
    assert stored.sharing_summary == "Overtime is announced the same day."

    set_language(SPANISH)
    editor_ctx.sig_language_changed.emit()
    labels = [label.text() for label in editor.findChildren(QLabel) if label.isVisibleTo(editor)]
    assert "Para compartir" in labels and "Resumen para compartir" in labels
    consent = editor.fields["consent"]
    assert isinstance(consent, ComboField)
    choices = [consent.combo.itemText(i) for i in range(consent.combo.count())]
    assert "Otorgado, sin citas textuales" in choices
