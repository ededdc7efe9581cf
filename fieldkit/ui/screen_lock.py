"""Lock when the operating system locks the screen, where it tells us.

Qt reports application suspension itself (the controller listens). A locked screen:
- Linux: the desktop announces it on D-Bus (freedesktop, GNOME, KDE and Cinnamon/MATE
  screensavers send `ActiveChanged(true)`);
- Windows: the session-change and power-broadcast window messages (screen_lock_windows);
- macOS: Cocoa's screen-locked and will-sleep notifications (screen_lock_macos).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from PySide6.QtCore import SLOT, QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from fieldkit.ui.screen_lock_macos import observe_screen_lock
from fieldkit.ui.screen_lock_windows import SessionLockFilter, register_session_notifications

log = logging.getLogger(__name__)

SCREENSAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
    ("org.cinnamon.ScreenSaver", "/org/cinnamon/ScreenSaver"),
    ("org.mate.ScreenSaver", "/org/mate/ScreenSaver"),
)


class ScreenLockWatcher(QObject):
    """`sig_screen_locked` fires when the operating system locks the screen (or, on Windows
    and macOS, starts to sleep). `listening` says whether anything here can tell."""

    sig_screen_locked = Signal()

    def __init__(self, window: QWidget | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listening = False
        self._keep: Any = None  # the native filter or observer, kept alive with the watcher
        if sys.platform == "win32":
            self._listen_on_windows(window)
        elif sys.platform == "darwin":
            self._listen_on_macos()
        else:
            self._listen_on_dbus()

    @Slot(bool)
    def on_active_changed(self, active: bool) -> None:
        if active:
            self.sig_screen_locked.emit()

    def _listen_on_dbus(self) -> None:
        # Imported here: only Linux builds need (and ship) Qt's D-Bus module.
        from PySide6.QtDBus import QDBusConnection  # noqa: PLC0415

        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            log.info("no D-Bus session bus: screen locks are not detected")
            return
        for interface, path in SCREENSAVERS:
            # Any sender: the screensaver's unique bus name is not known in advance.
            # PySide's stub says bytes; at run time only the str from SLOT() works.
            slot = SLOT("on_active_changed(bool)")
            if bus.connect("", path, interface, "ActiveChanged", self, slot):  # type: ignore[call-overload]
                self.listening = True

    def _listen_on_windows(self, window: QWidget | None) -> None:
        app = QCoreApplication.instance()
        if app is None:
            return
        self._keep = SessionLockFilter(self.sig_screen_locked.emit)
        app.installNativeEventFilter(self._keep)
        self.listening = window is not None and register_session_notifications(int(window.winId()))

    def _listen_on_macos(self) -> None:
        self._keep = observe_screen_lock(self.sig_screen_locked.emit)
        self.listening = self._keep is not None
        if not self.listening:
            log.info("no PyObjC: screen locks are not detected")
