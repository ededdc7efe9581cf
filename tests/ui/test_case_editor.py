"""The case editor: events and a clock override entered in the form, the clock picked from the
rule table by its label, and a stage the events do not lead to refused inline."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

from fieldkit.domain.choices import CaseEvent, CaseStage, CaseType, DayCount
from fieldkit.domain.records import Case, Facility
from fieldkit.domain.values import CaseStep, ClockOverride
from fieldkit.ui.items_editor import ItemsEditor
from tests.ui.test_editor import (  # noqa: F401 - fixtures
    choose,
    editor_ctx,
    editor_vault,
    fail,
    open_editor,
    save,
)


def test_events_and_a_clock_override_round_trip(qtbot, editor_ctx, editor_vault) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    plant = editor_vault.records.create(Facility(name="Tridonex"))
    case = editor_vault.records.create(
        Case(
            reference="RRM-2021-02",
            facility_id=plant.id,
            received_on=dt.date(2021, 5, 10),
            case_type=CaseType.RRM_SELF_INITIATED,
        )
    )
    editor = open_editor(qtbot, editor_ctx, Case, case)
    events: ItemsEditor = editor.fields["events"]  # type: ignore[assignment]
    column = {spec.name: index for index, spec in enumerate(events.columns)}
    events.add_button.click()
    combo = events.table.cellWidget(0, column["event"])
    combo.setCurrentIndex(combo.findData(CaseEvent.REVIEW_REQUESTED.value))
    events.table.item(0, column["on"]).setText("2021-06-09")

    overrides: ItemsEditor = editor.fields["clock_overrides"]  # type: ignore[assignment]
    column = {spec.name: index for index, spec in enumerate(overrides.columns)}
    overrides.add_button.click()
    clock = overrides.table.cellWidget(0, column["rule"])
    labels = [clock.itemText(i) for i in range(clock.count())]
    assert "Mexico's notice whether it will review" in labels  # labels, not rule ids
    clock.setCurrentIndex(clock.findData("mexico_notice"))
    count = overrides.table.cellWidget(0, column["count"])
    count.setCurrentIndex(count.findData(DayCount.BUSINESS.value))
    overrides.table.item(0, column["reason"]).setText("Días hábiles")
    saved = save(qtbot, editor)
    stored = editor_vault.records.get(Case, saved.id)
    assert stored.stage is CaseStage.REVIEW_REQUESTED
    assert stored.events == (CaseStep(event=CaseEvent.REVIEW_REQUESTED, on=dt.date(2021, 6, 9)),)
    assert stored.clock_overrides == (
        ClockOverride(rule="mexico_notice", count=DayCount.BUSINESS, reason="Días hábiles"),
    )

    again = open_editor(qtbot, editor_ctx, Case, stored)
    choose(again.fields["stage"], CaseStage.REMEDIES_IMPOSED.value)
    problems = fail(qtbot, again)
    assert [p.field for p in problems] == ["stage"]
