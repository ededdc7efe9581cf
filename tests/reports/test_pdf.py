"""The PDF itself: embedded fonts only, metadata, outline, structure (qpdf), odd input."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldkit.reports import render
from fieldkit.reports.model import Profile, Report, ReportOptions
from tests.reports import samples
from tests.reports.pdfcheck import (
    STANDARD_14,
    embedded,
    flat,
    fonts,
    outline_pages,
    outline_titles,
    reader,
)

BUILDERS: dict[str, Callable[[], Report]] = {
    "visit": samples.visit_report,
    "case": samples.case_report,
    "grant": samples.grant_report,
    "period": samples.period_report,
}


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def each_pdf(request: pytest.FixtureRequest) -> bytes:
    return render(BUILDERS[request.param]())


def test_every_font_is_embedded(each_pdf: bytes) -> None:
    seen = list(fonts(each_pdf))
    assert seen
    for name, font in seen:
        base = name.split("+", 1)[-1]  # subset prefix "AAAAAA+"
        assert base not in STANDARD_14, name
        assert embedded(font), name
    assert b"Helvetica" not in each_pdf


def test_qpdf_finds_no_problem(each_pdf: bytes, tmp_path: Path) -> None:
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf is not installed (Debian package qpdf)")
    path = tmp_path / "report.pdf"
    path.write_bytes(each_pdf)
    command = [qpdf, "--check", str(path)]
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_metadata() -> None:
    pdf = reader(render(samples.visit_report()))
    info = pdf.metadata
    assert info is not None
    facility = "Llantas del Potosí, planta San Luis"
    assert info.title == f"Visit report: {facility}, Mar 4, 2026 – Mar 5, 2026"
    assert info.author == "A. Rivera"
    assert info.subject == "Visit report — Shareable: interviewee identities removed"
    assert info.creator == "FieldKit"
    assert pdf.trailer["/Root"]["/Lang"] == "en-US"


def test_spanish_metadata_and_default_author() -> None:
    pdf = reader(render(samples.grant_report("es_MX")))
    info = pdf.metadata
    assert info is not None
    assert info.title == "Informe de estado de la subvención: IL-35000-21-75-K"
    assert info.author == "A. Rivera"
    assert pdf.trailer["/Root"]["/Lang"] == "es-MX"
    blank = samples.visit_report(author="")
    no_author = reader(render(blank)).metadata
    assert no_author is not None and no_author.author == "FieldKit"


def test_outline_lists_the_sections_and_points_at_their_pages() -> None:
    report = samples.visit_report(
        profile=Profile.INTERNAL, findings=samples.LOREM * 150, follow_ups=60
    )
    pdf = render(report)
    titles = outline_titles(pdf)
    assert titles == [
        "Facility",
        "Visit details",
        "People met",
        "Observations",
        "Findings",
        "Follow-up actions",
        "Interviews",
        "Interview 1",
        "Interview 2",
        "Attachments",
        "Sign-off",
    ]
    pages = outline_pages(pdf)
    texts = [page.extract_text() for page in reader(pdf).pages]
    assert pages["Facility"] == 0
    assert pages["Sign-off"] == len(texts) - 1 > pages["Findings"]
    for title, index in pages.items():
        assert title in texts[index], title


def test_case_grant_and_period_outlines() -> None:
    case = outline_titles(render(samples.case_report()))
    assert case[:3] == ["Case", "Alleged denial of rights", "Case stages"]
    assert "Linked tips" in case
    grant = outline_titles(render(samples.grant_report()))
    assert "Cumulative disbursements" in grant and "Indicators" in grant
    period = outline_titles(render(samples.period_report(40)))
    assert period[:3] == ["Visits by sector", "Visits by state", "Visits by sector and state"]
    assert "Rubber and tires" in period and "Aguascalientes" in period


def test_pseudonyms_never_reach_the_outline_or_metadata() -> None:
    named = samples.interview(samples.PSEUDONYM, place="Café El Zorzal")
    internal = render(samples.visit_report(profile=Profile.INTERNAL, interviews=(named,)))
    assert samples.PSEUDONYM in flat(internal)  # the internal report does name the interview
    assert "Café El Zorzal" in flat(internal)
    # Services strip interviews for the shareable profile; the renderer does not rely on it.
    shareable = render(samples.visit_report(profile=Profile.SHAREABLE, interviews=(named,)))
    assert samples.PSEUDONYM not in flat(shareable)
    for pdf in (internal, shareable):
        assert all(samples.PSEUDONYM not in title for title in outline_titles(pdf))
        info = reader(pdf).metadata
        assert info is not None
        assert all(samples.PSEUDONYM not in str(value) for value in info.values())
    assert "Interview 1" in outline_titles(internal)
    assert "Interview 1" not in outline_titles(shareable)


ODD = (
    "\u200f\u05e9\u05dc\u05d5\u05dd\u200e RTL \u202eoverride\u202c "
    "emoji \U0001f469\U0001f3fd\u200d\U0001f527 \U0001f1f2\U0001f1fd "
    "combining e\u0301\u0301\u0301 n\u0303 Z\u0335\u0321a\u0336\u0322 "
    "controls \x00\x07\x0b\x0c\r\n\ttab lone \ud800 surrogate "
    "markup <b>not bold</b> &amp; <br/> ]]> <!-- --> &nbsp;"
)


def test_odd_unicode_everywhere_renders() -> None:
    word = "x" * 10_000
    url = "https://example.org/" + "a/" * 3000
    report = samples.visit_report(
        profile=Profile.INTERNAL,
        findings=f"{ODD}\n{word}\n{url}\nend-of-findings",
        interviews=(samples.interview(ODD, notes=word + ODD, place=url),),
    )
    facility = report.facility
    assert facility is not None
    facility = type(facility)(name=ODD + word[:400], municipality=url[:500], unions=(ODD, word))
    odd = type(report)(
        ReportOptions(language="es_MX", profile=Profile.INTERNAL, marking=ODD, author=ODD),
        report.visit,
        facility,
        report.grant,
        report.interviews,
        report.attachments,
    )
    pdf = render(odd)
    text = flat(pdf)
    assert "<b>not bold</b> &amp; <br/>" in text  # markup is shown, never interpreted
    assert "end-of-findings" in text
    assert len(re.findall("x{50,}", text)) >= 3  # the long word is wrapped, not dropped
    assert all(samples.PSEUDONYM not in t for t in outline_titles(pdf))


def test_odd_text_in_every_report_type() -> None:
    case = samples.case_report()
    odd_case = type(case)(
        case.options,
        type(case.case)(reference=ODD, summary=ODD * 20, petitioner="y" * 10_000),
        case.facility,
        case.visits,
        case.interviews,
        case.tips,
        case.facilities,
    )
    assert "not bold" in flat(render(odd_case))
    grant = samples.grant_report()
    odd_grant = type(grant)(
        grant.options,
        type(grant.grant)(award_number=ODD, name="z" * 10_000, objectives=ODD),
        grant.visits,
        grant.facilities,
    )
    assert "not bold" in flat(render(odd_grant))
