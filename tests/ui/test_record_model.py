"""The list model: paged loading on the database worker, sorting, filtering by search, and
never a word of an interview's notes in any cell."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import QModelIndex, Qt

from fieldkit.domain.records import Facility, Grant, Interview, Record, Tip, Visit
from fieldkit.ui.context import AppContext
from fieldkit.ui.record_model import COLUMNS, PAGE_SIZE, RecordTableModel
from tests.ui.scenes import (
    LIST_KINDS,
    SECRET_CONTACT,
    SECRET_NOTES,
    SECRET_RISK,
    TIMEOUT,
    TIRE_PLANT,
)


@contextmanager
def next_load(qtbot, model: RecordTableModel) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Wait, after the block, until the model has loaded a page (or its filtered records)."""
    with qtbot.waitSignal(model.sig_loaded, timeout=TIMEOUT):
        yield


def loaded(qtbot, ctx: AppContext, cls: type[Record]) -> RecordTableModel:  # type: ignore[no-untyped-def]
    model = RecordTableModel(ctx, cls)
    with next_load(qtbot, model):
        model.reload()
    return model


def column_texts(model: RecordTableModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def every_value(model: RecordTableModel) -> str:
    roles = list(range(0, int(Qt.ItemDataRole.UserRole) + 8))
    parts = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            parts.extend(repr(model.data(index, role)) for role in roles)
    for column in range(model.columnCount()):
        parts.extend(
            repr(model.headerData(column, Qt.Orientation.Horizontal, role)) for role in roles
        )
    return "\n".join(parts)


def failures_reported(qtlog) -> list[str]:  # type: ignore[no-untyped-def]
    return [record.message for record in qtlog.records if "FAIL!" in record.message]


@pytest.mark.parametrize("cls", LIST_KINDS, ids=lambda c: c.KIND)
def test_each_kind_passes_the_model_tester(qtbot, qtmodeltester, qtlog, demo_ctx, cls) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, demo_ctx, cls)
    assert model.rowCount() > 0
    assert model.columnCount() == len(COLUMNS[cls])
    # Qt's own tester (it reports through warnings). pytest-qt's Python tester
    # (force_py=True) crashes PySide6 6.12 at exit once its signals are disconnected.
    qtmodeltester.check(model)
    # It stays attached: its checks also hold while the model resets and pages again.
    with next_load(qtbot, model):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.rowCount() > 0
    with next_load(qtbot, model):
        model.set_filter("a")
    assert failures_reported(qtlog) == []


def test_paging_passes_the_model_tester(qtbot, qtmodeltester, qtlog, many_ctx) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, many_ctx, Facility)
    qtmodeltester.check(model)  # which itself asks for the next page
    qtbot.waitUntil(lambda: not model.is_fetching, timeout=TIMEOUT)
    while model.canFetchMore(QModelIndex()):
        with next_load(qtbot, model):
            model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    assert len({model.record_at(row).id for row in range(450)}) == 450  # type: ignore[union-attr]
    assert failures_reported(qtlog) == []


def test_cells_are_formatted_for_people(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    grants = loaded(qtbot, demo_ctx, Grant)
    amounts = column_texts(grants, 3)
    assert all(text.startswith("$") for text in amounts), amounts
    assert grants.headerData(3, Qt.Orientation.Horizontal) == "Award amount (USD)"
    visits = loaded(qtbot, demo_ctx, Visit)
    assert visits.headerData(1, Qt.Orientation.Horizontal) == "Title"
    assert {"Draft", "Final"} >= set(column_texts(visits, 3))
    first = visits.record_at(0)
    assert isinstance(first, Visit) and first.start_date is not None
    assert visits.index(0, 0).data() == first.start_date.strftime("%b %-d, %Y")


def test_pages_load_lazily_two_hundred_at_a_time(qtbot, many_ctx) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, many_ctx, Facility)
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    with next_load(qtbot, model):
        model.fetchMore(QModelIndex())
        assert not model.canFetchMore(QModelIndex())  # never two fetches in flight
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 400
    with next_load(qtbot, model):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())
    ids = [model.record_at(row).id for row in range(450)]  # type: ignore[union-attr]
    assert len(set(ids)) == 450


