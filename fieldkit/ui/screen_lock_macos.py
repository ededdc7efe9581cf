"""macOS: the screen locking (`com.apple.screenIsLocked`, a distributed notification) and the
machine going to sleep (NSWorkspace), through PyObjC, which FieldKit installs on macOS only.
Cocoa delivers both on the main run loop, which Qt's event loop runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

SCREEN_LOCKED = "com.apple.screenIsLocked"

try:  # PyObjC: present on macOS builds only
    from AppKit import NSWorkspace, NSWorkspaceWillSleepNotification  # type: ignore[import-not-found]
    from Foundation import NSDistributedNotificationCenter, NSObject  # type: ignore[import-not-found]
except ImportError:
    NSObject = None


if NSObject is not None:

    class _LockObserver(NSObject):  # type: ignore[misc]
        callback: Callable[[], None] | None = None

        def screenLocked_(
            self, _notification: Any
        ) -> None:  # the Objective-C selector screenLocked:
            if self.callback is not None:
                self.callback()


def observe_screen_lock(on_locked: Callable[[], None]) -> Any | None:
    """Start calling `on_locked` on screen lock and sleep; the observer (keep it alive), or
    None without PyObjC."""
    if NSObject is None:
        return None
    observer = _LockObserver.alloc().init()
    observer.callback = on_locked
    NSDistributedNotificationCenter.defaultCenter().addObserver_selector_name_object_(
        observer, "screenLocked:", SCREEN_LOCKED, None
    )
    NSWorkspace.sharedWorkspace().notificationCenter().addObserver_selector_name_object_(
        observer, "screenLocked:", NSWorkspaceWillSleepNotification, None
    )
    return observer
