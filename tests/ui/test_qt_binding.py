"""Guards against a Qt binding that corrupts the interpreter.

PySide6 6.12.0 on Python 3.11 drops a reference to True on every Signal.emit(); a few thousand
emits later Python aborts ("bool_dealloc: deallocating True or False"). pyproject.toml excludes
that release; this test fails if a release with the same bug is ever installed."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    sig_fired = Signal()


def test_signal_emit_keeps_reference_counts(qapp) -> None:  # type: ignore[no-untyped-def]
    emitter = _Emitter()
    emitter.sig_fired.connect(lambda: None)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(1000):
        emitter.sig_fired.emit()
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert abs(after[0] - before[0]) < 50 and abs(after[1] - before[1]) < 50
