"""Conflicting edits of an interview another attaché wrote, on a reviewer's vault (which learnt
its role from a real HQ): settling them in the conflicts dialog, by keeping either version,
a merge or a short field's value, is refused with the reason, and nothing is written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from fieldkit.domain.records import Interview
from fieldkit.errors import ReadOnlyRecord
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


def test_settling_a_conflict_over_anothers_interview_is_refused(  # type: ignore[no-untyped-def]
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
            dialog.confirm_keep = lambda _parent, _count, *, other: True
            dialog.pane.confirm_keep = lambda _parent, _name: True

            def choose(conflict_id: str) -> None:
                for n in range(dialog.conflicts.count()):
                    item = dialog.conflicts.item(n)
                    if item.data(ITEM_ROLE).conflict.id == conflict_id:
                        dialog.conflicts.setCurrentItem(item)

            def refused(count: int) -> None:
                qtbot.waitUntil(lambda: len(errors) == count, timeout=TIMEOUT)
                assert isinstance(errors[-1], ReadOnlyRecord)
                qtbot.waitUntil(dialog.isEnabled, timeout=TIMEOUT)  # open, to try another

            choose("c-place")  # a short field: keep the other value
            qtbot.mouseClick(dialog.keep_other, Qt.MouseButton.LeftButton)
            refused(1)
            assert errors[0].message == ENGLISH_REFUSAL  # what the app's error box says
            choose("c-notes")  # a long text: keep the other version
            qtbot.mouseClick(dialog.pane.keep_other, Qt.MouseButton.LeftButton)
            refused(2)
            set_language(SPANISH)
            assert errors[-1].message == SPANISH_REFUSAL

            assert {c.id for c in rita.sync.conflicts()} == {"c-notes", "c-place"}
            assert dialog.conflicts.count() == 2
            assert rita.records.get(Interview, interview.id) == interview
        finally:
            ctx.tasks.shutdown()
        assert [type(error) for error in errors] == [ReadOnlyRecord, ReadOnlyRecord]
