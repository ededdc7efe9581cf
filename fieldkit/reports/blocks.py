"""Flowable helpers every report shares: headings that bookmark themselves, long text that
flows across pages, key-value tables and data tables whose cells wrap. All text is escaped."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from enum import StrEnum
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import KeepTogether

from fieldkit.domain.choices import LABELS
from fieldkit.domain.fields import Model
from fieldkit.i18n import N_, SPANISH, Translator
from fieldkit.reports.document import CONTENT_WIDTH, Meta, build_pdf
from fieldkit.reports.fonts import BOLD, REGULAR
from fieldkit.reports.model import DEFAULT_MARKING, PROFILE_LABELS, ReportOptions
from fieldkit.reports.styles import HEADER_FILL, LABEL_FILL, RULE, styles

NONE_RECORDED = N_("None recorded.")
YES = N_("Yes")
NO = N_("No")
DATE_RANGE = N_("{start} – {end}")
EMPTY = "—"
PIECE = 3000  # characters per paragraph: reportlab re-wraps the rest of a paragraph per page
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
HEADING_ROOM = 1.25 * inch
SUBHEADING_ROOM = 0.8 * inch
SPLIT_IN_ROW = 36  # a row taller than a page splits, leaving at least this much on each side


def clean(text: str) -> str:
    """Text reportlab can lay out: valid UTF-8, no control characters, "\\n" line ends."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub(" ", text)


def one_line(text: str) -> str:
    """Text for a single line (page furniture, PDF metadata): whitespace runs become a space."""
    return " ".join(clean(text).split())


def markup(text: str) -> str:
    return escape(clean(text)).replace("\n", "<br/>")


