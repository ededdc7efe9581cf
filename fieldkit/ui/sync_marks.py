"""The small mark at the start of each list row that says where the record stands with
headquarters: sent (a check), waiting to be sent (an open clock face), or in conflict (an
exclamation mark on the problem colour). Drawn here, so no image plug-in or file is needed,
in the palette's light or dark variant."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPen, QPixmap

from fieldkit.domain.sync_state import RecordSyncState
from fieldkit.ui.theme import DONE, NOTICE, PROBLEM, colour, is_dark

SIZE = 16
_cache: dict[tuple[RecordSyncState, bool, float], QIcon] = {}


def mark_icon(state: RecordSyncState) -> QIcon:
    """The mark of `state` for the palette in use (drawn once per palette and scale)."""
    app = QGuiApplication.instance()
    ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
    key = (state, is_dark(), max(ratio, 2.0))
    icon = _cache.get(key)
    if icon is None:
        icon = _cache[key] = _draw(state, key[2])
    return icon


def _draw(state: RecordSyncState, ratio: float) -> QIcon:
    pixmap = QPixmap(int(SIZE * ratio), int(SIZE * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRectF(2, 2, SIZE - 4, SIZE - 4)
    if state is RecordSyncState.SENT:
        painter.setPen(_pen(colour(DONE), 2.0))
        painter.drawPolyline([QPointF(3.5, 8.5), QPointF(6.5, 11.5), QPointF(12.5, 4.5)])
    elif state is RecordSyncState.WAITING:
        painter.setPen(_pen(colour(NOTICE), 1.6))
        painter.drawEllipse(box)
        painter.drawPolyline([QPointF(8, 4.8), QPointF(8, 8), QPointF(10.5, 9.5)])
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour(PROBLEM))
        painter.drawEllipse(box)
        painter.setPen(_pen(QColor("#ffffff") if not is_dark() else QColor("#000000"), 2.0))
        painter.drawLine(QPointF(8, 4.8), QPointF(8, 8.8))
        painter.drawPoint(QPointF(8, 11.3))
    painter.end()
    return QIcon(pixmap)


def _pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen
