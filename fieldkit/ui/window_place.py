"""Where the main window opens: inside the screen's available area (above a taskbar, below a
top panel), the size and place it had last time when they still fit, never off-screen."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from fieldkit.ui.preferences import WINDOW_MAXIMIZED, WINDOW_RECT, Preferences

PREFERRED = QSize(1280, 760)
# Room for the window manager's title bar and borders, which geometry() does not include.
FRAME_MARGINS = (8, 40, 8, 8)  # left, top, right, bottom


def fitted(saved: QRect | None, available: QRect, minimum: QSize) -> QRect:
    """The window's rectangle (without its frame): `saved` clamped into `available`, or the
    preferred size centred there; never below `minimum` unless the screen is smaller."""
    left, top, right, bottom = FRAME_MARGINS
    inner = available.adjusted(left, top, -right, -bottom)
    known = saved is not None and saved.isValid()
    wanted = saved.size() if saved is not None and known else PREFERRED
    size = wanted.boundedTo(inner.size()).expandedTo(minimum.boundedTo(inner.size()))
    if saved is not None and known:
        corner = saved.topLeft()
    else:
        corner = inner.center() - QPoint(size.width() // 2, size.height() // 2)
    x = min(max(corner.x(), inner.left()), inner.left() + inner.width() - size.width())
    y = min(max(corner.y(), inner.top()), inner.top() + inner.height() - size.height())
    return QRect(QPoint(x, y), size)


def screen_for(saved: QRect | None) -> QScreen:
    """The screen the saved window was on, or the primary one (a monitor unplugged since)."""
    if saved is not None:
        screen = QGuiApplication.screenAt(saved.center())
        if screen is not None:
            return screen
    return QGuiApplication.primaryScreen()


def place_window(window: QWidget, preferences: Preferences) -> bool:
    """Size and place `window` before it is shown; whether it should open maximized."""
    stored = preferences.get(WINDOW_RECT)
    saved = QRect(*stored) if stored is not None else None
    available = screen_for(saved).availableGeometry()
    window.setGeometry(fitted(saved, available, window.minimumSizeHint()))
    return preferences.get(WINDOW_MAXIMIZED)


def remember_window(window: QWidget, preferences: Preferences) -> None:
    """Keep the window's size and place (its normal ones, when maximized) for next time."""
    rect = window.normalGeometry() if window.isMaximized() else window.geometry()
    if rect.isValid():
        preferences.set(WINDOW_RECT, (rect.x(), rect.y(), rect.width(), rect.height()))
    preferences.set(WINDOW_MAXIMIZED, window.isMaximized())
    preferences.save()
