"""States (and sectors) listed by their label in pickers, in English and in Spanish; the sync
log says when a round brought conflicting edits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.domain.choices import picker_order
from fieldkit.domain.records import Case, Facility
from fieldkit.domain.sync_state import SyncState
from fieldkit.i18n import set_language
from fieldkit.services.vault import Vault
from fieldkit.sync.engine import RoundReport
from fieldkit.ui.context import AppContext
from fieldkit.ui.pickers import ComboField
from fieldkit.ui.sync_log_dialog import SyncLogDialog
from tests.ui.scenes import TIMEOUT, make_context


@pytest.fixture
def ctx(qapp, vault: Vault, tmp_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    context = make_context(vault, tmp_path, errors)
    yield context
    set_language("en")
    context.tasks.shutdown()
    assert errors == []


def combo_texts(qtbot, ctx: AppContext, cls: type, field: str) -> list[str]:  # type: ignore[no-untyped-def]
    widget = ComboField(cls.spec(field), ctx)
    qtbot.addWidget(widget)
    texts = [widget.combo.itemText(n) for n in range(widget.combo.count())]
    return [text for text in texts if text != "—"]  # the blank entry of an optional choice


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("en", ("Chihuahua", "Mexico City", "Nayarit"), ("Sonora", "State of Mexico", "Tabasco")),
        (
            "es",
            ("Chihuahua", "Ciudad de México", "Coahuila"),
            ("Durango", "Estado de México", "Guanajuato"),
        ),
    ],
)
def test_states_are_listed_by_their_label(qtbot, ctx, language, before, after) -> None:  # type: ignore[no-untyped-def]
    set_language(language)
    texts = combo_texts(qtbot, ctx, Facility, "state")
    assert len(texts) == 32
    for a, b, c in (before, after):
        assert texts.index(a) < texts.index(b) < texts.index(c)
    assert texts.index("Michoacán") < texts.index("Morelos")  # the accent does not push it last
    folded = [t.casefold() for t in texts]
    assert folded.index("querétaro") < folded.index("quintana roo")


def test_sectors_by_label_with_other_last_and_steps_kept_in_order(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    set_language("es")
    sectors = combo_texts(qtbot, ctx, Facility, "sector")
    assert sectors[-2:] == ["Otras manufacturas", "Otro"]
    named = sectors[:-2]
    assert named == sorted(named, key=lambda t: t.casefold().replace("á", "a").replace("é", "e"))
    # A list of steps keeps its declared order.
    stages = Case.spec("stage").choice
    assert stages is not None
    assert picker_order(stages) == list(stages)


def test_the_sync_log_says_when_a_round_brought_conflicts(qtbot, ctx, vault) -> None:  # type: ignore[no-untyped-def]
    # As SyncService.sync_now ends each round: its report goes into the log.
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    vault.sync._finish(started, SyncState.OK, RoundReport(pushed=3, pulled=2, conflicts=2), None)
    vault.sync._finish(started, SyncState.OK, RoundReport(pushed=1, pulled=1, conflicts=1), None)
    vault.sync._finish(started, SyncState.OK, RoundReport(pushed=1), None)
    assert [entry.conflicts for entry in vault.sync.log()] == [0, 1, 2]
    set_language("es")
    dialog = SyncLogDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.rounds.topLevelItemCount() == 3, timeout=TIMEOUT)
    texts = [dialog.rounds.topLevelItem(n).text(4) for n in range(3)]
    assert "conflicto" not in texts[0]
    assert "Trajo 1 edición en conflicto" in texts[1]
    assert "Trajo 2 ediciones en conflicto" in texts[2]
