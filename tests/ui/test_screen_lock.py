"""Locking when the operating system locks the screen."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray

from fieldkit.ui.screen_lock_macos import observe_screen_lock
from fieldkit.ui.screen_lock_windows import (
    MSG,
    PBT_APMSUSPEND,
    WINDOWS_MESSAGE,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    WTS_SESSION_LOCK,
    SessionLockFilter,
    register_session_notifications,
)
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


def windows_message(message: int, wparam: int) -> MSG:
    return MSG(hwnd=None, message=message, wParam=wparam, lParam=0)


@pytest.mark.parametrize(
    ("message", "wparam", "locks"),
    [
        (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, True),
        (WM_WTSSESSION_CHANGE, 0x8, False),  # WTS_SESSION_UNLOCK
        (WM_WTSSESSION_CHANGE, 0x5, False),  # WTS_SESSION_LOGON
        (WM_POWERBROADCAST, PBT_APMSUSPEND, True),
        (WM_POWERBROADCAST, 0x12, False),  # PBT_APMRESUMEAUTOMATIC
        (0x0010, WTS_SESSION_LOCK, False),  # WM_CLOSE with a lock-like wParam
    ],
)
def test_windows_session_messages_are_read_from_the_msg_struct(
    qapp, message: int, wparam: int, locks: bool
) -> None:  # type: ignore[no-untyped-def]
    fired: list[bool] = []
    session_filter = SessionLockFilter(lambda: fired.append(True))
    msg = windows_message(message, wparam)
    handled = session_filter.nativeEventFilter(QByteArray(WINDOWS_MESSAGE), ctypes.addressof(msg))
    assert handled == (False, 0)  # never swallowed: Qt and the window still see it
    assert fired == ([True] if locks else [])


def test_other_platforms_events_are_not_read_as_windows_messages(qapp) -> None:  # type: ignore[no-untyped-def]
    fired: list[bool] = []
    session_filter = SessionLockFilter(lambda: fired.append(True))
    msg = windows_message(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK)
    session_filter.nativeEventFilter(b"xcb_generic_event_t", ctypes.addressof(msg))
    session_filter.nativeEventFilter(QByteArray(WINDOWS_MESSAGE), 0)
    assert fired == []


def test_without_pyobjc_macos_watching_is_off_not_broken() -> None:
    assert sys.platform == "darwin" or observe_screen_lock(lambda: None) is None
    assert not register_session_notifications(0) or sys.platform == "win32"
