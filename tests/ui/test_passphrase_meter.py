"""The first-run passphrase meter and messages: no verdict before typing, the verdict written
beside the bar, errors in the palette's error colour, stale messages cleared."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fieldkit.ui.lock_views import FirstRunView, RecoverView
from fieldkit.ui.theme import PROBLEM, colour


def test_nothing_typed_says_nothing_then_the_verdict_shows_beside_the_bar(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = FirstRunView()
    qtbot.addWidget(view)
    view.show()
    assert view.meter_text.text() == "" and view.meter.value() == 0
    qtbot.keyClicks(view.passphrase, "short")
    assert view.meter_text.text() != ""
    assert view.meter_text.isVisible() and not view.meter.isTextVisible()
    bar, text = view.meter.geometry(), view.meter_text.geometry()
    assert abs(bar.center().y() - text.center().y()) < text.height()  # one row, side by side
    assert view.meter.accessibleDescription() == view.meter_text.text()


def test_errors_use_the_error_colour_and_go_when_the_text_is_fixed(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = FirstRunView()
    qtbot.addWidget(view)
    view.show()
    view.passphrase.setText("correct horse battery staple")
    view.confirm.setText("correct horse battery stapl")
    qtbot.mouseClick(view.create_button, Qt.MouseButton.LeftButton)
    assert "do not match" in view.error.text() and view.error.isVisible()
    assert colour(PROBLEM).name() in view.error.styleSheet()
    assert "highlight" not in view.error.styleSheet()
    qtbot.keyClicks(view.confirm, "e")  # fixed: the message about the old text goes
    assert not view.error.isVisible()


def test_recovery_clears_a_stale_mismatch(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = RecoverView()
    qtbot.addWidget(view)
    view.show()
    view.passphrase.setText("one new passphrase")
    view.confirm.setText("another one")
    qtbot.mouseClick(view.recover_button, Qt.MouseButton.LeftButton)
    assert view.error.isVisible()
    qtbot.keyClicks(view.confirm, "x")
    assert not view.error.isVisible()
