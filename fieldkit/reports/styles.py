"""Paragraph styles and colours, built once per process (never per paragraph)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from fieldkit.reports.fonts import BOLD, ITALIC, REGULAR, register_fonts

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
ACCENT = colors.HexColor("#1f3a5f")  # headings, the current case stage
RULE = colors.HexColor("#b8c2cc")
HEADER_FILL = colors.HexColor("#e4e9ef")
LABEL_FILL = colors.HexColor("#f3f5f7")
DONE_FILL = colors.HexColor("#dfeee2")
AWARD = colors.HexColor("#b03a2e")


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    profile: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    body_cont: ParagraphStyle  # a long paragraph cut into pieces: no gap between them
    muted: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_bold_right: ParagraphStyle
    header: ParagraphStyle
    header_right: ParagraphStyle
    label: ParagraphStyle
    hash: ParagraphStyle
    stage: ParagraphStyle
    stage_current: ParagraphStyle
    signature: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    base = ParagraphStyle(
        "fk-base", fontName=REGULAR, fontSize=10, leading=13.5, textColor=INK, splitLongWords=1
    )

    def make(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(f"fk-{name}", parent=base, **kw)

    cell = make("cell", fontSize=8.5, leading=11)
    header = make("header", fontName=BOLD, fontSize=8.5, leading=11)
    return Styles(
        title=make("title", fontName=BOLD, fontSize=20, leading=25, textColor=ACCENT),
        subtitle=make("subtitle", fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=2),
        profile=make("profile", fontName=ITALIC, fontSize=9.5, textColor=MUTED, spaceBefore=4),
        h1=make(
            "h1",
            fontName=BOLD,
            fontSize=13.5,
            leading=17,
            textColor=ACCENT,
            spaceBefore=14,
            spaceAfter=5,
        ),
        h2=make(
            "h2",
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=4,
        ),
        h3=make("h3", fontName=BOLD, fontSize=10, spaceBefore=6, spaceAfter=2),
        body=make("body", spaceAfter=6),
        body_cont=make("body_cont"),
        muted=make("muted", fontName=ITALIC, textColor=MUTED, spaceAfter=6),
        bullet=make("bullet", leftIndent=16, bulletIndent=4, bulletFontName=REGULAR, spaceAfter=3),
        cell=cell,
        cell_right=make("cell_right", fontSize=8.5, leading=11, alignment=TA_RIGHT),
        cell_bold=make("cell_bold", fontName=BOLD, fontSize=8.5, leading=11),
        cell_bold_right=make(
            "cell_bold_right", fontName=BOLD, fontSize=8.5, leading=11, alignment=TA_RIGHT
        ),
        header=header,
        header_right=make(
            "header_right", fontName=BOLD, fontSize=8.5, leading=11, alignment=TA_RIGHT
        ),
        label=make("label", fontName=BOLD, fontSize=8.5, leading=11, textColor=MUTED),
        hash=make("hash", fontSize=6.5, leading=8),
        stage=make("stage", fontSize=8, leading=10, alignment=TA_CENTER),
        stage_current=make(
            "stage_current",
            fontName=BOLD,
            fontSize=8,
            leading=10,
            alignment=TA_CENTER,
            textColor=colors.white,
        ),
        signature=make("signature", spaceBefore=10),
    )
