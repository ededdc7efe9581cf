"""The few colours the palette has no role for, in a light and a dark variant.

The application palette is Qt's platform theme (light or dark, as the OS is set). The colours
the UI fixes itself come from here, picked for the palette in use when a widget or a document
is built; the long-lived ones pick again on QEvent.PaletteChange. Every text colour keeps a
contrast ratio of at least 4.5:1 (WCAG AA) against what it sits on, in both variants
(tests/ui/test_dark_palette.py measures them).
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtGui import QColor, QGuiApplication, QPalette

Role = QPalette.ColorRole


class Tone(NamedTuple):
    light: str
    dark: str


PROBLEM = Tone("#b3261e", "#f2b8b5")  # text: errors, conflicts, overdue, deleted
NOTICE = Tone("#7a4b00", "#f6c26b")  # text: a caution
DONE = Tone("#2e7d32", "#81c995")  # text: a step completed
ACCENT = Tone("#1f3a5f", "#8ab4f8")  # the chart's line; behind the current stage's Base text
PROBLEM_CELL = Tone("#fde7e4", "#5c2622")  # behind a table cell's Text: the cell broke a rule
PROMINENT = Tone("#fff6dd", "#3a3020")  # behind the consent and safety section's WindowText
MATCH = Tone("#fff0a0", "#5c4a00")  # behind Base text: a search match
PROMINENT_BORDER = Tone("#e2b64a", "#8f7030")
MUTED_MIX = 0.4  # muted text: this far from the text colour towards the background


def is_dark() -> bool:
    """Whether the application palette is a dark one: windows darker than their text."""
    palette = QGuiApplication.palette()
    return palette.color(Role.Window).lightness() < palette.color(Role.WindowText).lightness()


def colour(tone: Tone) -> QColor:
    """The tone's variant for the application palette."""
    return QColor(tone.dark if is_dark() else tone.light)


def muted(on: QPalette.ColorRole = Role.Window) -> QColor:
    """Secondary text on Window (or on Base): its text colour partway to the background. The
    palette's placeholder colour is too faint for words one must read (4:1 on white)."""
    palette = QGuiApplication.palette()
    text = palette.color(Role.Text if on == Role.Base else Role.WindowText)
    back = palette.color(on)
    pairs = ((text.red(), back.red()), (text.green(), back.green()), (text.blue(), back.blue()))
    return QColor(*(round(t + (b - t) * MUTED_MIX) for t, b in pairs))


def problem_style() -> str:
    return f"color: {colour(PROBLEM).name()};"


def muted_style() -> str:
    return f"color: {muted().name()};"


def dark_palette() -> QPalette:
    """A dark palette like the ones the OSes' dark modes give Qt: what the screenshots and the
    tests stand in for an OS in dark mode with (offscreen there is no platform theme)."""
    palette = QPalette()
    for role, value in (
        (Role.Window, "#202124"),
        (Role.WindowText, "#e8eaed"),
        (Role.Base, "#1b1b1d"),
        (Role.AlternateBase, "#27282b"),
        (Role.Text, "#e8eaed"),
        (Role.PlaceholderText, "#9aa0a6"),
        (Role.Button, "#2d2e31"),
        (Role.ButtonText, "#e8eaed"),
        (Role.BrightText, "#ffffff"),
        (Role.Light, "#4a4b4f"),
        (Role.Midlight, "#3c3d41"),
        (Role.Mid, "#5f6368"),
        (Role.Dark, "#141416"),
        (Role.Shadow, "#000000"),
        (Role.Highlight, "#3d6fb5"),
        (Role.HighlightedText, "#ffffff"),
        (Role.Link, "#8ab4f8"),
        (Role.LinkVisited, "#c58af9"),
        (Role.ToolTipBase, "#303134"),
        (Role.ToolTipText, "#e8eaed"),
    ):
        palette.setColor(role, QColor(value))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#80868b"))
    return palette
