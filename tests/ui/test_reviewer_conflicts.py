"""Conflicting edits of an interview another attaché wrote, on a reviewer's vault (which learnt
its role from a real HQ): the conflicts dialog shows them with the reason they cannot be
settled here, offers no way to settle them (no tick, no keep, merge or new value), and nothing
is written. The record service's own refusal is tested in tests/services."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from fieldkit.domain.records import Interview
from fieldkit.i18n import SPANISH, set_language
from fieldkit.ui.conflicts_dialog import ITEM_ROLE, ConflictsDialog
from tests.hq_server import RunningHQ
from tests.reviewer_vaults import (
    ENGLISH_REFUSAL,
    SPANISH_REFUSAL,
    reviewing,
    store_interview_conflicts,
)
from tests.ui.scenes import TIMEOUT, make_context


def test_conflicts_over_anothers_interview_are_shown_read_only(  # type: ignore[no-untyped-def]
    qtbot, qapp, tmp_path: Path, hq: RunningHQ
) -> None:
    with reviewing(tmp_path, hq) as scene:
        rita, interview = scene.rita, scene.interview
        store_interview_conflicts(rita, interview)
        errors: list[BaseException] = []
        ctx = make_context(rita, tmp_path, errors)
        try:
            dialog = ConflictsDialog(ctx)
            qtbot.addWidget(dialog)
            qtbot.waitUntil(
                lambda: dialog.loaded and dialog.conflicts.count() == 2, timeout=TIMEOUT
            )
            rows = {
                dialog.conflicts.item(n).data(ITEM_ROLE).conflict.id: dialog.conflicts.item(n)
                for n in range(dialog.conflicts.count())
            }
            for row in rows.values():
                assert ENGLISH_REFUSAL in row.text()
                assert not row.flags() & Qt.ItemFlag.ItemIsUserCheckable
            assert not dialog.tick_all.isEnabled()

            dialog.conflicts.setCurrentItem(rows["c-place"])  # a short field
            assert ENGLISH_REFUSAL in dialog.short_pane.heading.text()
            assert not dialog.short_pane.new_value.isEnabled()
            assert not dialog.keep_kept.isEnabled() and not dialog.keep_other.isEnabled()
            qtbot.mouseClick(dialog.keep_other, Qt.MouseButton.LeftButton)

            dialog.conflicts.setCurrentItem(rows["c-notes"])  # a long text
            pane = dialog.pane
            assert ENGLISH_REFUSAL in pane.heading.text()
            assert pane.kept_text.toPlainText()  # both versions stay readable
            for button in (pane.keep_kept, pane.keep_other, pane.merge_button):
                assert not button.isEnabled()
            qtbot.mouseClick(pane.keep_other, Qt.MouseButton.LeftButton)

            set_language(SPANISH)
            dialog.reload()
            qtbot.waitUntil(
                lambda: SPANISH_REFUSAL in dialog.conflicts.item(0).text(), timeout=TIMEOUT
            )
            assert {c.id for c in rita.sync.conflicts()} == {"c-notes", "c-place"}
            assert rita.records.get(Interview, interview.id) == interview
        finally:
            ctx.tasks.shutdown()
        assert errors == []
