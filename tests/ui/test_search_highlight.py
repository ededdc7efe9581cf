"""Search results show each match highlighted (painted on the match colour), not wrapped in
literal brackets, and a long hit wraps at word boundaries instead of being cut off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from fieldkit.domain.records import Facility
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.search_dialog import SearchDialog
from fieldkit.ui.search_results import HTML_ROLE
from fieldkit.ui.theme import MATCH, colour
from tests.ui.scenes import TIMEOUT, make_context

ADDRESS = (
    "Carretera federal cuarenta y cinco kilómetro doce, junto a la gasolinera, a la salida "
    "hacia Silao, frente al parque industrial Castro del Río, Guanajuato"
)


@pytest.fixture
def ctx(qapp, vault: Vault, tmp_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    vault.records.create(Facility(name="Planta Silao", address=ADDRESS))
    context = make_context(vault, tmp_path, errors)
    yield context
    context.tasks.shutdown()
    assert errors == []


def search(qtbot, ctx: AppContext, text: str) -> SearchDialog:  # type: ignore[no-untyped-def]
    dialog = SearchDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.resize(640, 480)
    dialog.show()
    dialog.query.setText(text)
    qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() == 1, timeout=TIMEOUT)
    return dialog


def test_matches_are_highlighted_not_bracketed(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    dialog = search(qtbot, ctx, "silao")
    item = dialog.results.topLevelItem(0).child(0)
    plain = item.text(0)
    assert plain.startswith("Planta Silao — ") and "[" not in plain and "\x02" not in plain
    markup = item.data(0, HTML_ROLE)
    match = colour(MATCH).name()
    assert markup.count(f"background-color:{match}'>Silao</span>") == 2  # title and body
    # Really painted: the match colour shows in the results.
    dialog.results.clearSelection()
    dialog.results.setCurrentItem(None)
    image: QImage = dialog.results.viewport().grab().toImage()
    wanted = QColor(match)
    found = any(
        image.pixelColor(x, y) == wanted
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    )
    assert found


def test_a_long_hit_wraps_at_words_instead_of_being_cut(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    dialog = search(qtbot, ctx, "parque")
    tree = dialog.results
    item = tree.topLevelItem(0).child(0)
    index = tree.indexFromItem(item)
    rect = tree.visualRect(index)
    line = tree.fontMetrics().height()
    assert rect.height() >= 2 * line  # wrapped onto more lines, not elided on one
    # Every word of the snippet is whole: it starts and ends at word boundaries.
    snippet = item.text(0).split(" — ", 1)[1].strip("…").strip()
    assert "frente al parque industrial Castro del Río" in snippet
    first_word = snippet.replace(",", "").split()[0]
    assert first_word in ADDRESS.replace(",", "").split()