def test_default_orders_read_well(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    facilities = loaded(qtbot, demo_ctx, Facility)
    names = column_texts(facilities, 0)
    assert names == sorted(names, key=str.casefold)  # by name
    visits = loaded(qtbot, demo_ctx, Visit)
    starts = [visits.record_at(row).start_date for row in range(visits.rowCount())]  # type: ignore[union-attr]
    assert starts == sorted(starts, reverse=True)  # latest first
    assert visits.sort_state == (0, Qt.SortOrder.DescendingOrder)


def test_sort_by_name_reverses_order(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, demo_ctx, Facility)
    with next_load(qtbot, model):
        model.sort(0, Qt.SortOrder.AscendingOrder)
    ascending = column_texts(model, 0)
    assert ascending == sorted(ascending, key=str.casefold)
    with next_load(qtbot, model):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    assert column_texts(model, 0) == ascending[::-1]


def test_sort_pages_through_the_whole_table(qtbot, many_ctx) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, many_ctx, Facility)
    with next_load(qtbot, model):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.rowCount() == PAGE_SIZE
    assert column_texts(model, 0)[:2] == ["Plant 449", "Plant 448"]
    with next_load(qtbot, model):
        model.fetchMore(QModelIndex())
    assert column_texts(model, 0)[PAGE_SIZE] == "Plant 249"


def test_choices_sort_in_their_declared_order(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, demo_ctx, Interview)
    with next_load(qtbot, model):
        model.sort(4, Qt.SortOrder.AscendingOrder)
    risks = column_texts(model, 4)
    order = {"Low": 0, "Medium": 1, "High": 2}
    assert risks == sorted(risks, key=order.__getitem__)


def test_filter_finds_the_tire_plant_only(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, demo_ctx, Facility)
    assert model.rowCount() == 15
    with next_load(qtbot, model):
        model.set_filter("potosi")
    assert column_texts(model, 0) == [TIRE_PLANT]
    assert not model.canFetchMore(QModelIndex())
    with next_load(qtbot, model):
        model.set_filter("")
    assert model.rowCount() == 15


def test_filter_results_follow_the_sort(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, demo_ctx, Facility)
    with next_load(qtbot, model):
        model.set_filter("planta")
    with next_load(qtbot, model):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    names = column_texts(model, 0)
    assert len(names) > 2
    assert names == sorted(names, key=str.casefold, reverse=True)


def test_interview_cells_never_hold_the_notes(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, demo_ctx, Interview)
    assert "Huizache" in column_texts(model, 0)
    text = every_value(model)
    for secret in (SECRET_NOTES, SECRET_RISK, SECRET_CONTACT, "ZQX"):
        assert secret not in text
    assert "línea de pintura" not in text  # a phrase from the demo interview notes


def test_reloads_when_its_kind_changes(qtbot, demo_ctx, vault) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, demo_ctx, Tip)
    before = model.rowCount()
    vault.records.create(Tip(subject="ZQX new hotline call", received_on=dt.date(2026, 11, 1)))
    demo_ctx.notify_changed("visit")  # another kind: nothing to do
    assert not model.is_fetching
    with next_load(qtbot, model):
        demo_ctx.notify_changed("tip")
    assert model.rowCount() == before + 1
    assert "ZQX new hotline call" in column_texts(model, 1)


def test_locking_empties_the_model(qtbot, demo_ctx, vault) -> None:  # type: ignore[no-untyped-def]
    model = loaded(qtbot, demo_ctx, Facility)
    demo_ctx.set_vault(None)
    assert model.rowCount() == 0
    assert not model.canFetchMore(QModelIndex())
    model.reload()  # locked: stays empty, asks nothing
    assert model.rowCount() == 0 and not model.is_fetching
    demo_ctx.set_vault(vault)
    with next_load(qtbot, model):
        model.reload()
    assert model.rowCount() == 15


def test_a_stale_page_is_dropped(qtbot, many_ctx) -> None:  # type: ignore[no-untyped-def]
    model = RecordTableModel(many_ctx, Facility)
    model.reload()
    with next_load(qtbot, model):
        model.sort(0, Qt.SortOrder.AscendingOrder)  # the first fetch is now stale
    assert column_texts(model, 0)[:2] == ["Plant 000", "Plant 001"]
    assert model.rowCount() == PAGE_SIZE
    qtbot.waitUntil(lambda: not many_ctx.tasks.busy, timeout=TIMEOUT)
    assert model.rowCount() == PAGE_SIZE


def test_default_orders_have_their_index(demo_ctx) -> None:  # type: ignore[no-untyped-def]
    """Each list opens in an order that migration 0004 indexes (store.schema.LIST_ORDERS):
    the store's query for the first page walks that index instead of sorting the table."""
    from fieldkit.store.schema import TABLES  # noqa: PLC0415 - a cross-layer check

    for cls in LIST_KINDS:
        model = RecordTableModel(demo_ctx, cls)
        plan = demo_ctx.vault.store.list_plan(cls, sort=model._order, limit=PAGE_SIZE)
        assert f"{TABLES[cls.KIND]}_list_" in plan and "TEMP B-TREE" not in plan, (cls, plan)
