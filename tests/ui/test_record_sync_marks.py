"""Each record says where it stands with headquarters: a mark at the start of its list row and
a line in its details, read from the real vault (unsent journal entries, stored conflicts),
and read again after a sync round."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fieldkit.domain.records import Facility
from fieldkit.domain.sync_state import RecordSyncState
from fieldkit.i18n import set_language
from fieldkit.services.vault import Vault
from fieldkit.store.replica import StoredConflict
from fieldkit.ui.context import AppContext
from fieldkit.ui.record_model import SYNC_ROLE, RecordTableModel
from fieldkit.ui.records_screen import RecordsScreen
from tests.ui.scenes import TIMEOUT, make_context

WHEN = int(dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC).timestamp() * 1000) << 16


def send_everything(vault: Vault) -> None:
    """Mark every journal entry sent, as a push that headquarters acknowledged does."""
    store = vault._store
    assert store is not None
    batch = store.sync.outgoing(limit=10_000, entries=2000)
    with store.transaction():
        store.sync.mark_sent(json.loads(batch.change_ids_json))


def store_conflict(vault: Vault, record_id: str) -> None:
    store = vault._store
    assert store is not None
    with store.transaction():
        store.sync.save_conflict(
            StoredConflict(
                "c1",
                "facility",
                record_id,
                "municipality",
                {"value": "Soledad", "hlc": WHEN + 5, "node": "n2", "device_name": "Luis"},
                {"value": "Villa de Pozos", "hlc": WHEN, "node": "n1", "device_name": "Ana"},
                "2026-03-04T15:00:01+00:00",
            )
        )


@pytest.fixture
def ctx(qapp, vault: Vault, tmp_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    sent = vault.records.create(Facility(name="A sent plant"))
    conflicted = vault.records.create(Facility(name="B conflicted plant"))
    send_everything(vault)
    store_conflict(vault, conflicted.id)
    vault.records.create(Facility(name="C waiting plant"))
    assert sent.id
    context = make_context(vault, tmp_path, errors)
    yield context
    set_language("en")
    context.tasks.shutdown()
    assert errors == []


def states(model: RecordTableModel) -> dict[str, RecordSyncState]:
    found = {}
    for row in range(model.rowCount()):
        record = model.record_at(row)
        assert record is not None
        found[record.title] = model.index(row, 0).data(SYNC_ROLE)
    return found


def test_every_row_is_marked_sent_waiting_or_in_conflict(qtbot, qtmodeltester, ctx) -> None:  # type: ignore[no-untyped-def]
    model = RecordTableModel(ctx, Facility)
    with qtbot.waitSignal(model.sig_loaded, timeout=TIMEOUT):
        model.reload()
    qtmodeltester.check(model)
    assert states(model) == {
        "A sent plant": RecordSyncState.SENT,
        "B conflicted plant": RecordSyncState.CONFLICT,
        "C waiting plant": RecordSyncState.WAITING,
    }
    for row in range(3):
        index = model.index(row, 0)
        assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()
        assert index.data(Qt.ItemDataRole.ToolTipRole).endswith(model.record_at(row).title)  # type: ignore[union-attr]
    conflict_row = next(r for r in range(3) if model.record_at(r).title.startswith("B"))  # type: ignore[union-attr]
    assert (
        model.index(conflict_row, 0)
        .data(Qt.ItemDataRole.ToolTipRole)
        .startswith("Conflicting edits to resolve")
    )
    # Only the first column carries the mark.
    assert model.index(0, 1).data(Qt.ItemDataRole.DecorationRole) is None


def test_marks_are_read_again_after_a_round(qtbot, ctx, vault) -> None:  # type: ignore[no-untyped-def]
    model = RecordTableModel(ctx, Facility)
    with qtbot.waitSignal(model.sig_loaded, timeout=TIMEOUT):
        model.reload()
    assert states(model)["C waiting plant"] == RecordSyncState.WAITING
    send_everything(vault)
    with qtbot.waitSignal(model.dataChanged, timeout=TIMEOUT):
        ctx.sig_sync_states_changed.emit()
    assert states(model)["C waiting plant"] == RecordSyncState.SENT
    assert states(model)["B conflicted plant"] == RecordSyncState.CONFLICT


def test_the_details_say_it_in_a_line(qtbot, ctx, vault) -> None:  # type: ignore[no-untyped-def]
    set_language("es")
    screen = RecordsScreen(ctx, Facility)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=TIMEOUT)
    for row in range(3):
        screen.table.selectRow(row)
        record = screen.selected_record()
        assert record is not None
        qtbot.waitUntil(lambda: screen.detail.sync_state is not None, timeout=TIMEOUT)
        expected = {
            "A": "Enviado a la sede central",
            "B": "Ediciones en conflicto por resolver",
            "C": "En espera de envío",
        }[record.title[0]]
        assert expected in screen.detail.toPlainText()
    send_everything(vault)
    ctx.sig_sync_states_changed.emit()
    qtbot.waitUntil(
        lambda: "Enviado a la sede central" in screen.detail.toPlainText(), timeout=TIMEOUT
    )