def pieces(text: str, limit: int = PIECE) -> Iterator[str]:
    """Cut a long paragraph at line ends or spaces into pieces of at most `limit` characters."""
    while len(text) > limit:
        cut = text.rfind("\n", limit // 2, limit)
        if cut < 0:
            cut = text.rfind(" ", limit // 2, limit)
        if cut < 0:
            yield text[:limit]
            text = text[limit:]
        else:
            yield text[:cut]
            text = text[cut + 1 :]
    yield text


class Heading(Paragraph):  # type: ignore[misc]
    """A heading that adds its outline entry and bookmark where it is drawn."""

    fk_outline: tuple[str, str, int] | None = None  # key, title, level

    def draw(self) -> None:
        super().draw()
        if self.fk_outline is not None:
            key, title, level = self.fk_outline
            self.canv.bookmarkHorizontal(key, 0, self.height + 4)
            self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)
            self.fk_outline = None

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(avail_width, avail_height)
        if parts:
            parts[0].fk_outline = self.fk_outline
        return parts


class Builder:
    """The story of one report, in the report's own language."""

    def __init__(self, options: ReportOptions) -> None:
        self.options = options
        self.t = Translator(options.language)
        self.s = styles()
        self.story: list[Flowable] = []
        self._keys = 0

    # Strings -----------------------------------------------------------------------------

    def choice(self, member: StrEnum | None) -> str:
        return "" if member is None else self.t(LABELS[member])

    def field(self, model: type[Model], name: str) -> str:
        return self.t(model.spec(name).label)

    def date(self, value: dt.date | None) -> str:
        return self.t.date(value)

    def span(self, start: dt.date | None, end: dt.date | None) -> str:
        if start is None or end is None or start == end:
            return self.date(start or end)
        return self.t(DATE_RANGE).format(start=self.date(start), end=self.date(end))

    def yes_no(self, value: bool) -> str:
        return self.t(YES if value else NO)

    # Flowables ---------------------------------------------------------------------------

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup(text), style or self.s.body)

    def cell(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup(text), style or self.s.cell)

    def title_block(self, title: str, subtitles: Sequence[str]) -> None:
        self.story.append(Paragraph(markup(title), self.s.title))
        self.story.extend(Paragraph(markup(line), self.s.subtitle) for line in subtitles if line)
        profile = self.t(PROFILE_LABELS[self.options.profile])
        self.story.append(Paragraph(markup(profile), self.s.profile))
        self.story.append(HRFlowable(width="100%", thickness=0.8, color=RULE, spaceBefore=6))

    def heading(self, text: str, *, outline: str | None = None, level: int = 0) -> None:
        """A section heading; its outline entry is `outline` (default: the text itself). It
        starts a new page when too little room is left for it and a few lines after it (not
        keepWithNext: that drags a long table whole onto the next page, leaving a blank one)."""
        self.story.append(CondPageBreak(HEADING_ROOM))
        self.story.append(self.make_heading(text, outline=outline, level=level))

    def make_heading(self, text: str, *, outline: str | None = None, level: int = 0) -> Heading:
        self._keys += 1
        style = (self.s.h1, self.s.h2, self.s.h3)[min(level, 2)]
        heading = Heading(markup(text), style)
        heading.fk_outline = (f"s{self._keys}", one_line(outline or text), level)
        return heading

    def subheading(self, text: str) -> None:
        """A label inside a section: not in the outline."""
        self.story.append(CondPageBreak(SUBHEADING_ROOM))
        self.story.append(Paragraph(markup(text), self.s.h3))

    def none(self) -> None:
        self.story.append(Paragraph(markup(self.t(NONE_RECORDED)), self.s.muted))

    def note(self, text: str) -> None:
        """A short explanation in muted type (what a section leaves out, and why)."""
        self.story.append(Paragraph(markup(text), self.s.muted))

    def text(self, value: str) -> None:
        """Long text, flowing across pages; "None recorded." when blank."""
        value = clean(value).strip()
        if not value:
            self.none()
            return
        for block in _BLANK_LINES.split(value):
            parts = list(pieces(block))
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                style = self.s.body if last else self.s.body_cont
                self.story.append(Paragraph(markup(part), style))

    def bullets(self, items: Sequence[str]) -> None:
        if not items:
            self.none()
            return
        for item in items:
            self.story.append(Paragraph(markup(item), self.s.bullet, bulletText="•"))
        self.story.append(Spacer(1, 4))

    def fields(self, rows: Sequence[tuple[str, str]]) -> None:
        """A two-column table of labels and values (blank values show a dash)."""
        data = [[self.cell(name, self.s.label), self.cell(value or EMPTY)] for name, value in rows]
        widths = [CONTENT_WIDTH * 0.3, CONTENT_WIDTH * 0.7]
        table = Table(data, colWidths=widths, splitInRow=SPLIT_IN_ROW, hAlign="LEFT")
        table.setStyle(_grid([("BACKGROUND", (0, 0), (0, -1), LABEL_FILL)]))
        self.story.append(table)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str | Flowable]],
        widths: Sequence[float],
        *,
        totals: Sequence[Sequence[str]] = (),
        right: Sequence[int] = (),
    ) -> None:
        """A data table with a header row repeated on every page; `widths` are fractions of
        the text width, `right` the columns to right-align, `totals` bold rows at the end."""
        if not rows:
            self.none()
            return
        head = [self.s.header_right if c in right else self.s.header for c in range(len(headers))]
        data: list[list[Flowable | list[Flowable]]] = [
            [self.cell(text, style) for text, style in zip(headers, head, strict=True)]
        ]
        for row in rows:
            data.append([self._cell(value, column in right) for column, value in enumerate(row)])
        for row in totals:
            bold = (
                self.s.cell_bold_right if c in right else self.s.cell_bold for c in range(len(row))
            )
            data.append([self.cell(value, style) for value, style in zip(row, bold, strict=True)])
        extra: list[tuple[object, ...]] = [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL)]
        if totals:
            extra.append(("LINEABOVE", (0, -len(totals)), (-1, -len(totals)), 1.0, RULE))
            extra.append(("BACKGROUND", (0, -len(totals)), (-1, -1), LABEL_FILL))
        table = Table(
            data,
            colWidths=[CONTENT_WIDTH * w for w in widths],
            repeatRows=1,
            splitInRow=SPLIT_IN_ROW,
            hAlign="LEFT",
        )
        table.setStyle(_grid(extra))
        self.story.append(table)

    def _cell(self, value: str | Flowable, right: bool) -> Flowable | list[Flowable]:
        if isinstance(value, Flowable):
            return value
        style = self.s.cell_right if right else self.s.cell
        if len(value) <= PIECE:
            return self.cell(value, style)
        return [self.cell(part, style) for part in pieces(clean(value))]  # see PIECE

    def keep(self, flowables: Sequence[Flowable]) -> None:
        self.story.append(KeepTogether(list(flowables)))

    def gap(self, height: float = 0.15 * inch) -> None:
        self.story.append(Spacer(1, height))


def _grid(extra: Sequence[tuple[object, ...]]) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("FONTNAME", (0, 0), (-1, 0), BOLD),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            *extra,
        ]
    )


GENERATED = N_("Generated {when}")
PAGE_OF = N_("Page {page} of {pages}")
DEFAULT_AUTHOR = "FieldKit"


def render_story(builder: Builder, title: str, kind: str) -> bytes:
    """Lay out the builder's story with the page furniture and metadata of its options."""
    t, options = builder.t, builder.options
    profile = t(PROFILE_LABELS[options.profile])
    meta = Meta(
        title=one_line(title),
        subject=one_line(f"{kind} — {profile}"),
        author=one_line(options.author) or DEFAULT_AUTHOR,
        lang="es-MX" if t.language == SPANISH else "en-US",
        marking=one_line(options.marking) or DEFAULT_MARKING,
        generated=one_line(t(GENERATED).format(when=t.datetime(options.generated_at))),
        page_label=t(PAGE_OF),
    )
    return build_pdf(builder.story, meta)
