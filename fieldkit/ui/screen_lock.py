"""Lock when the operating system locks the screen, where it tells us.

Qt reports application suspension itself; a locked screen is announced by the desktop on
D-Bus (freedesktop, GNOME, KDE and Cinnamon/MATE screensavers send `ActiveChanged(true)`).
Windows and macOS announcements are not wired yet (docs/desktop.md)."""

from __future__ import annotations

import logging

from PySide6.QtCore import SLOT, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection

log = logging.getLogger(__name__)

SCREENSAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
    ("org.cinnamon.ScreenSaver", "/org/cinnamon/ScreenSaver"),
    ("org.mate.ScreenSaver", "/org/mate/ScreenSaver"),
)


class ScreenLockWatcher(QObject):
    """`sig_screen_locked` fires when a screensaver on the session bus becomes active."""

    sig_screen_locked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listening = False
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

    @Slot(bool)
    def on_active_changed(self, active: bool) -> None:
        if active:
            self.sig_screen_locked.emit()
