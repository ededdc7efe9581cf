"""The page: letter size, the marking banner at the top and bottom of every page, the footer
with title, generation time and "Page X of Y", PDF metadata and the outline.

"Page X of Y" needs the page count before any page is written: the canvas keeps every page's
drawing state, then writes them all at `save()` once the count is known (one layout pass, not
two). Bookmarks are deferred with their page, or they would all point at the first page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
)

from fieldkit.reports.fonts import BOLD, REGULAR, register_fonts
from fieldkit.reports.styles import INK, MUTED, RULE

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN_X = 0.75 * inch
MARGIN_TOP = 0.85 * inch
MARGIN_BOTTOM = 1.0 * inch
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
MARKING_SIZE = 10
FOOTER_SIZE = 7.5


@dataclass(frozen=True)
class Meta:
    """Everything the page furniture and the PDF's document information need, translated."""

    title: str
    subject: str
    author: str
    lang: str  # BCP 47: "en-US" or "es-MX"
    marking: str
    generated: str  # "Generated Mar 4, 2026, 10:00:00 AM", already translated
    page_label: str  # "Page {page} of {pages}", translated, formatted per page


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` points on one line."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[: max(0, len(text) - max(1, len(text) // 8))]
    return text + "…"


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    def __init__(self, meta: Meta, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fk_meta = meta
        self._fk_pages: list[dict[str, Any]] = []
        self._fk_bookmarks: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def bookmarkPage(self, *args: Any, **kwargs: Any) -> None:
        self._fk_bookmarks.append((args, kwargs))

    def showPage(self) -> None:
        self._fk_pages.append(dict(self.__dict__))
        self._fk_bookmarks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._fk_pages)
        for number, state in enumerate(self._fk_pages, start=1):
            self.__dict__.update(state)
            for args, kwargs in state["_fk_bookmarks"]:
                Canvas.bookmarkPage(self, *args, **kwargs)
            self._furniture(number, total)
            Canvas.showPage(self)
        if total:
            self.showOutline()
        Canvas.save(self)

    def _furniture(self, number: int, total: int) -> None:
        meta = self._fk_meta
        self.saveState()
        self.setFillColor(INK)
        marking = _fit(meta.marking, BOLD, MARKING_SIZE, CONTENT_WIDTH)
        self.setFont(BOLD, MARKING_SIZE)
        self.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 0.45 * inch, marking)
        self.drawCentredString(PAGE_WIDTH / 2, 0.3 * inch, marking)
        footer_top = MARGIN_BOTTOM - 0.2 * inch
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, footer_top, PAGE_WIDTH - MARGIN_X, footer_top)
        page = meta.page_label.format(page=number, pages=total)
        page_width = stringWidth(page, REGULAR, FOOTER_SIZE)
        self.setFont(REGULAR, FOOTER_SIZE)
        self.setFillColor(MUTED)
        line1 = footer_top - 10
        title = _fit(meta.title, REGULAR, FOOTER_SIZE, CONTENT_WIDTH - page_width - 18)
        self.drawString(MARGIN_X, line1, title)
        self.drawRightString(PAGE_WIDTH - MARGIN_X, line1, page)
        generated = _fit(meta.generated, REGULAR, FOOTER_SIZE, CONTENT_WIDTH)
        self.drawString(MARGIN_X, line1 - 9.5, generated)
        self.restoreState()


def build_pdf(story: Sequence[Flowable], meta: Meta) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        creator="FieldKit",
        producer="FieldKit",
        lang=meta.lang,
        displayDocTitle=True,
        initialFontName=REGULAR,
        initialFontSize=10,
        pageCompression=1,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def canvasmaker(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        return _NumberedCanvas(meta, *args, **kwargs)

    doc.build(list(story), canvasmaker=canvasmaker)
    return buffer.getvalue()
