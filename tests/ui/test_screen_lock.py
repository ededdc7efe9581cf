"""Locking when the operating system locks the screen."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.test_app_flow import first_run

DRIVER = Path(__file__).with_name("screen_lock_driver.py")


@pytest.mark.skipif(shutil.which("dbus-run-session") is None, reason="needs D-Bus (dbus-bin)")
def test_a_screensaver_announcement_on_dbus_is_heard() -> None:
    result = subprocess.run(
        ["dbus-run-session", "--", sys.executable, str(DRIVER)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fired" in result.stdout


def test_the_app_locks_when_the_screen_locks(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    first_run(qtbot, controller)
    controller.screen_lock.sig_screen_locked.emit()
    assert controller.window.stack.currentWidget() is controller.window.unlock
    assert controller.ctx.vault is None
