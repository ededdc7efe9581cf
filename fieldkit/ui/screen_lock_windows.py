"""Windows: the session's lock and the machine's suspension, read from the window messages Qt
hands to native event filters.

`WM_WTSSESSION_CHANGE` reaches a window only after `WTSRegisterSessionNotification`;
`WM_POWERBROADCAST` reaches every top-level window. The message layout is Win32's MSG.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray

log = logging.getLogger(__name__)

WINDOWS_MESSAGE = b"windows_generic_MSG"
WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0


class MSG(ctypes.Structure):
    """The head of Win32's MSG (the rest is not read)."""

    _fields_ = (
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),  # WPARAM: UINT_PTR
        ("lParam", ctypes.c_ssize_t),  # LPARAM: LONG_PTR
    )


def means_locked(message: int, wparam: int) -> bool:
    """Whether a window message says the session locked or the machine is suspending."""
    return (message == WM_WTSSESSION_CHANGE and wparam == WTS_SESSION_LOCK) or (
        message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND
    )


class SessionLockFilter(QAbstractNativeEventFilter):
    """Calls `on_locked` for a lock or suspend message; lets every message through."""

    def __init__(self, on_locked: Callable[[], None]) -> None:
        super().__init__()
        self._on_locked = on_locked

    def nativeEventFilter(
        self, event_type: QByteArray | bytes | bytearray | memoryview, message: Any
    ) -> tuple[bool, int]:
        name = event_type.data() if isinstance(event_type, QByteArray) else bytes(event_type)
        if name == WINDOWS_MESSAGE and message:
            msg = MSG.from_address(int(message))
            if means_locked(msg.message, msg.wParam):
                self._on_locked()
        return False, 0


def register_session_notifications(window_handle: int) -> bool:
    """Ask Windows to send this window WM_WTSSESSION_CHANGE; False where it cannot."""
    if sys.platform != "win32":
        return False
    wtsapi32 = ctypes.WinDLL("wtsapi32")
    done = wtsapi32.WTSRegisterSessionNotification(
        ctypes.c_void_p(window_handle), NOTIFY_FOR_THIS_SESSION
    )
    if not done:
        log.warning("WTSRegisterSessionNotification failed: session locks are not detected")
    return bool(done)
