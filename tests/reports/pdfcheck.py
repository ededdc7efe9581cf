"""Reading rendered PDFs back with pypdf: text per page, where a string sits, fonts, outline."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

STANDARD_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


def flat(pdf: bytes) -> str:
    """All the text, with line breaks and runs of spaces folded to single spaces."""
    return " ".join(" ".join(texts(pdf)).split())


def positions(page: Any, needle: str) -> list[float]:
    """The heights (points from the bottom) at which text runs equal to `needle` are drawn."""
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip() == needle:
            found.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    return found


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def fonts(pdf: bytes) -> Iterator[tuple[str, DictionaryObject]]:
    """Every font every page (and every form XObject on it) uses: (base font name, font)."""

    def walk(resources: Any) -> Iterator[tuple[str, DictionaryObject]]:
        resources = _resolve(resources) or {}
        for ref in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(ref)
            yield str(font.get("/BaseFont", "")).lstrip("/"), font
        for ref in (_resolve(resources.get("/XObject")) or {}).values():
            xobject = _resolve(ref)
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                yield from walk(xobject["/Resources"])

    for page in reader(pdf).pages:
        yield from walk(page.get("/Resources"))


def embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type0":
        font = _resolve(font["/DescendantFonts"][0])
    descriptor = _resolve(font.get("/FontDescriptor")) or {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def outline_titles(pdf: bytes) -> list[str]:
    titles: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))

    walk(reader(pdf).outline)
    return titles


def outline_pages(pdf: bytes) -> dict[str, int]:
    """Outline title -> zero-based page index it jumps to."""
    pdf_reader = reader(pdf)
    pages: dict[str, int] = {}

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                pages[str(item.title)] = pdf_reader.get_destination_page_number(item)

    walk(pdf_reader.outline)
    return pages


def everything_readable(pdf: bytes) -> str:
    """What a reader of the file could find, in one string: the text of every page, then every
    string in the document's object graph (document information, XMP metadata, outline and
    bookmark titles, named destinations, annotations and their contents, page labels)."""
    pdf_reader = reader(pdf)
    parts = [page.extract_text() or "" for page in pdf_reader.pages]
    seen: set[int] = set()

    def walk(value: Any) -> None:
        if isinstance(value, IndirectObject):
            if value.idnum in seen:
                return
            seen.add(value.idnum)
            value = value.get_object()
        if isinstance(value, TextStringObject | ByteStringObject):
            parts.append(str(value) if isinstance(value, TextStringObject) else _bytes(value))
        elif isinstance(value, NameObject):
            parts.append(str(value))
        elif isinstance(value, DictionaryObject):
            if isinstance(value, StreamObject) and value.get("/Type") == "/Metadata":
                parts.append(_bytes(value.get_data()))
            for item in value.values():
                walk(item)
        elif isinstance(value, ArrayObject):
            for item in value:
                walk(item)

    walk(pdf_reader.trailer)
    for page in pdf_reader.pages:
        for annotation in page.get("/Annots") or []:
            walk(annotation)
    return "\n".join(parts)


def _bytes(data: bytes) -> str:
    return bytes(data).decode("utf-8", "replace")
