"""Qt runs offscreen, with one QApplication for the session; settings live in a per-test file
(QSettings fixes its default path at first use, so tests never use the default)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from fieldkit.ui.controller import AppController
from fieldkit.ui.preferences import Preferences


class CapturedErrors(list[BaseException]):
    """Errors the app would have shown in a dialog."""


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def controller(qapp, tmp_path: Path, settings: QSettings) -> Iterator[AppController]:  # type: ignore[no-untyped-def]
    ctrl = AppController(tmp_path / "vault", Preferences(settings))
    errors = CapturedErrors()
    ctrl.reporter.show_dialog = errors.append  # type: ignore[method-assign]
    ctrl.errors = errors  # type: ignore[attr-defined]
    yield ctrl
    ctrl.shutdown()
    ctrl.window.close()
    ctrl.window.deleteLater()


# The list tests' scenes (a context over a demo vault, and over 450 facilities).
from tests.ui.scenes import demo_ctx, many_ctx, records_errors  # noqa: E402, F401
