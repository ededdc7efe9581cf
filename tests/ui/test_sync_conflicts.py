"""The conflict pane on its own: both versions side by side, "Keep this one" after a yes, the
merge draft's markers, and saving only once the markers are gone. (The whole flow with two
devices and a real headquarters: test_sync_hq.py.)"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from fieldkit.services.sync import ConflictView
from fieldkit.ui.conflict_pane import ConflictItem, ConflictPane, has_markers, merge_draft

WHEN = int(dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC).timestamp() * 1000) << 16


def conflict() -> ConflictView:
    return ConflictView(
        id="c1",
        kind="interview",
        record_id="r1",
        field="notes",
        kept={"value": "Texto de Luis", "hlc": WHEN + 5, "node": "n2", "device_name": "Luis"},
        other={"value": "Texto de Ana", "hlc": WHEN, "node": "n1", "device_name": ""},
    )


def test_the_two_versions_side_by_side(qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = ConflictPane()
    qtbot.addWidget(pane)
    pane.show_item(ConflictItem(conflict(), "Huizache"))
    assert pane.heading.text().startswith("Interview “Huizache”, field “Notes”")
    assert pane.kept_text.toPlainText() == "Texto de Luis"
    assert pane.other_text.toPlainText() == "Texto de Ana"
    assert pane.kept_label.text().startswith("Now in the record: by Luis, ")
    assert pane.other_label.text().startswith("Other version: by another device, ")
    assert pane.keep_kept.accessibleName() == "Keep the version by Luis"
    assert "Texto" not in pane.toolTip() + pane.windowTitle()


def test_keep_this_one_asks_first(qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = ConflictPane()
    qtbot.addWidget(pane)
    pane.show_item(ConflictItem(conflict(), "Huizache"))
    asked: list[str] = []
    pane.confirm_keep = lambda _parent, name: asked.append(name) or False
    with qtbot.assertNotEmitted(pane.sig_resolved):
        qtbot.mouseClick(pane.keep_other, Qt.MouseButton.LeftButton)
    pane.confirm_keep = lambda _parent, name: asked.append(name) or True
    with qtbot.waitSignal(pane.sig_resolved) as resolved:
        qtbot.mouseClick(pane.keep_other, Qt.MouseButton.LeftButton)
    assert resolved.args == ["c1", "Texto de Ana"]
    assert asked == ["another device", "another device"]


def test_merge_draft_and_saving(qtbot) -> None:  # type: ignore[no-untyped-def]
    draft = merge_draft(conflict())
    lines = draft.splitlines()
    assert lines[0].startswith("===== Version by Luis, ") and lines[1] == "Texto de Luis"
    assert lines[2].startswith("===== Version by another device, ") and lines[3] == "Texto de Ana"
    assert lines[4].startswith("===== End of both versions")
    assert has_markers(draft) and not has_markers("Texto de Luis y de Ana")

    pane = ConflictPane()
    qtbot.addWidget(pane)
    pane.show_item(ConflictItem(conflict(), "Huizache"))
    qtbot.mouseClick(pane.merge_button, Qt.MouseButton.LeftButton)
    assert pane.stack.currentIndex() == 1 and pane.merge_text.toPlainText() == draft
    assert not pane.save_merge.isEnabled()
    pane.merge_text.setPlainText("Texto de Luis y de Ana")
    with qtbot.waitSignal(pane.sig_resolved) as resolved:
        qtbot.mouseClick(pane.save_merge, Qt.MouseButton.LeftButton)
    assert resolved.args == ["c1", "Texto de Luis y de Ana"]
    qtbot.mouseClick(pane.cancel_merge, Qt.MouseButton.LeftButton)
    assert pane.stack.currentIndex() == 0
    pane.clear()
    assert pane.kept_text.toPlainText() == "" and not pane.isEnabled()
